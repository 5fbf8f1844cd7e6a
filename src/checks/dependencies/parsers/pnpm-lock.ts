// pnpm-lock.yaml, lockfile versions 5.x to 9.0. Package keys changed shape over time:
//   v5  /name/1.2.3_peer+deps     /@scope/name/1.2.3
//   v6  /name@1.2.3(peer@1.0.0)   /@scope/name@1.2.3
//   v9  name@1.2.3                @scope/name@1.2.3   (peers only under `snapshots`)
import { componentOf, type ParseOutcome } from '../component.ts';
import { parseYamlDocument } from './yaml-problem.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function pnpmKey(key: string, lockfileMajor: number): { name: string; version: string } | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key;
  if (lockfileMajor < 6) {
    k = k.replace(/_[^/]*$/, '');
    const slash = k.lastIndexOf('/');
    if (slash <= 0) return undefined;
    return { name: k.slice(0, slash), version: k.slice(slash + 1) };
  }
  const paren = k.indexOf('(');
  if (paren !== -1) k = k.slice(0, paren);
  const at = k.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: k.slice(0, at), version: k.slice(at + 1) };
}

/** Line of each key of the `packages:` section, found in one pass over the text. */
function packageKeyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  let inPackages = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (/^\S/.test(line)) {
      inPackages = /^packages:\s*$/.test(line);
      continue;
    }
    if (!inPackages) continue;
    const m = /^ {2}(?:'([^']+)'|"([^"]+)"|([^\s'"#][^:]*?)):(?:\s|$)/.exec(line);
    if (m) {
      const key = m[1] ?? m[2] ?? m[3]!;
      if (!out.has(key)) out.set(key, i + 1);
    }
  }
  return out;
}

function directNames(lock: Obj): Set<string> {
  const names = new Set<string>();
  const sections: Obj[] = [lock];
  if (isObj(lock.importers)) for (const imp of Object.values(lock.importers)) if (isObj(imp)) sections.push(imp);
  for (const section of sections) {
    for (const k of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      const deps = section[k];
      if (isObj(deps)) for (const name of Object.keys(deps)) names.add(name);
    }
  }
  return names;
}

export function parsePnpmLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const parsed = parseYamlDocument(text);
  if ('problem' in parsed) return { ...outcome, problem: parsed.problem };
  const lock = parsed.value;
  if (!isObj(lock) || lock.lockfileVersion === undefined) return { ...outcome, problem: { line: 1, message: 'not a pnpm lockfile: no "lockfileVersion"' } };
  const major = Number.parseInt(String(lock.lockfileVersion), 10);
  if (!Number.isFinite(major)) return { ...outcome, problem: { line: 1, message: `unknown lockfileVersion "${String(lock.lockfileVersion)}"` } };
  const keyLines = packageKeyLines(text);
  const direct = directNames(lock);
  const packages = isObj(lock.packages) ? lock.packages : {};
  for (const [key, entry] of Object.entries(packages)) {
    const info = isObj(entry) ? entry : {};
    // Tarball and git dependencies carry their own name/version fields.
    const fromKey = pnpmKey(key, major);
    const name = typeof info.name === 'string' ? info.name : fromKey?.name;
    const version = typeof info.version === 'string' ? info.version : fromKey?.version;
    const line = keyLines.get(key);
    if (!name || !version || !/^\d/.test(version)) {
      outcome.notes.push({ line, message: `package "${key}" has no registry version: not checked against advisories` });
      continue;
    }
    outcome.components.push(componentOf('npm', name, version, file, { line, direct: direct.has(name), development: info.dev === 'true' }));
  }
  return outcome;
}
