// Each OSV ecosystem orders its versions its own way; this picks the ordering for an ecosystem.
import { canonicalComposer, compareCanonicalComposer } from './composer.ts';
import { compareParsedMaven, parseMaven } from './maven.ts';
import { comparePep440Parsed, normalizePep440, parsePep440 } from './pep440.ts';
import { compareParsedSemver, parseSemver } from './semver.ts';

export interface VersionOrdering {
  /** Negative when a < b, 0 when equal, positive when a > b. Total: never throws. */
  compare(a: string, b: string): number;
  /** Canonical text used to test membership of an OSV `versions` list. */
  canonical(version: string): string;
  /** Same string exactly when compare(a, b) === 0; cached, for fast `versions` list membership. */
  equalityKey(version: string): string;
}

function textCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Versions that the ecosystem's grammar rejects sort below valid ones, then by text.
// Advisories repeat the same version strings (long `versions` lists, shared bounds): parsing each
// string once matters more than anything else in matching. The cache is simply dropped when full.
function cached<T>(parse: (v: string) => T | undefined): (v: string) => T | undefined {
  const cache = new Map<string, T | null>();
  return (v) => {
    const hit = cache.get(v);
    if (hit !== undefined) return hit ?? undefined;
    if (cache.size >= 200_000) cache.clear();
    const parsed = parse(v);
    cache.set(v, parsed ?? null);
    return parsed;
  };
}

function tolerant<T>(
  parseVersion: (v: string) => T | undefined,
  compare: (a: T, b: T) => number,
  key: (parsed: T) => string,
) {
  const parse = cached(parseVersion);
  const keys = new Map<string, string>();
  const equalityKey = (v: string): string => {
    let k = keys.get(v);
    if (k === undefined) {
      const parsed = parse(v);
      k = parsed === undefined ? `\0${v}` : key(parsed);
      if (keys.size >= 200_000) keys.clear();
      keys.set(v, k);
    }
    return k;
  };
  return {
    equalityKey,
    compare: (a: string, b: string): number => {
      const x = parse(a);
      const y = parse(b);
      if (x && y) return compare(x, y);
      if (x) return 1;
      if (y) return -1;
      return textCompare(a, b);
    },
  };
}

const trimZeros = (parts: readonly (string | number)[]): string => {
  const p = parts.map((x) => String(x).replace(/^0+(?=\d)/, ''));
  while (p.length > 1 && p[p.length - 1] === '0') p.pop();
  return p.join('.');
};

export const semverOrdering: VersionOrdering = {
  ...tolerant(parseSemver, compareParsedSemver, (v) => `${trimZeros(v.release)}-${v.prerelease.map((p) => (/^\d+$/.test(p) ? p.replace(/^0+(?=\d)/, '') : p)).join('.')}`),
  canonical: (v) => v.trim().replace(/^[=v]+/, '').replace(/\+.*$/, ''),
};

export const pep440Ordering: VersionOrdering = {
  ...tolerant(parsePep440, comparePep440Parsed, (v) =>
    JSON.stringify([v.epoch, trimZeros(v.release), v.pre ?? null, v.post ?? null, v.dev ?? null, v.local ?? null]),
  ),
  canonical: (v) => normalizePep440(v) ?? v.trim().toLowerCase(),
};

// Maven and Composer: equal parsed forms compare equal; the rare other equal pairs fall back on compare.
export const mavenOrdering: VersionOrdering = {
  ...tolerant(parseMaven, compareParsedMaven, (v) => JSON.stringify(v)),
  canonical: (v) => v.trim().toLowerCase(),
};

export const composerOrdering: VersionOrdering = {
  ...tolerant(canonicalComposer, compareCanonicalComposer, (v) => v.join('.')),
  canonical: (v) => v.trim().replace(/^[vV]/, '').toLowerCase(),
};

const byEcosystem: Record<string, VersionOrdering> = {
  npm: semverOrdering,
  'crates.io': semverOrdering,
  Go: semverOrdering,
  PyPI: pep440Ordering,
  Maven: mavenOrdering,
  Packagist: composerOrdering,
  // Dotted numbers with optional pre-release labels: Maven's ordering compares them the same way.
  NuGet: mavenOrdering,
  RubyGems: mavenOrdering,
};

/** Ordering for an OSV ecosystem name (`Debian:12` style suffixes are ignored); semver as a fallback. */
export function orderingFor(ecosystem: string): VersionOrdering {
  return byEcosystem[ecosystem.split(':')[0]!] ?? semverOrdering;
}
