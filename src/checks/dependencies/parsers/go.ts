// Go modules. go.mod lists every module of the build (direct ones, and `// indirect` ones since
// Go 1.17), with `replace` directives applied; go.sum is read only when no go.mod sits beside
// it, keeping the module versions whose source was downloaded (lines without `/go.mod`).
import { componentOf, type Component, type ParseOutcome } from '../component.ts';

function unquoteGo(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s.startsWith('`') && s.endsWith('`') ? s.slice(1, -1) : s;
}

export function parseGoMod(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const requires: { path: string; version: string; line: number; indirect: boolean }[] = [];
  const replaces = new Map<string, { path: string; version?: string }>();
  let block: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
    }
    let directive = block;
    let rest = line;
    if (!block) {
      const m = /^(\w+)\s*(.*)$/.exec(line);
      if (!m) {
        outcome.problem = { line: i + 1, message: `unexpected "${line.slice(0, 40)}"` };
        return outcome;
      }
      directive = m[1]!;
      rest = m[2]!;
      if (rest === '(') {
        block = directive;
        continue;
      }
    }
    const fields = rest.split(/\s+/).map(unquoteGo);
    if (directive === 'require') {
      if (fields.length < 2 || !fields[1]!.startsWith('v')) {
        outcome.problem = { line: i + 1, message: `a require line needs a module path and a version: "${rest.slice(0, 60)}"` };
        return outcome;
      }
      requires.push({ path: fields[0]!, version: fields[1]!, line: i + 1, indirect });
    } else if (directive === 'replace') {
      const arrow = fields.indexOf('=>');
      if (arrow <= 0) {
        outcome.problem = { line: i + 1, message: 'a replace line needs "=>"' };
        return outcome;
      }
      const target = fields.slice(arrow + 1);
      const replacement: { path: string; version?: string } = { path: target[0] ?? '' };
      if (target[1]) replacement.version = target[1];
      replaces.set(fields[0]!, replacement);
      if (arrow === 2) replaces.set(`${fields[0]}@${fields[1]}`, replacement);
    }
  }
  if (block) {
    outcome.problem = { line: lines.length, message: `the "${block} (" block is not closed` };
    return outcome;
  }
  for (const r of requires) {
    const replacement = replaces.get(`${r.path}@${r.version}`) ?? replaces.get(r.path);
    if (replacement && !replacement.version) {
      outcome.notes.push({ line: r.line, message: `${r.path} is replaced by the local folder ${replacement.path}: not checked against advisories` });
      continue;
    }
    const c: Component = replacement
      ? componentOf('Go', replacement.path, replacement.version!, file, { line: r.line, direct: !r.indirect })
      : componentOf('Go', r.path, r.version, file, { line: r.line, direct: !r.indirect });
    outcome.components.push(c);
  }
  return outcome;
}

export function parseGoSum(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 3 || !fields[1]!.startsWith('v') || !fields[2]!.includes(':')) {
      outcome.problem = { line: i + 1, message: 'expected "<module> <version> <hash>"' };
      return outcome;
    }
    if (fields[1]!.endsWith('/go.mod')) continue;
    const key = `${fields[0]}@${fields[1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    outcome.components.push(componentOf('Go', fields[0]!, fields[1]!, file, { line: i + 1 }));
  }
  return outcome;
}
