// Semantic Versioning 2.0 precedence, tolerant of the forms found in lockfiles and advisories:
// a leading `v` (Go), `=`, more or fewer than three numeric parts (missing parts count as 0),
// and build metadata (ignored, as the specification says; Go's `+incompatible` too).
// Go pseudo-versions (v0.0.0-20191109021931-daa7c04131f5) are valid semver prereleases and
// order correctly under these rules.
import { compareDigits, sign } from './numeric.ts';

export interface ParsedSemver {
  release: string[];
  prerelease: string[];
}

const pattern = /^[=v\s]*(\d+(?:\.\d+)*)(?:-?([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]*)?$/;

export function parseSemver(version: string): ParsedSemver | undefined {
  const m = pattern.exec(version.trim());
  if (!m) return undefined;
  const release = m[1]!.split('.');
  const prerelease = m[2] ? m[2].split('.') : [];
  if (prerelease.some((p) => p === '')) return undefined;
  return { release, prerelease };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareParsedSemver(a: ParsedSemver, b: ParsedSemver): number {
  const n = Math.max(a.release.length, b.release.length, 3);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a.release[i] ?? '0', b.release[i] ?? '0');
    if (c !== 0) return c;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    // A release ranks above any of its prereleases.
    return sign(b.prerelease.length - a.prerelease.length);
  }
  const m = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < m; i++) {
    const c = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (c !== 0) return c;
  }
  return sign(a.prerelease.length - b.prerelease.length);
}
