// yarn.lock, both the classic v1 format and the YAML-like format of Yarn 2+ ("berry").
// Both are read line by line: an unindented `key:` line opens an entry whose descriptors are
// comma-separated `name@range`; the indented `version` line gives the resolved version.
import { componentOf, type ParseOutcome } from '../component.ts';

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** `@scope/name@npm:^1.0.0` → `@scope/name` */
function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

export function parseYarnLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const berry = /^__metadata:/m.test(text);
  const lines = text.split(/\r?\n/);
  let current: { line: number; descriptors: string[] } | undefined;
  let version: string | undefined;
  let resolution: string | undefined;
  const flush = (): void => {
    if (!current) return;
    const first = current.descriptors[0];
    if (first && version && !first.startsWith('__metadata')) {
      // Berry: `resolution: "name@npm:1.2.3"`; only registry packages have advisories.
      const protocol = berry ? /@([a-z]+):/.exec((resolution ?? first).slice(1))?.[1] : 'npm';
      const name = descriptorName(resolution ?? first);
      if (protocol === 'npm' || protocol === 'patch' || protocol === undefined) {
        outcome.components.push(componentOf('npm', name, version, file, { line: current.line }));
      } else if (protocol !== 'workspace') {
        outcome.notes.push({ line: current.line, message: `${name} comes from "${protocol}:": not checked against advisories` });
      }
    }
    current = undefined;
    version = undefined;
    resolution = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(raw)) {
      flush();
      if (!raw.endsWith(':')) {
        return { components: [], notes: [], problem: { line: i + 1, message: 'expected an entry such as `"name@range":` at the start of the line' } };
      }
      current = { line: i + 1, descriptors: raw.slice(0, -1).split(',').map(unquote).filter((d) => d) };
      continue;
    }
    if (!current) {
      return { components: [], notes: [], problem: { line: i + 1, message: 'indented line outside of any entry' } };
    }
    const m = /^ {2}(version|resolution):? +(.+)$/.exec(raw);
    if (m) {
      if (m[1] === 'version') version = unquote(m[2]!);
      else resolution = unquote(m[2]!);
    }
  }
  flush();
  return outcome;
}
