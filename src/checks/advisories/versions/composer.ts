// Packagist (Composer) ordering: Composer normalises versions to four numeric parts and compares
// them like PHP's version_compare, where stability words order
// dev < alpha = a < beta = b < RC = rc < (number) < pl = p, and unknown words come first.
import { compareDigits } from './numeric.ts';

const special: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, rc: 3, '#': 4, pl: 5, p: 5, patch: 5 };

export function canonicalComposer(version: string): string[] {
  let v = version.trim().replace(/^[vV=]/, '').replace(/\+.*$/, '');
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v);
  if (m) {
    const parts = m[1]!.split('.');
    while (parts.length < 4) parts.push('0');
    v = parts.join('.') + m[2];
  }
  return v
    .toLowerCase()
    .replace(/[-_+]/g, '.')
    .replace(/(\d)(?=[^\d.])|([^\d.])(?=\d)/g, '$1$2.')
    .split('.')
    .filter((p) => p !== '');
}

function rank(part: string): number {
  return /^\d+$/.test(part) ? special['#']! : special[part] ?? -1;
}

function comparePart(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  return Math.sign(rank(a) - rank(b));
}

export function compareComposer(a: string, b: string): number {
  return compareCanonicalComposer(canonicalComposer(a), canonicalComposer(b));
}

export function compareCanonicalComposer(x: string[], y: string[]): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = comparePart(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  // As in PHP: a remaining number makes the longer version greater; a remaining word is
  // compared with "#" (so 1.0.0.0-beta < 1.0.0.0 < 1.0.0.0-pl1).
  if (x.length > n) return /^\d+$/.test(x[n]!) ? 1 : comparePart(x[n]!, '#');
  if (y.length > n) return /^\d+$/.test(y[n]!) ? -1 : comparePart('#', y[n]!);
  return 0;
}
