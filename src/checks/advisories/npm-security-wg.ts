// Converts advisories of the Node.js Security Working Group (`vuln/npm/<n>.json`:
// module_name, vulnerable_versions as an npm semver range, cves, cvss_vector…) into OSV records.
// Each `||` alternative of the range becomes one SEMVER range, so the conversion is exact:
// a version matches the OSV record if and only if it satisfies the original range (ignoring npm's
// special treatment of prereleases, which does not apply to advisories).
import semver from 'semver';
import type { OsvEvent, OsvRange, OsvRecord } from './osv.ts';

export interface NpmWgAdvisory {
  id: number | string;
  title?: string;
  overview?: string;
  recommendation?: string;
  module_name: string;
  cves?: string[];
  vulnerable_versions: string;
  patched_versions?: string | null;
  created_at?: string;
  updated_at?: string;
  publish_date?: string;
  references?: string[];
  cvss_vector?: string | null;
  cvss_score?: number | null;
}

export function isNpmWgAdvisory(raw: unknown): raw is NpmWgAdvisory {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return typeof r.module_name === 'string' && typeof r.vulnerable_versions === 'string' && (typeof r.id === 'number' || typeof r.id === 'string');
}

/** Smallest semver version strictly greater than `v`. */
function successor(v: semver.SemVer): string {
  if (v.prerelease.length > 0) return `${v.version}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}-0`;
}

type Bound = { version: semver.SemVer; inclusive: boolean };
/** A contiguous set of versions; an absent bound is unbounded. */
type Interval = { lower?: Bound; upper?: Bound };

function comparatorSetToInterval(set: readonly semver.Comparator[]): Interval | undefined {
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (const c of set) {
    // `*` is a comparator without a version (semver's ANY): no bound.
    if (c.value === '' || (c.semver as unknown as { version?: string }).version === undefined) continue;
    const v = c.semver;
    const op = c.operator;
    if (op === '' || op === '=') {
      lower = { version: v, inclusive: true };
      upper = { version: v, inclusive: true };
      continue;
    }
    if (op === '>' || op === '>=') {
      const b = { version: v, inclusive: op === '>=' };
      const cmp = lower ? semver.compare(v, lower.version) : 1;
      if (!lower || cmp > 0 || (cmp === 0 && !b.inclusive)) lower = b;
    } else {
      const b = { version: v, inclusive: op === '<=' };
      const cmp = upper ? semver.compare(v, upper.version) : -1;
      if (!upper || cmp < 0 || (cmp === 0 && !b.inclusive)) upper = b;
    }
  }
  const interval: Interval = {};
  if (lower) interval.lower = lower;
  if (upper) interval.upper = upper;
  return isEmpty(interval) ? undefined : interval;
}

function isEmpty({ lower, upper }: Interval): boolean {
  if (lower && upper) {
    const cmp = semver.compare(lower.version, upper.version);
    if (cmp > 0 || (cmp === 0 && !(lower.inclusive && upper.inclusive))) return true;
  }
  // `<0.0.0-0` and the like: nothing can match.
  return !lower && upper !== undefined && !upper.inclusive && upper.version.version === '0.0.0-0';
}

/** `a` without the versions of `p`: zero, one or two intervals. */
function subtract(a: Interval, p: Interval): Interval[] {
  const out: Interval[] = [];
  // What lies below p's lower bound…
  if (p.lower) {
    const below: Interval = {
      ...(a.lower ? { lower: a.lower } : {}),
      upper: { version: p.lower.version, inclusive: !p.lower.inclusive },
    };
    if (a.upper && semver.compare(a.upper.version, p.lower.version) < 0) below.upper = a.upper;
    else if (a.upper && semver.compare(a.upper.version, p.lower.version) === 0)
      below.upper = { version: a.upper.version, inclusive: a.upper.inclusive && !p.lower.inclusive };
    if (!isEmpty(below)) out.push(below);
  }
  // …and what lies above its upper bound.
  if (p.upper) {
    const above: Interval = {
      lower: { version: p.upper.version, inclusive: !p.upper.inclusive },
      ...(a.upper ? { upper: a.upper } : {}),
    };
    if (a.lower && semver.compare(a.lower.version, p.upper.version) > 0) above.lower = a.lower;
    else if (a.lower && semver.compare(a.lower.version, p.upper.version) === 0)
      above.lower = { version: a.lower.version, inclusive: a.lower.inclusive && !p.upper.inclusive };
    if (!isEmpty(above)) out.push(above);
  }
  return out;
}

function intervalToRange({ lower, upper }: Interval): OsvRange {
  const events: OsvEvent[] = [{ introduced: lower ? (lower.inclusive ? lower.version.version : successor(lower.version)) : '0' }];
  if (upper) events.push(upper.inclusive ? { last_affected: upper.version.version } : { fixed: upper.version.version });
  return { type: 'SEMVER', events };
}

function intervalsOf(range: string): Interval[] | string {
  let parsed: semver.Range;
  try {
    parsed = new semver.Range(range.trim() === '' ? '*' : range, { loose: true, includePrerelease: true });
  } catch (e) {
    return `invalid semver range "${range}": ${(e as Error).message}`;
  }
  return parsed.set.map(comparatorSetToInterval).filter((r): r is Interval => r !== undefined);
}

/**
 * The OSV ranges of an npm range, minus the patched versions when given: the WG sometimes writes a vulnerable range
 * wider than the truth (protobufjs: vulnerable <=6.8.5, patched >=5.0.3 <6.0.0 || >=6.8.6), and a version it says
 * is patched is not affected.
 */
export function semverRangeToOsv(range: string, patched?: string | null): OsvRange[] | string {
  let intervals = intervalsOf(range);
  if (typeof intervals === 'string') return intervals;
  if (patched && patched.trim() !== '') {
    const fixes = intervalsOf(patched);
    // An unreadable patched range is ignored: the vulnerable one alone errs on the safe side.
    if (typeof fixes !== 'string') for (const fix of fixes) intervals = intervals.flatMap((i) => subtract(i, fix));
  }
  if (intervals.length === 0) return `semver range "${range}" matches no version${patched ? ` outside the patched ones "${patched}"` : ''}`;
  return intervals.map(intervalToRange);
}

function isoDate(d: string | undefined): string | undefined {
  if (!d) return undefined;
  const t = Date.parse(d);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function npmWgToOsv(advisory: NpmWgAdvisory): OsvRecord | string {
  const id = `NSWG-ECO-${advisory.id}`;
  const ranges = semverRangeToOsv(advisory.vulnerable_versions, advisory.patched_versions);
  if (typeof ranges === 'string') return `${id}: ${ranges}`;
  const record: OsvRecord = {
    id,
    summary: advisory.title ?? `Vulnerability in ${advisory.module_name}`,
    aliases: (advisory.cves ?? []).filter((c) => typeof c === 'string' && /^CVE-\d{4}-\d+$/.test(c)),
    affected: [
      {
        package: {
          ecosystem: 'npm',
          name: advisory.module_name,
          purl: `pkg:npm/${advisory.module_name.replace(/^@/, '%40')}`,
        },
        ranges,
        database_specific: {
          vulnerable_versions: advisory.vulnerable_versions,
          patched_versions: advisory.patched_versions ?? null,
        },
      },
    ],
    references: (advisory.references ?? []).filter((u) => typeof u === 'string').map((url) => ({ type: 'WEB', url })),
    database_specific: { source: 'Node.js Security WG (MIT)', cvss_score: advisory.cvss_score ?? null },
  };
  const details = [advisory.overview, advisory.recommendation].filter((s): s is string => typeof s === 'string' && s.length > 0).join('\n\n');
  if (details) record.details = details;
  const modified = isoDate(advisory.updated_at) ?? isoDate(advisory.created_at);
  if (modified) record.modified = modified;
  const published = isoDate(advisory.publish_date);
  if (published) record.published = published;
  const vector = advisory.cvss_vector?.trim();
  if (vector && /^CVSS:3\.[01]\//.test(vector)) record.severity = [{ type: 'CVSS_V3', score: vector }];
  return record;
}
