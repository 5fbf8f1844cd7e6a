// The subset of the OSV schema (https://ossf.github.io/osv-schema/) that the product reads.
// Records from outside are validated into these shapes by `validateOsv` before use.

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' | string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvRecord {
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Most list items a record may have in total (real records stay under a few thousand). */
export const maxRecordItems = 100_000;

function countItems(raw: Record<string, unknown>): number {
  let n = 0;
  for (const a of Array.isArray(raw.affected) ? raw.affected : []) {
    n++;
    if (!isObject(a)) continue;
    if (Array.isArray(a.versions)) n += a.versions.length;
    for (const r of Array.isArray(a.ranges) ? a.ranges : []) {
      n++;
      if (isObject(r) && Array.isArray(r.events)) n += r.events.length;
      if (n > maxRecordItems) return n;
    }
  }
  return n;
}

/** Keeps only well-typed fields; returns an error message when the record is not OSV at all. */
export function validateOsv(raw: unknown): OsvRecord | string {
  if (!isObject(raw)) return 'not an object';
  if (!isString(raw.id) || raw.id.length === 0 || raw.id.length > 200) return 'missing "id"';
  if (!Array.isArray(raw.affected)) return `${raw.id}: missing "affected" list`;
  // Aliased YAML nodes are shared, not copied: a small file could describe a huge record.
  if (countItems(raw) > maxRecordItems) return `${raw.id}: more than ${maxRecordItems} affected versions, ranges and events`;
  const record: OsvRecord = { id: raw.id };
  if (isString(raw.modified)) record.modified = raw.modified;
  if (isString(raw.published)) record.published = raw.published;
  if (isString(raw.withdrawn)) record.withdrawn = raw.withdrawn;
  if (isString(raw.summary)) record.summary = raw.summary.slice(0, 1000);
  if (isString(raw.details)) record.details = raw.details.slice(0, 4000);
  if (Array.isArray(raw.aliases)) record.aliases = raw.aliases.filter(isString).slice(0, 50);
  if (Array.isArray(raw.severity)) {
    record.severity = raw.severity
      .filter(isObject)
      .filter((s) => isString(s.type) && isString(s.score))
      .map((s) => ({ type: s.type as string, score: s.score as string }));
  }
  if (Array.isArray(raw.references)) {
    record.references = raw.references
      .filter(isObject)
      .filter((r) => isString(r.type) && isString(r.url))
      .slice(0, 20)
      .map((r) => ({ type: r.type as string, url: r.url as string }));
  }
  if (isObject(raw.database_specific)) record.database_specific = raw.database_specific;
  record.affected = raw.affected.filter(isObject).map((a) => {
    const affected: OsvAffected = {};
    const pkg = a.package;
    if (isObject(pkg) && isString(pkg.ecosystem) && isString(pkg.name)) {
      affected.package = { ecosystem: pkg.ecosystem, name: pkg.name };
      if (isString(pkg.purl)) affected.package.purl = pkg.purl;
    }
    if (Array.isArray(a.ranges)) {
      affected.ranges = a.ranges
        .filter(isObject)
        .filter((r) => isString(r.type) && Array.isArray(r.events))
        .map((r) => ({
          type: r.type as string,
          events: (r.events as unknown[]).filter(isObject).map((e) => {
            const event: OsvEvent = {};
            for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
              const v = e[k];
              if (isString(v)) event[k] = v;
              else if (typeof v === 'number') event[k] = String(v);
            }
            return event;
          }),
        }));
    }
    if (Array.isArray(a.versions)) affected.versions = a.versions.map((v) => (typeof v === 'number' ? String(v) : v)).filter(isString);
    if (isObject(a.database_specific)) affected.database_specific = a.database_specific;
    const imports = importPathsOf(a.ecosystem_specific);
    if (imports.length > 0) affected.ecosystem_specific = { imports: imports.map((p) => ({ path: p })) };
    return affected;
  });
  return record;
}

/**
 * The packages an entry names (Go records: `ecosystem_specific.imports[].path`), bounded; the symbol lists are not
 * kept. Empty when the record names none: the whole module is then affected.
 */
export function importPathsOf(ecosystemSpecific: unknown): string[] {
  if (!isObject(ecosystemSpecific) || !Array.isArray(ecosystemSpecific.imports)) return [];
  return ecosystemSpecific.imports
    .filter(isObject)
    .map((i) => i.path)
    .filter((p): p is string => isString(p) && p.length > 0 && p.length <= 300)
    .slice(0, 200);
}
