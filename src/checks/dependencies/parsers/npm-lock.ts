// package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`) and
// 2–3 (flat `packages` keyed by install path).
import { componentOf, type Component, type ParseOutcome } from '../component.ts';
import { parseJsonObject } from './json-problem.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// Versions of packages installed from git, a tarball URL or a folder are not registry versions.
const registryVersion = /^\d+\.\d+\.\d+/;

function fromPackages(packages: Obj, file: string, lines: LineIndex, outcome: ParseOutcome): void {
  const root = isObj(packages['']) ? packages[''] : {};
  const directNames = new Set<string>();
  for (const k of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    const deps = root[k];
    if (isObj(deps)) for (const name of Object.keys(deps)) directNames.add(name);
  }
  for (const [key, entry] of Object.entries(packages)) {
    if (key === '' || !isObj(entry) || entry.link === true) continue;
    const at = key.lastIndexOf('node_modules/');
    if (at === -1) continue; // a workspace folder of the project itself
    const name = typeof entry.name === 'string' ? entry.name : key.slice(at + 'node_modules/'.length);
    const version = entry.version;
    if (typeof version !== 'string') continue;
    if (!registryVersion.test(version)) {
      outcome.notes.push({ line: lines.find(`"${key}"`), message: `${name}@${version} is not a registry version: not checked against advisories` });
      continue;
    }
    outcome.components.push(
      componentOf('npm', name, version, file, {
        line: lines.find(`"${key}"`),
        direct: key === `node_modules/${name}` && directNames.has(name),
        development: entry.dev === true,
      }),
    );
  }
}

function fromDependencies(deps: Obj, file: string, lines: LineIndex, outcome: ParseOutcome, depth: number): void {
  if (depth > 64) return; // npm itself never nests this deep; a hostile file might
  for (const [name, entry] of Object.entries(deps)) {
    if (!isObj(entry)) continue;
    const version = entry.version;
    if (typeof version === 'string') {
      if (registryVersion.test(version)) {
        const c: Component = componentOf('npm', name, version, file, { line: lines.find(`"${name}": {`), development: entry.dev === true });
        outcome.components.push(c);
      } else {
        outcome.notes.push({ line: lines.find(`"${name}": {`), message: `${name}@${version} is not a registry version: not checked against advisories` });
      }
    }
    if (isObj(entry.dependencies)) fromDependencies(entry.dependencies, file, lines, outcome, depth + 1);
  }
}

export function parseNpmLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return { ...outcome, problem: parsed.problem };
  const lock = parsed.value;
  const lines = new LineIndex(text);
  if (isObj(lock.packages)) fromPackages(lock.packages, file, lines, outcome);
  else if (isObj(lock.dependencies)) fromDependencies(lock.dependencies, file, lines, outcome, 0);
  else if (typeof lock.lockfileVersion !== 'number') return { ...outcome, problem: { line: 1, message: 'not a package-lock.json: no "lockfileVersion", "packages" or "dependencies"' } };
  return outcome;
}
