// The README's configuration table, rendered from the declarations (src/config/variables.ts): written by
// `npm run docs:config`, compared with the README by test/readme.test.ts.
import { variables } from './variables.ts';

const escape = (s: string) => s.replace(/\|/g, '\\|');

export function configTable(): string {
  const lines = ['| Variable | Default | What it does |', '|---|---|---|'];
  for (const v of Object.values(variables)) lines.push(`| \`${v.name}\` | ${escape(v.defaultText)} | ${escape(v.description)} |`);
  return `${lines.join('\n')}\n`;
}

/** The README with its table (between `<!-- config:start -->` and `<!-- config:end -->`) replaced by `table`. */
export function withConfigTable(readme: string, table: string): string {
  return readme.replace(/<!-- config:start -->[\s\S]*<!-- config:end -->/, `<!-- config:start -->\n${table}<!-- config:end -->`);
}
