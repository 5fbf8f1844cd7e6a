// The dependency checker: reads every lockfile and manifest of the tree, builds the SBOM, and
// matches each locked package version against the OSV advisory database of the data folder
// (or the default set shipped with the product).
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fixedVersions, matchingEntries } from '../advisories/affected.ts';
import type { OsvRecord } from '../advisories/osv.ts';
import { openAdvisoryDatabase, type AdvisoryDatabase } from '../advisories/store.ts';
import { orderingFor } from '../advisories/versions/index.ts';
import { findingOf, type Checker, type CheckerResult, type CheckInput, type Finding, type SourceFile } from '../model.ts';
import type { Component } from './component.ts';
import { manifestKind } from './parsers/index.ts';
import { dependencyRules, allDependencyRules } from './rules.ts';
import { buildSbom } from './sbom.ts';
import { advisorySeverity } from './severity.ts';
import { say } from './messages.ts';

export interface DependencyScan {
  components: Component[];
  result: CheckerResult;
}

/** Reads the manifests of the tree: components, notes, and findings for files that do not parse. */
/** Lockfiles of big monorepos often exceed the engine's 5 MB text limit; they are read anyway up to this. */
export const maxManifestBytes = 64 * 1024 * 1024;

// The engine hands over no text for files over its size limit. A lockfile is plain text whose
// size grows with the dependency count, so it is read here directly — only a regular file inside
// the root (never a symbolic link), and still bounded.
async function readLargeManifest(root: string, file: SourceFile): Promise<string | undefined> {
  if (file.size <= 5 * 1024 * 1024 || file.size > maxManifestBytes) return undefined;
  const full = path.join(root, ...file.path.split('/'));
  if (path.relative(root, full).startsWith('..')) return undefined;
  try {
    const info = await lstat(full);
    if (!info.isFile() || info.size > maxManifestBytes) return undefined;
    return await readFile(full, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readComponents(input: Pick<CheckInput, 'files' | 'readText'> & { root?: string }): Promise<{ components: Component[]; findings: Finding[]; notes: CheckerResult['notes'] }> {
  const components: Component[] = [];
  const findings: Finding[] = [];
  const notes: CheckerResult['notes'] = [];
  const goModDirs = new Set(input.files.filter((f) => path.posix.basename(f.path) === 'go.mod').map((f) => path.posix.dirname(f.path)));
  const manifests = input.files
    .filter((f) => manifestKind(f.path) !== undefined)
    .filter((f) => !(path.posix.basename(f.path) === 'go.sum' && goModDirs.has(path.posix.dirname(f.path))))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of manifests) {
    const kind = manifestKind(file.path)!;
    const text = (await input.readText(file.path)) ?? (input.root !== undefined ? await readLargeManifest(input.root, file) : undefined);
    if (text === undefined) {
      notes.push({ file: file.path, message: `${kind.format} not read (binary, unreadable or too large): its dependencies are not checked` });
      continue;
    }
    let outcome;
    try {
      outcome = kind.parse(file.path, text);
    } catch (e) {
      // Parsers return problems as values; this is the last guard so a hostile file never stops the run.
      outcome = { components: [], notes: [], problem: { message: e instanceof RangeError ? 'nesting too deep' : `unexpected content (${(e as Error).message})` } };
    }
    if (outcome.problem) {
      const rule = dependencyRules.unparsable;
      const location = { file: file.path, ...(outcome.problem.line !== undefined ? { line: outcome.problem.line } : {}), ...(outcome.problem.column !== undefined ? { column: outcome.problem.column } : {}) };
      findings.push(findingOf(rule, location, say['dependencies.unparsable'].parse({ format: kind.format, reason: outcome.problem.message }), kind.format, { format: kind.format }));
    }
    for (const n of outcome.notes) notes.push({ file: file.path, message: n.line !== undefined ? `line ${n.line}: ${n.message}` : n.message });
    components.push(...outcome.components);
  }
  return { components, findings, notes };
}

/** The advisory's summary, or else the first sentence of its details (PyPA records have only details). */
function advisoryTitle(record: OsvRecord): string {
  const text = (record.summary ?? record.details?.split(/(?<=[.!?])\s/)[0] ?? '').replace(/\s+/g, ' ').trim().replace(/[.!?]+$/, '');
  if (!text) return '';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function vulnerabilityFinding(component: Component, record: OsvRecord): Finding | undefined {
  const entries = matchingEntries(record, component.ecosystem, component.name, component.version);
  if (entries.length === 0) return undefined;
  const fixed = fixedVersions(entries, component.ecosystem);
  const ordering = orderingFor(component.ecosystem);
  const upgradeTo = fixed.find((v) => ordering.compare(v, component.version) > 0);
  const rated = advisorySeverity(record);
  const aliases = [...(record.aliases ?? [])].sort();
  const cves = aliases.filter((a) => a.startsWith('CVE-'));
  const rule = { ...dependencyRules.vulnerablePackage, severity: rated.severity };
  const title = advisoryTitle(record);
  const message = say['dependencies.vulnerable-package'].vulnerable({
    package: `${component.name}@${component.version}`,
    advisory: `${record.id}${cves.length ? ` (${cves.join(', ')})` : ''}`,
    title,
    fixedIn: upgradeTo ?? '',
    cvss: rated.cvss ? `${rated.cvss.version} ${rated.cvss.baseScore}` : '',
  });
  const location = { file: component.file, ...(component.line !== undefined ? { line: component.line } : {}) };
  return findingOf(rule, location, message, `${component.purl}\0${record.id}`, {
    advisoryId: record.id,
    aliases,
    purl: component.purl,
    ecosystem: component.ecosystem,
    package: component.name,
    version: component.version,
    fixedVersions: fixed,
    cvss: rated.cvss ? { version: rated.cvss.version, vector: rated.cvss.vector, baseScore: rated.cvss.baseScore } : null,
    severityBasis: rated.basis,
    ...(component.direct !== undefined ? { direct: component.direct } : {}),
  });
}

/** Findings for every component version that an advisory of `db` covers. */
export function matchComponents(components: readonly Component[], db: AdvisoryDatabase): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const byPackage = new Map<string, OsvRecord[]>();
  for (const c of components) {
    const packageKey = `${c.ecosystem}\0${c.name}`;
    let records = byPackage.get(packageKey);
    if (!records) byPackage.set(packageKey, (records = db.lookup(c.ecosystem, c.name)));
    for (const record of records) {
      const f = vulnerabilityFinding(c, record);
      if (f && !seen.has(f.fingerprint)) {
        seen.add(f.fingerprint);
        findings.push(f);
      }
    }
  }
  return findings;
}

export async function scanDependencies(input: CheckInput, db?: AdvisoryDatabase): Promise<DependencyScan> {
  const { components, findings, notes } = await readComponents(input);
  const sbom = buildSbom(components, path.basename(path.resolve(input.root)));
  if (components.length > 0) {
    let database = db;
    try {
      database ??= await openAdvisoryDatabase(input.options.dataDir);
    } catch (e) {
      notes.push({ message: `advisory database unreadable (${(e as Error).message}): dependencies were not checked for vulnerabilities` });
    }
    if (database) {
      findings.push(...matchComponents(components, database));
      if (database.origin === 'default') {
        notes.push({ message: 'vulnerabilities checked against the small default advisory set only: run `dso advisories import <osv-export.zip>` to use a current database' });
      }
      if (!db) database.close();
    }
  }
  return { components, result: { findings, notes, sbom } };
}

export const dependenciesChecker: Checker = {
  name: 'dependencies',
  rules: allDependencyRules,
  async check(input: CheckInput): Promise<CheckerResult> {
    return (await scanDependencies(input)).result;
  },
};
