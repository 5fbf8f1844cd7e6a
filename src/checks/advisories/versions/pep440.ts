// PEP 440 version ordering (Python packages), following the reference implementation's sort key:
// epoch, release (trailing zeros ignored), pre-release (a < b < rc), post-release, dev-release,
// then local version label. Strings that are not PEP 440 versions sort below every valid version
// and among themselves by text, so an advisory with a legacy version never crashes matching.
import { sign } from './numeric.ts';

const pattern =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?((?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?([-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

export interface Pep440Version {
  epoch: number;
  release: number[];
  pre?: [number, number];
  post?: number;
  dev?: number;
  local?: (number | string)[];
}

const preRank: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(version: string): Pep440Version | undefined {
  const m = pattern.exec(version);
  if (!m) return undefined;
  const v: Pep440Version = { epoch: m[1] ? Number(m[1]) : 0, release: m[2]!.split('.').map(Number) };
  if (m[4]) v.pre = [preRank[m[4].toLowerCase()]!, m[5] ? Number(m[5]) : 0];
  if (m[6]) v.post = Number(m[7] ?? m[9] ?? 0);
  if (m[11]) v.dev = m[12] ? Number(m[12]) : 0;
  if (m[13]) v.local = m[13].toLowerCase().split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return v;
}

/** Canonical text of a version (PEP 440 normal form), used to compare `versions` lists exactly. */
export function normalizePep440(version: string): string | undefined {
  const v = parsePep440(version);
  if (!v) return undefined;
  let s = v.epoch ? `${v.epoch}!` : '';
  s += v.release.join('.');
  if (v.pre) s += `${['a', 'b', 'rc'][v.pre[0]]}${v.pre[1]}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join('.')}`;
  return s;
}

function compareNumberLists(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return sign(a[i]! - b[i]!);
  return sign(a.length - b.length);
}

function trimZeros(release: number[]): number[] {
  let end = release.length;
  while (end > 1 && release[end - 1] === 0) end--;
  return release.slice(0, end);
}

function preKey(v: Pep440Version): number[] {
  // A dev release of a final version (1.0.dev1) sorts before its pre-releases (1.0a1).
  if (!v.pre && v.post === undefined && v.dev !== undefined) return [-Infinity];
  if (!v.pre) return [Infinity];
  return v.pre;
}

function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return sign(x - y);
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return sign(a.length - b.length);
}

export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  return (
    sign(a.epoch - b.epoch) ||
    compareNumberLists(trimZeros(a.release), trimZeros(b.release)) ||
    compareNumberLists(preKey(a), preKey(b)) ||
    compareNumberLists([a.post ?? -Infinity], [b.post ?? -Infinity]) ||
    compareNumberLists([a.dev ?? Infinity], [b.dev ?? Infinity]) ||
    compareLocal(a.local, b.local)
  );
}
