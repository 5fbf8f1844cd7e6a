// Rebuilds records.json.gz, the advisory set shipped with the product, from the public collections of
// ../shared/data/advisories (see README.md for sources and licences): every PyPA (PyPI) record, every Node.js
// Security WG (npm) record converted to OSV, every Go vulnerability database record. Only what matching and the
// findings read is kept (ids, aliases, dates, summary, the start of the details, severities, affected packages and
// ranges, the packages Go records name); GIT ranges and Go symbol lists are dropped. Withdrawn records are left out.
// Run: node --import tsx src/checks/advisories/default/build-default-set.ts [<advisories folder>]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import YAML from 'yaml';
import { isNpmWgAdvisory, npmWgToOsv } from '../npm-security-wg.ts';
import { importPathsOf, validateOsv, type OsvRecord } from '../osv.ts';

/** The Go vulnerability database's repository leaves dates at Go's zero time; only vuln.go.dev fills them in. */
const isZeroDate = (date: string) => date.startsWith('0001-01-01');

export function trimmed(record: OsvRecord): OsvRecord {
  const out: OsvRecord = { id: record.id };
  if (record.modified && !isZeroDate(record.modified)) out.modified = record.modified;
  if (record.published && !isZeroDate(record.published)) out.published = record.published;
  if (record.aliases?.length) out.aliases = record.aliases;
  if (record.summary) out.summary = record.summary;
  else if (record.details) out.details = record.details.slice(0, 240);
  if (record.severity?.length) out.severity = record.severity;
  out.affected = (record.affected ?? []).map((a) => {
    const entry: NonNullable<OsvRecord['affected']>[number] = {};
    if (a.package) entry.package = { ecosystem: a.package.ecosystem, name: a.package.name };
    const ranges = (a.ranges ?? []).filter((r) => r.type !== 'GIT');
    if (ranges.length) entry.ranges = ranges;
    if (a.versions?.length) entry.versions = a.versions;
    const severity = a.database_specific?.severity;
    if (typeof severity === 'string') entry.database_specific = { severity };
    // The affected packages of a Go module let the checker leave out programs that never import them.
    const imports = importPathsOf(a.ecosystem_specific);
    if (imports.length) entry.ecosystem_specific = { imports: imports.map((p) => ({ path: p })) };
    return entry;
  });
  const severity = record.database_specific?.severity;
  const score = record.database_specific?.cvss_score;
  if (typeof severity === 'string' || typeof score === 'number') out.database_specific = { ...(typeof severity === 'string' ? { severity } : {}), ...(typeof score === 'number' ? { cvss_score: score } : {}) };
  return out;
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));
}

export function buildDefaultSet(source: string): {
  records: OsvRecord[];
  counts: Record<string, number>;
  rejected: string[];
} {
  const records: OsvRecord[] = [];
  const rejected: string[] = [];
  const counts: Record<string, number> = {};
  const keep = (r: OsvRecord | string, ecosystem: string) => {
    if (typeof r === 'string') return rejected.push(r);
    if (r.withdrawn) return;
    records.push(trimmed(r));
    counts[ecosystem] = (counts[ecosystem] ?? 0) + 1;
  };
  for (const file of filesUnder(path.join(source, 'pypi-osv/vulns'), '.yaml'))
    keep(validateOsv(YAML.parse(readFileSync(file, 'utf8'), { maxAliasCount: 100 })), 'PyPI');
  for (const file of filesUnder(path.join(source, 'npm-nodejs-security-wg/vuln/npm'), '.json')) {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isNpmWgAdvisory(raw)) keep(npmWgToOsv(raw), 'npm');
  }
  for (const file of filesUnder(path.join(source, 'go-vulndb/osv'), '.json'))
    keep(validateOsv(JSON.parse(readFileSync(file, 'utf8'))), 'Go');
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { records, counts, rejected };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const source = process.argv[2] ?? path.resolve('../shared/data/advisories');
  const { records, counts, rejected } = buildDefaultSet(source);
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'records.json.gz');
  // mtime 0 in the gzip header: the same input gives the same bytes.
  writeFileSync(out, gzipSync(`${JSON.stringify(records)}\n`, { level: 9 }));
  process.stdout.write(`${records.length} records written to ${out}: ${JSON.stringify(counts)}; ${rejected.length} rejected\n`);
  for (const r of rejected.slice(0, 10)) process.stdout.write(`  rejected: ${r}\n`);
}
