// The dependency checker: reads every lockfile and manifest of the tree, builds the SBOM, and
// matches each locked package version against the OSV advisory database of the data folder
// (or the default set shipped with the product).
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fixedVersions, matchingEntries } from '../advisories/affected.ts';
import { importPathsOf, type OsvRecord } from '../advisories/osv.ts';
import { openAdvisoryDatabase, type AdvisoryDatabase } from '../advisories/store.ts';
import { defaultMavenRepositoryDir, localMavenRepository } from './maven/local-repository.ts';
import { orderingFor } from '../advisories/versions/index.ts';
import { findingOf, type Checker, type CheckerResult, type CheckInput, type Finding, type SourceFile } from '../model.ts';
import type { Component, ParseOutcome } from './component.ts';
import { unevaluatedOf, type Extent, type Unevaluated } from '../unevaluated.ts';
import { readPom, type Pom } from './maven/pom.ts';
import { MavenResolver, type PomSource } from './maven/resolve.ts';
import { manifestKind } from './parsers/index.ts';
import { parseGradleBuild, readGradleProperties } from './parsers/gradle.ts';
import { centralVersions, parseProjectFile } from './parsers/nuget.ts';
import { dependencyRules, allDependencyRules } from './rules.ts';
import { buildSbom } from './sbom.ts';
import { advisorySeverity } from './severity.ts';
import { mvnPomSource } from './maven/mvn.ts';
import { say } from './messages.ts';
import { goReachability, readGoModuleImports, type GoModuleImports } from './go-imports.ts';
import { buildPackages } from './go-module-cache.ts';
import type { AdvisoryObservation } from '../observations/model.ts';

export interface DependencyScan {
  components: Component[];
  result: CheckerResult;
}

/** Reads the manifests of the tree: components, notes, and findings for files that do not parse. */
/** Lockfiles of big monorepos often exceed the engine's 5 MB text limit; they are read anyway up to this. */
export const maxManifestBytes = 64 * 1024 * 1024;

/**
 * A file of the tree read directly, bounded: only a regular file whose real path stays inside the root (a link,
 * or a folder linked out of the tree, is never followed). `relative` is a POSIX path.
 */
async function readInsideRoot(root: string, relative: string): Promise<string | undefined> {
  const full = path.join(root, ...relative.split('/').filter((p) => p !== '.'));
  if (path.relative(root, full).startsWith('..')) return undefined;
  try {
    const info = await lstat(full);
    if (!info.isFile() || info.size > maxManifestBytes || path.relative(await realpath(root), await realpath(full)).startsWith('..')) return undefined;
    return await readFile(full, 'utf8');
  } catch {
    return undefined;
  }
}

// The engine hands over no text for files over its size limit. A lockfile is plain text whose
// size grows with the dependency count, so it is read here directly, still bounded.
async function readLargeManifest(root: string, file: SourceFile): Promise<string | undefined> {
  if (file.size <= 5 * 1024 * 1024 || file.size > maxManifestBytes) return undefined;
  return readInsideRoot(root, file.path);
}

/** For each Go module of the tree without vendor/, the packages of its build as the module cache shows them. */
async function readBuildsFromCache(
  modules: ReadonlyMap<string, GoModuleImports>,
  components: readonly Component[],
  input: CheckInput,
  cache: string,
): Promise<void> {
  for (const m of modules.values()) {
    if (m.vendored || m.files === 0) continue;
    const goMod = m.dir === '.' ? 'go.mod' : `${m.dir}/go.mod`;
    const own = /^module\s+"?([^\s"]+)"?/m.exec((await input.readText(goMod)) ?? '')?.[1];
    const requirements = new Map(
      components.filter((c) => c.ecosystem === 'Go' && c.file === goMod).map((c) => [c.name, c.version]),
    );
    const built = await buildPackages(m.imports, requirements, own, cache);
    if (built) m.built = built;
  }
}

/** A Go module's vendor/modules.txt (the walk leaves vendor/ out). */
function readVendorList(root: string, moduleDir: string): Promise<string | undefined> {
  return readInsideRoot(root, `${moduleDir}/vendor/modules.txt`);
}

export interface ReadComponents {
  components: Component[];
  findings: Finding[];
  notes: CheckerResult['notes'];
  /** Declared dependencies (and manifests) whose version could not be determined, or only as a range. */
  unevaluated: Unevaluated[];
}

const npmLockfiles = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'];

/** Whether a file named one of `names` sits in `dir` or one of its enclosing folders (workspaces lock at the root). */
function coveredBy(present: ReadonlySet<string>, dir: string, names: readonly string[], enclosing: boolean): boolean {
  for (let d = dir; ; d = path.posix.dirname(d)) {
    if (names.some((n) => present.has(d === '.' ? n : `${d}/${n}`))) return true;
    if (!enclosing || d === '.' || d === '') return false;
  }
}

/** The nearest file named `name` in `dir` or above. */
function nearest(present: ReadonlySet<string>, dir: string, name: string): string | undefined {
  for (let d = dir; ; d = path.posix.dirname(d)) {
    const candidate = d === '.' ? name : `${d}/${name}`;
    if (present.has(candidate)) return candidate;
    if (d === '.' || d === '') return undefined;
  }
}

export async function readComponents(input: Pick<CheckInput, 'files' | 'readText'> & { root?: string; mavenSources?: readonly PomSource[] }): Promise<ReadComponents> {
  const components: Component[] = [];
  const findings: Finding[] = [];
  const notes: CheckerResult['notes'] = [];
  const unevaluated: Unevaluated[] = [];
  const present = new Set(input.files.map((f) => f.path));
  const goModDirs = new Set(input.files.filter((f) => path.posix.basename(f.path) === 'go.mod').map((f) => path.posix.dirname(f.path)));
  const read = async (file: SourceFile) =>
    (await input.readText(file.path)) ??
    (input.root !== undefined ? await readLargeManifest(input.root, file) : undefined);
  const readPath = async (p: string) => {
    const file = input.files.find((f) => f.path === p);
    return file ? read(file) : undefined;
  };
  const manifests = input.files
    .filter((f) => manifestKind(f.path) !== undefined)
    .filter((f) => {
      const dir = path.posix.dirname(f.path);
      const base = path.posix.basename(f.path);
      if (base === 'go.sum') return !goModDirs.has(dir);
      // A lockfile, when there is one, is the complete answer: the declarations beside it add nothing.
      if (base === 'package.json') return !coveredBy(present, dir, npmLockfiles, true);
      if (base === 'build.gradle' || base === 'build.gradle.kts') return !coveredBy(present, dir, ['gradle.lockfile'], false);
      if (/\.(cs|fs|vb)proj$/.test(base)) return !coveredBy(present, dir, ['packages.lock.json'], false);
      return true;
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));

  // Maven POMs are resolved together: a module's parent is often another POM of the tree.
  const poms: { file: string; pom: Pom }[] = [];
  for (const file of manifests) {
    const kind = manifestKind(file.path)!;
    const text = await read(file);
    if (text === undefined) {
      notes.push({ file: file.path, message: `${kind.format} not read (binary, unreadable or too large): its dependencies are not checked` });
      unevaluated.push(unevaluatedOf('manifest', file.path, 'manifest-unread', { format: kind.format, error: 'binary, unreadable or too large' }, { file: file.path }));
      continue;
    }
    let outcome: ParseOutcome;
    try {
      if (kind.format === 'pom.xml') {
        const parsed = readPom(text);
        if ('pom' in parsed) {
          poms.push({ file: file.path, pom: parsed.pom });
          continue;
        }
        outcome = { components: [], notes: [], problem: parsed.problem };
      } else if (kind.format === 'build.gradle' || kind.format === 'build.gradle.kts') {
        const propertiesFile = nearest(present, path.posix.dirname(file.path), 'gradle.properties');
        const properties = propertiesFile ? readGradleProperties((await readPath(propertiesFile)) ?? '') : new Map<string, string>();
        outcome = parseGradleBuild(file.path, text, properties, (bom) => {
          const [groupId, artifactId, version] = bom.split(':');
          return groupId && artifactId && version
            ? new MavenResolver([], input.mavenSources ?? []).managedBy({ groupId, artifactId, version })
            : undefined;
        });
      } else if (/proj$/.test(kind.format)) {
        const props = nearest(present, path.posix.dirname(file.path), 'Directory.Packages.props');
        outcome = parseProjectFile(file.path, text, props ? centralVersions((await readPath(props)) ?? '') : new Map());
      } else {
        outcome = kind.parse(file.path, text);
      }
    } catch (e) {
      // Parsers return problems as values; this is the last guard so a hostile file never stops the run.
      outcome = { components: [], notes: [], problem: { message: e instanceof RangeError ? 'nesting too deep' : `unexpected content (${(e as Error).message})` } };
    }
    collect(file.path, kind.format, outcome);
  }
  if (poms.length > 0) {
    const resolver = new MavenResolver(
      poms.map((p) => p.pom),
      input.mavenSources ?? [],
    );
    for (const { file, pom } of poms) collect(file, 'pom.xml', { ...resolver.components(file, pom) });
  }
  return { components, findings, notes, unevaluated };

  function collect(file: string, format: string, outcome: ParseOutcome): void {
    if (outcome.problem) {
      const rule = dependencyRules.unparsable;
      const location = {
        file,
        ...(outcome.problem.line !== undefined ? { line: outcome.problem.line } : {}),
        ...(outcome.problem.column !== undefined ? { column: outcome.problem.column } : {}),
      };
      findings.push(findingOf(rule, location, `Could not parse ${format}: ${outcome.problem.message}. Its dependencies were not checked for vulnerabilities.`, format, { format }));
      unevaluated.push(unevaluatedOf('manifest', file, 'manifest-unread', { format, error: outcome.problem.message.slice(0, 200) }, { file, ...(outcome.problem.line !== undefined ? { line: outcome.problem.line } : {}) }));
    }
    for (const n of outcome.notes) notes.push({ file, message: n.line !== undefined ? `line ${n.line}: ${n.message}` : n.message });
    components.push(...outcome.components);
    unevaluated.push(...(outcome.unevaluated ?? []));
  }
}

/** How many declared components were checked at a precise version, of all those found. */
export function dependencyExtent(
  components: readonly Component[],
  unevaluated: readonly Unevaluated[],
  uncovered: ReadonlySet<string> = new Set(),
): Extent {
  // A range was checked at its lowest version and an unverified import was still matched: neither is a component
  // left unchecked.
  const unresolved = unevaluated.filter(
    (u) => u.kind === 'dependency' && u.code !== 'range-unresolved' && u.code !== 'reachability-unverified',
  ).length;
  // A component of an ecosystem without any advisory was looked up in nothing: not checked.
  return {
    checked: components.filter((c) => c.range === undefined && !uncovered.has(c.ecosystem)).length,
    total: components.length + unresolved,
    unit: 'components',
  };
}

/** The advisory's summary, or else the first sentence of its details (PyPA records have only details). */
function advisoryTitle(record: OsvRecord): string {
  const text = (record.summary ?? record.details?.split(/(?<=[.!?])\s/)[0] ?? '').replace(/\s+/g, ' ').trim().replace(/[.!?]+$/, '');
  if (!text) return '';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function vulnerabilityFinding(
  component: Component,
  record: OsvRecord,
  goModules?: ReadonlyMap<string, GoModuleImports>,
): Finding | undefined {
  const entries = matchingEntries(record, component.ecosystem, component.name, component.version);
  if (entries.length === 0) return undefined;
  // `1.0.0-0` is how a range says "from 1.0.0, its prereleases included": users install 1.0.0.
  const fixed = [...new Set(fixedVersions(entries, component.ecosystem).map((v) => v.replace(/-0$/, '')))];
  const ordering = orderingFor(component.ecosystem);
  const upgradeTo = fixed.find((v) => ordering.compare(v, component.version) > 0);
  const rated = advisorySeverity(record);
  const aliases = [...(record.aliases ?? [])].sort();
  const cves = aliases.filter((a) => a.startsWith('CVE-'));
  const reach =
    component.ecosystem === 'Go' && goModules
      ? goReachability(
          [...new Set(entries.flatMap((e) => importPathsOf(e.ecosystem_specific)))].sort(),
          goModules.get(path.posix.dirname(component.file)),
        )
      : { state: 'unknown' as const };
  // A package the program never imports cannot expose it: reported for information, it neither blocks the gate nor
  // counts against a requirement (severity `info`; the advisory's own rating stays in the properties).
  const rule = {
    ...dependencyRules.vulnerablePackage,
    severity: reach.state === 'not-imported' ? ('info' as const) : rated.severity,
  };
  const title = advisoryTitle(record);
  const advisory = `${record.id}${cves.length ? ` (${cves.join(', ')})` : ''}`;
  const packageVersion = `${component.name}@${component.version}`;
  const message =
    reach.state === 'not-imported'
      ? say['dependencies.vulnerable-package'].notImported({
          package: packageVersion,
          advisory,
          title,
          packages: listed(reach.packages),
          basis: reach.basis,
          rated: rated.severity,
        })
      : say['dependencies.vulnerable-package'].vulnerable({
          package: packageVersion,
          advisory,
          title,
          fixedIn: upgradeTo ?? '',
          cvss: rated.cvss ? `${rated.cvss.version} ${rated.cvss.baseScore}` : '',
          ...(rated.basis === 'unknown' ? { unknownSeverity: 'yes' as const } : {}),
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
    cvss: rated.cvss
      ? { version: rated.cvss.version, vector: rated.cvss.vector, baseScore: rated.cvss.baseScore }
      : null,
    severityBasis: rated.basis,
    ...(component.direct !== undefined ? { direct: component.direct } : {}),
    ...(reach.state !== 'unknown'
      ? {
          reachability: {
            state: reach.state,
            packages: reach.packages,
            ...('basis' in reach ? { basis: reach.basis } : {}),
          },
          ratedSeverity: rated.severity,
        }
      : {}),
  });
}

/** Days since advisory data was last known current, when over the limit. */
export function staleness(
  asOf: string | undefined,
  now: Date,
  maxDays: number,
): { days: number; maxDays: number; asOf: string } | undefined {
  const at = asOf ? Date.parse(asOf) : NaN;
  if (Number.isNaN(at)) return undefined;
  const days = Math.floor((now.getTime() - at) / 86_400_000);
  return days > maxDays ? { days, maxDays, asOf: asOf! } : undefined;
}

/**
 * One "not evaluated" item per Go module whose advisories were set aside on the module's own imports alone: a
 * dependency's code, not read here, might import the vulnerable package. The evaluation policy decides what that
 * does to the gate (a warning by default); vendoring the dependencies makes the answer certain.
 */
/** The first few names, then how many more. */
function listed(names: readonly string[], max = 4): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} (+${names.length - max})`;
}

function unverifiedReachability(findings: readonly Finding[], components: readonly Component[]): Unevaluated[] {
  const byModule = new Map<string, { advisories: Set<string>; packages: Set<string>; file: string; line?: number }>();
  for (const f of findings) {
    const reach = f.properties?.reachability as { state: string; basis?: string; packages: string[] } | undefined;
    if (reach?.state !== 'not-imported' || reach.basis !== 'own-code') continue;
    const name = String(f.properties?.package);
    const key = `${f.location.file}\0${name}`;
    let entry = byModule.get(key);
    if (!entry) {
      const component = components.find((c) => c.file === f.location.file && c.name === name);
      byModule.set(
        key,
        (entry = {
          advisories: new Set(),
          packages: new Set(),
          file: f.location.file,
          ...(component?.line !== undefined ? { line: component.line } : {}),
        }),
      );
    }
    entry.advisories.add(String(f.properties?.advisoryId));
    for (const p of reach.packages) entry.packages.add(p);
  }
  return [...byModule].map(([key, e]) => {
    const module = key.split('\0')[1]!;
    return unevaluatedOf('dependency', module, 'reachability-unverified', { module, advisories: e.advisories.size, packages: listed([...e.packages].sort()) }, { file: e.file, ...(e.line !== undefined ? { line: e.line } : {}) });
  });
}

/** Findings for every component version that an advisory of `db` covers. */
export function matchComponents(
  components: readonly Component[],
  db: AdvisoryDatabase,
  goModules?: ReadonlyMap<string, GoModuleImports>,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const byPackage = new Map<string, OsvRecord[]>();
  for (const c of components) {
    const packageKey = `${c.ecosystem}\0${c.name}`;
    let records = byPackage.get(packageKey);
    if (!records) byPackage.set(packageKey, (records = db.lookup(c.ecosystem, c.name)));
    for (const record of records) {
      const f = vulnerabilityFinding(c, record, goModules);
      if (f && !seen.has(f.fingerprint)) {
        seen.add(f.fingerprint);
        findings.push(f);
      }
    }
  }
  return findings;
}

/** DSO_ADVISORIES_MAX_AGE_DAYS's default (the server's configuration and `dso check` agree on it). */
export const defaultAdvisoryMaxAgeDays = 7;

export async function scanDependencies(input: CheckInput, db?: AdvisoryDatabase): Promise<DependencyScan> {
  const mavenSources: PomSource[] = [
    localMavenRepository(input.options.mavenRepository ?? defaultMavenRepositoryDir()),
  ];
  // `mvn` last, when the caller found one: offline first, online only when allowed (DSO_MAVEN_ONLINE).
  const mvn = input.options.mavenCommand;
  if (mvn) {
    const repository = input.options.mavenRepository;
    mavenSources.push(
      mvnPomSource({ command: mvn, online: input.options.mavenOnline ?? false, ...(repository ? { repository } : {}) }),
    );
  }
  const { components, findings, notes, unevaluated } = await readComponents({ ...input, mavenSources });
  const sbom = buildSbom(components, path.basename(path.resolve(input.root)));
  const uncovered = new Set<string>();
  const observation: AdvisoryObservation = { components: components.length };
  if (components.length > 0) {
    let database = db;
    try {
      database ??= await openAdvisoryDatabase(input.options.dataDir);
    } catch (e) {
      const error = (e as Error).message;
      notes.push({ message: `advisory database unreadable (${error}): dependencies were not checked for vulnerabilities` });
      unevaluated.push(unevaluatedOf('advisories', input.options.dataDir, 'advisories-unreadable', { error: error.slice(0, 200) }));
    }
    if (database) {
      observation.database = { origin: database.origin, updatedAt: database.manifest.updatedAt };
      const goModules = components.some((c) => c.ecosystem === 'Go') ? await readGoModuleImports(input.files, input.readText, (dir) => readVendorList(input.root, dir)) : undefined;
      if (goModules && input.options.goModuleCache)
        await readBuildsFromCache(goModules, components, input, input.options.goModuleCache);
      const matched = matchComponents(components, database, goModules);
      findings.push(...matched);
      unevaluated.push(...unverifiedReachability(matched, components));
      // An ecosystem without any advisory: its components were looked up in nothing.
      const byEcosystem = new Map<string, number>();
      for (const c of components) byEcosystem.set(c.ecosystem, (byEcosystem.get(c.ecosystem) ?? 0) + 1);
      for (const [ecosystem, count] of [...byEcosystem].sort()) {
        if (!database.covers(ecosystem)) {
          uncovered.add(ecosystem);
          unevaluated.push(unevaluatedOf('advisories', ecosystem, 'advisories-missing', { ecosystem, components: count }));
          continue;
        }
        // Data older than the freshness limit may miss what was published since: said, never passed over.
        const stale = staleness(
          database.currentAsOf(ecosystem),
          input.options.now,
          input.options.advisoryMaxAgeDays ?? defaultAdvisoryMaxAgeDays,
        );
        if (stale) unevaluated.push(unevaluatedOf('advisories', ecosystem, 'advisories-stale', { ecosystem, components: count, ...stale }));
      }
      if (database.origin === 'default') {
        notes.push({ message: 'vulnerabilities checked against the default advisory set shipped with DSO π: run `dso advisories import <osv-export.zip>` or set DSO_ADVISORIES_URL to use a current database' });
      }
      if (!db) database.close();
    }
  }
  const extent = dependencyExtent(components, unevaluated, uncovered);
  const result: CheckerResult = { findings, notes, sbom, unevaluated, observations: { dependencies: observation } };
  if (extent.total > 0) result.extent = { vulnerabilities: extent };
  return { components, result };
}

export const dependenciesChecker: Checker = {
  name: 'dependencies',
  rules: allDependencyRules,
  async check(input: CheckInput): Promise<CheckerResult> {
    return (await scanDependencies(input)).result;
  },
};
