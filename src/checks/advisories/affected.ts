// Is a package version affected by an OSV record? Implements the OSV evaluation of `versions`
// lists and SEMVER/ECOSYSTEM `ranges` (GIT ranges need commits, which lockfiles do not give).
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './osv.ts';
import { orderingFor, type VersionOrdering } from './versions/index.ts';

/** Package names as each ecosystem compares them (PyPI: PEP 503; others mostly case-insensitive). */
export function normalizePackageName(ecosystem: string, name: string): string {
  const eco = ecosystem.split(':')[0];
  if (eco === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (eco === 'Go') return name;
  return name.toLowerCase();
}

function eventVersion(e: OsvEvent): string {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';
}

export function inRange(version: string, range: OsvRange, ordering: VersionOrdering): boolean {
  const limits = range.events.filter((e) => e.limit !== undefined).map((e) => e.limit!);
  if (limits.length > 0 && !limits.some((l) => l === '*' || ordering.compare(version, l) < 0)) return false;
  const events = range.events
    .filter((e) => e.limit === undefined)
    .slice()
    .sort((a, b) => {
      // "0" means "from the beginning" whatever the ecosystem's grammar says about it.
      if (a.introduced === '0') return -1;
      if (b.introduced === '0') return 1;
      return ordering.compare(eventVersion(a), eventVersion(b));
    });
  let affected = false;
  for (const e of events) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || ordering.compare(version, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (ordering.compare(version, e.fixed) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (ordering.compare(version, e.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

export function affectedEntryMatches(entry: OsvAffected, version: string, ordering: VersionOrdering): boolean {
  if (entry.versions && entry.versions.length > 0) {
    // Equal in the ecosystem's order, not textually: PyPI's 2.0 is 2.0.0, Go's v1.2.3 is 1.2.3.
    const wanted = ordering.equalityKey(version);
    if (entry.versions.some((v) => v === version || ordering.equalityKey(v) === wanted)) return true;
  }
  for (const range of entry.ranges ?? []) {
    if ((range.type === 'SEMVER' || range.type === 'ECOSYSTEM') && inRange(version, range, ordering)) return true;
  }
  return false;
}

/** The affected entries of `record` that cover this package version (empty when not affected). */
export function matchingEntries(record: OsvRecord, ecosystem: string, name: string, version: string): OsvAffected[] {
  if (record.withdrawn) return [];
  const ordering = orderingFor(ecosystem);
  const wantedName = normalizePackageName(ecosystem, name);
  return (record.affected ?? []).filter(
    (entry) =>
      entry.package !== undefined &&
      entry.package.ecosystem.split(':')[0] === ecosystem &&
      normalizePackageName(ecosystem, entry.package.name) === wantedName &&
      affectedEntryMatches(entry, version, ordering),
  );
}

/** Versions that fix the problem, from the `fixed` events of the matching entries, lowest first. */
export function fixedVersions(entries: readonly OsvAffected[], ecosystem: string): string[] {
  const ordering = orderingFor(ecosystem);
  const fixed = new Set<string>();
  for (const entry of entries) for (const r of entry.ranges ?? []) if (r.type !== 'GIT') for (const e of r.events) if (e.fixed) fixed.add(e.fixed);
  return [...fixed].sort(ordering.compare);
}
