// The [[package]] tables of a TOML lockfile (poetry.lock, uv.lock, pdm.lock, Cargo.lock): each resolved package
// with a name and a version, and a line index to locate it. Each ecosystem's parser decides which sources count.
import { parse as parseToml } from 'smol-toml';
import type { ParseProblem } from '../component.ts';
import { LineIndex } from './lines.ts';
import { tomlProblem } from './toml-problem.ts';

export type LockPackage = Record<string, unknown> & { name: string; version: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readTomlLockPackages(
  text: string,
): { problem: ParseProblem } | { packages: LockPackage[]; lines: LineIndex } {
  let lock: Record<string, unknown>;
  try {
    lock = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    return { problem: tomlProblem(e) };
  }
  const tables = Array.isArray(lock.package) ? lock.package : [];
  const packages = tables.filter(
    (p): p is LockPackage => isObj(p) && typeof p.name === 'string' && typeof p.version === 'string',
  );
  return { packages, lines: new LineIndex(text) };
}
