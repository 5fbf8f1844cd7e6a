// Each OSV ecosystem orders its versions its own way; this picks the ordering for an ecosystem.
import { compareComposer } from './composer.ts';
import { compareMaven } from './maven.ts';
import { comparePep440Parsed, normalizePep440, parsePep440 } from './pep440.ts';
import { compareParsedSemver, parseSemver } from './semver.ts';

export interface VersionOrdering {
  /** Negative when a < b, 0 when equal, positive when a > b. Total: never throws. */
  compare(a: string, b: string): number;
  /** Canonical text used to test membership of an OSV `versions` list. */
  canonical(version: string): string;
}

function textCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Versions that the ecosystem's grammar rejects sort below valid ones, then by text.
function tolerant<T>(parse: (v: string) => T | undefined, compare: (a: T, b: T) => number) {
  return (a: string, b: string): number => {
    const x = parse(a);
    const y = parse(b);
    if (x && y) return compare(x, y);
    if (x) return 1;
    if (y) return -1;
    return textCompare(a, b);
  };
}

export const semverOrdering: VersionOrdering = {
  compare: tolerant(parseSemver, compareParsedSemver),
  canonical: (v) => v.trim().replace(/^[=v]+/, '').replace(/\+.*$/, ''),
};

export const pep440Ordering: VersionOrdering = {
  compare: tolerant(parsePep440, comparePep440Parsed),
  canonical: (v) => normalizePep440(v) ?? v.trim().toLowerCase(),
};

export const mavenOrdering: VersionOrdering = { compare: compareMaven, canonical: (v) => v.trim().toLowerCase() };

export const composerOrdering: VersionOrdering = {
  compare: compareComposer,
  canonical: (v) => v.trim().replace(/^[vV]/, '').toLowerCase(),
};

const byEcosystem: Record<string, VersionOrdering> = {
  npm: semverOrdering,
  'crates.io': semverOrdering,
  Go: semverOrdering,
  PyPI: pep440Ordering,
  Maven: mavenOrdering,
  Packagist: composerOrdering,
};

/** Ordering for an OSV ecosystem name (`Debian:12` style suffixes are ignored); semver as a fallback. */
export function orderingFor(ecosystem: string): VersionOrdering {
  return byEcosystem[ecosystem.split(':')[0]!] ?? semverOrdering;
}
