// Writes the README's configuration table from src/config.ts (`npm run docs:config`), so the two never drift
// (test/readme.test.ts fails when they do).
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference } from '../src/config.ts';

const escape = (s: string) => s.replace(/\|/g, '\\|');
const lines = ['| Variable | Default | What it does |', '|---|---|---|'];
for (const v of configReference) lines.push(`| \`${v.name}\` | ${escape(v.default)} | ${escape(v.description)} |`);
const table = `${lines.join('\n')}\n`;

const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
writeFileSync(readmeUrl, readme.replace(/<!-- config:start -->[\s\S]*<!-- config:end -->/, `<!-- config:start -->\n${table}<!-- config:end -->`));
process.stdout.write(table);
