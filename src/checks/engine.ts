// The check engine: lists the tree, runs every registered checker (text scans on all cores, the others on this
// thread meanwhile), applies the allow-list, sorts the findings, and asks the gate for a verdict.
// It never throws for anything found in the tree: a crashing checker or an unreadable file becomes a note.
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Derogation } from '../domain/derogation.ts';
import { productName, version } from '../version.ts';
import { baselineFromJson } from './baseline.ts';
import { evaluateGate, type GateResult } from './gate.ts';
import { severities, severityRank, type CheckInput, type CheckOptions, type Checker, type CheckerResult, type CoverageSummary, type Finding, type Note, type Severity, type SourceFile, type TestSummary } from './model.ts';
import { readProjectSettings } from './project-settings.ts';
import { allCheckers, allRules } from './registry.ts';
import { defaultEvaluationPolicy, mergeEvaluationPolicy, refusedOverrides, unevaluatedOf, type EvaluationPolicy, type Extent, type GateCriterion, type Unevaluated } from './unevaluated.ts';
import { scopeResolver } from './scope.ts';
import { walkTree } from './walk.ts';
import { detectLanguages } from './observations/languages.ts';
import { mergeObservations, type RunObservations } from './observations/model.ts';
import { emptyBatchResult, scanWithWorkers } from './worker/pool.ts';
import { readSource } from './worker/read-source.ts';
import { scanBatch, type BatchResult } from './worker/scan-batch.ts';
import { isTextChecker } from './worker/text-checker.ts';
import { workerTextScanners } from './worker/text-scanners.ts';

export interface CheckReport {
  tool: { name: string; version: string };
  target: { path: string; revision?: string };
  findings: Finding[];
  summary: CheckSummary;
  gate: GateResult;
  notes: Note[];
  /** Every manifest, chart, overlay, dependency or advisory set that could not be fully evaluated, with its reason. */
  unevaluated?: Unevaluated[];
  /** How much of each criterion was covered, e.g. vulnerabilities: 3 of 20 components checked. */
  extent?: Partial<Record<GateCriterion, Extent>>;
  /** The evaluation policy the gate applied (platform's, with the project's `.dso.yml` over it). */
  policy?: EvaluationPolicy;
  tests?: TestSummary;
  coverage?: CoverageSummary;
  /** What the checkers saw: languages, Dockerfiles, rendered workloads, advisory database, end-to-end reports. */
  observations?: RunObservations;
  /** Reference to the SBOM produced by the dependency checker (the document itself is in `CheckRun.sbom`). */
  sbom?: { format: 'CycloneDX'; specVersion: string; components: number; serialNumber?: string };
}

export interface CheckSummary {
  findings: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  filesListed: number;
  filesScanned: number;
  bytesScanned: number;
  durationMs: number;
  /** Findings hidden because their fingerprint is in `.dso/allowlist`. */
  allowListed: number;
  /** Findings in tests, fixtures, examples or documentation (`scope: test`): reported, not blocking. */
  testScope?: number;
  /** With a baseline: how many findings are new, still present, fixed. */
  baseline?: { new: number; stillPresent: number; fixed: number };
}

export interface RunChecksOptions extends Partial<CheckOptions> {
  includeVendored?: boolean;
  includeFixtures?: boolean;
  /** Worker threads for the text scans (default: one per core; 0 = scan on this thread). */
  workers?: number;
  /** Run only these checkers (default: every registered one). */
  checkers?: readonly Checker[];
  /** Where the run happens, for derogations narrowed to a repository or an environment. */
  context?: { repositoryId?: string; environmentId?: string };
  /**
   * The platform's evaluation policy (the chain: DSO_EVALUATION_POLICY from the Config; `dso check`: the same variable;
   * default: the defaults). The project's `.dso.yml` `evaluation` is merged over it, except what the platform enforces.
   */
  policy?: EvaluationPolicy;
}

export interface CheckProgress {
  phase: 'listing' | 'scanning' | 'checking' | 'done';
  filesDone?: number;
  filesTotal?: number;
  bytesDone?: number;
  checker?: string;
}

export interface RunChecksInput {
  root: string;
  options?: RunChecksOptions;
  /** A previous report (parsed JSON of `dso check --format json`) to compare with. */
  baseline?: unknown;
  derogations?: readonly Derogation[];
  onProgress?: (progress: CheckProgress) => void;
}

export interface CheckRun {
  report: CheckReport;
  /** The CycloneDX document, when a checker produced one. */
  sbom?: unknown;
}

/** Notes listed per kind of skipped file; the rest are counted in one note. */
const notesPerCategory = 10;

/** Below this, starting worker threads costs more than it saves. */
const workerThresholdBytes = 8 * 1024 * 1024;

export async function runChecks(input: RunChecksInput): Promise<CheckReport> {
  return (await runChecksWithArtifacts(input)).report;
}

export async function runChecksWithArtifacts(input: RunChecksInput): Promise<CheckRun> {
  const started = performance.now();
  const options = input.options ?? {};
  const root = resolve(input.root);
  const now = options.now ?? new Date();
  const chartRepository = options.chartRepository;
  const checkOptions: CheckOptions = {
    dataDir: options.dataDir ?? './data',
    now,
    ...(options.advisoryMaxAgeDays !== undefined ? { advisoryMaxAgeDays: options.advisoryMaxAgeDays } : {}),
    ...(chartRepository ? { chartRepository } : {}),
    ...(options.inspectImage ? { inspectImage: options.inspectImage } : {}),
    ...(options.mavenRepository !== undefined ? { mavenRepository: options.mavenRepository } : {}),
    ...(options.goModuleCache !== undefined ? { goModuleCache: options.goModuleCache } : {}),
    ...(options.mavenCommand !== undefined ? { mavenCommand: options.mavenCommand } : {}),
    ...(options.mavenOnline !== undefined ? { mavenOnline: options.mavenOnline } : {}),
  };
  const checkers = options.checkers ?? allCheckers();

  input.onProgress?.({ phase: 'listing' });
  const walk = walkTree(root, { includeVendored: options.includeVendored, includeFixtures: options.includeFixtures });
  const notes: Note[] = [...walk.notes];
  const files: readonly SourceFile[] = walk.files;
  const project = readProjectSettings(root);
  notes.push(...project.notes);
  const platformPolicy = options.policy ?? defaultEvaluationPolicy;
  const policy = mergeEvaluationPolicy(platformPolicy, project.settings.evaluation);
  for (const key of refusedOverrides(platformPolicy, project.settings.evaluation)) {
    notes.push({ file: '.dso.yml', message: `evaluation: ${key} is enforced by the platform (${key === 'unknownSeverity' ? platformPolicy.unknownSeverity : platformPolicy.unevaluated[key]}); the project's setting is ignored.` });
  }

  const pooled = checkers.filter((c) => isTextChecker(c) && workerTextScanners.has(c.name));
  const others = checkers.filter((c) => !pooled.includes(c));

  // Text scans start first and run on the workers while the other checkers run here.
  const textScan = scanText(
    root,
    files,
    pooled.map((c) => c.name),
    options.workers,
    input.onProgress,
  ).catch((error: unknown) => {
    notes.push({ message: `the text scans failed (${error instanceof Error ? error.message : String(error)})` });
    return emptyBatchResult();
  });

  const listed = new Set(files.map((f) => f.path));
  const checkInput: CheckInput = {
    root,
    files,
    options: checkOptions,
    project: project.settings,
    async readText(path) {
      // Only listed files: a checker cannot read through a skipped folder or a link out of the tree.
      if (!listed.has(path)) return undefined;
      const read = readSource(join(root, path));
      return 'text' in read ? read.text : undefined;
    },
  };
  const results: CheckerResult[] = [];
  for (const checker of others) {
    input.onProgress?.({ phase: 'checking', checker: checker.name });
    try {
      const result = await checker.check(checkInput);
      results.push({
        findings: result.findings ?? [],
        notes: result.notes ?? [],
        tests: result.tests,
        coverage: result.coverage,
        sbom: result.sbom,
        unevaluated: result.unevaluated ?? [],
        extent: result.extent,
        observations: result.observations,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      notes.push({ message: `the ${checker.name} checker failed and was skipped (${message})` });
      // The checkers behind a gate criterion leave it not evaluated, never silently passed.
      const kind = checker.name === 'dependencies' ? 'dependency' : checker.name === 'kubernetes' ? 'manifest' : undefined;
      if (kind) results.push({ findings: [], notes: [], unevaluated: [unevaluatedOf(kind, '.', 'checker-failed', { checker: checker.name, error: message.slice(0, 300) })] });
    }
  }
  const scanned = await textScan;
  input.onProgress?.({ phase: 'done' });

  const skipDescriptions: Record<string, string> = {
    binary: 'binary files, not scanned',
    'too-large': 'files larger than 5 MB, not scanned',
    unreadable: 'unreadable files, not scanned',
    'scanner-error': 'files on which a scan failed',
  };
  const perCategory = new Map<string, number>();
  for (const { category, note } of scanned.notes) {
    const count = (perCategory.get(category) ?? 0) + 1;
    perCategory.set(category, count);
    if (count <= notesPerCategory) notes.push(note);
  }
  for (const [category, total] of Object.entries(scanned.skipped)) {
    if (total > notesPerCategory) notes.push({ message: `${total - Math.min(notesPerCategory, perCategory.get(category) ?? 0)} more ${skipDescriptions[category] ?? category}` });
  }
  if (walk.skipped.tooLarge > notesPerCategory) notes.push({ message: `${walk.skipped.tooLarge - notesPerCategory} more files larger than 5 MB, skipped` });
  if (walk.skipped.symlinksOutside > notesPerCategory) notes.push({ message: `${walk.skipped.symlinksOutside - notesPerCategory} more symbolic links out of the folder, not followed` });
  if (walk.skipped.unreadable > notesPerCategory) notes.push({ message: `${walk.skipped.unreadable - notesPerCategory} more unreadable entries, skipped` });

  const allowList = readAllowList(root, notes);
  const scopes = scopeResolver(project.settings.scope);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  let allowListed = 0;
  for (const f of [...scanned.findings, ...results.flatMap((r) => r.findings)]) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    if (allowList.has(f.fingerprint)) {
      allowListed++;
      continue;
    }
    if (f.scope === undefined && scopes.scopeOf(f.location.file) === 'test') f.scope = 'test';
    findings.push(f);
  }
  findings.sort(compareFindings);
  for (const r of results) notes.push(...r.notes);

  const tests = mergeTests(results.map((r) => r.tests).filter((t): t is TestSummary => t !== undefined));
  const coverage = mergeCoverage(results.map((r) => r.coverage).filter((c): c is CoverageSummary => c !== undefined));
  const sbom = results.find((r) => r.sbom !== undefined)?.sbom;
  const unevaluated = results.flatMap((r) => r.unevaluated ?? []);
  const extent = mergeExtents(results.map((r) => r.extent));
  const observations = mergeObservations([
    { languages: detectLanguages(files) },
    ...results.map((r) => r.observations),
  ]);

  let baseline: ReturnType<typeof baselineFromJson> | undefined;
  if (input.baseline !== undefined) {
    baseline = baselineFromJson(input.baseline);
    if ('error' in baseline) {
      notes.push({ message: `baseline ignored: ${baseline.error}` });
      baseline = undefined;
    }
  }
  const gate = evaluateGate({
    findings,
    baseline: baseline && 'findings' in baseline ? baseline.findings : undefined,
    tests,
    coverage,
    baselineCoverage: baseline && 'findings' in baseline ? baseline.coverage : undefined,
    rules: [...allRules(), ...checkers.flatMap((c) => c.rules)],
    derogations: input.derogations,
    context: options.context,
    now,
    unevaluated,
    ...(extent ? { extent } : {}),
    policy,
  });

  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const summary: CheckSummary = {
    findings: findings.length,
    bySeverity,
    byRule,
    filesListed: files.length,
    filesScanned: scanned.filesRead,
    bytesScanned: scanned.bytesRead,
    durationMs: Math.round(performance.now() - started),
    allowListed,
    testScope: findings.filter((f) => f.scope === 'test').length,
  };
  if (gate.comparison) {
    summary.baseline = {
      new: gate.comparison.new.length,
      stillPresent: gate.comparison.stillPresent.length,
      fixed: gate.comparison.fixed.length,
    };
  }

  const target: CheckReport['target'] = { path: input.root };
  const revision = gitRevision(root);
  if (revision) target.revision = revision;
  const report: CheckReport = {
    tool: { name: productName, version },
    target,
    findings,
    summary,
    gate,
    notes,
    unevaluated,
    policy,
  };
  if (extent) report.extent = extent;
  if (tests) report.tests = tests;
  if (coverage) report.coverage = coverage;
  if (observations) report.observations = observations;
  if (sbom !== undefined) report.sbom = sbomReference(sbom);
  const run: CheckRun = { report };
  if (sbom !== undefined) run.sbom = sbom;
  return run;
}

async function scanText(
  root: string,
  files: readonly SourceFile[],
  scanners: string[],
  workers: number | undefined,
  onProgress: RunChecksInput['onProgress'],
): Promise<BatchResult> {
  if (scanners.length === 0) return emptyBatchResult();
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const count = workers ?? availableParallelism();
  const report = (filesDone: number, bytesDone: number) => onProgress?.({ phase: 'scanning', filesDone, filesTotal: files.length, bytesDone });
  if (count <= 0 || bytes < workerThresholdBytes) {
    const result = scanBatch({ root, paths: files.map((f) => f.path), scanners }, workerTextScanners);
    report(files.length, bytes);
    return result;
  }
  return scanWithWorkers({ root, files, scanners, workers: count, onBatch: report });
}

/** Deterministic order: file, line, rule, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  const la = a.location.line ?? 0;
  const lb = b.location.line ?? 0;
  if (la !== lb) return la - lb;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  if (a.severity !== b.severity) return severityRank[b.severity] - severityRank[a.severity];
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/** `.dso/allowlist`: one fingerprint per line, `#` starts a comment. */
export function readAllowList(root: string, notes: Note[]): Set<string> {
  let text: string;
  try {
    text = readFileSync(join(root, '.dso', 'allowlist'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') notes.push({ file: '.dso/allowlist', message: 'allow-list not readable, ignored' });
    return new Set();
  }
  const fingerprints = new Set<string>();
  for (const line of text.split('\n')) {
    const value = line.replace(/#.*/, '').trim();
    if (value) fingerprints.add(value);
  }
  return fingerprints;
}

function mergeTests(all: TestSummary[]): TestSummary | undefined {
  if (all.length === 0) return undefined;
  return all.reduce((a, b) => ({
    reports: [...a.reports, ...b.reports],
    tests: a.tests + b.tests,
    failures: a.failures + b.failures,
    errors: a.errors + b.errors,
    skipped: a.skipped + b.skipped,
  }));
}

function mergeCoverage(all: CoverageSummary[]): CoverageSummary | undefined {
  if (all.length === 0) return undefined;
  const merged = all.reduce((a, b) => ({
    reports: [...a.reports, ...b.reports],
    linesCovered: a.linesCovered + b.linesCovered,
    linesValid: a.linesValid + b.linesValid,
    lineRate: 0,
  }));
  if (all.length === 1) return all[0];
  merged.lineRate = merged.linesValid === 0 ? 0 : Math.round((merged.linesCovered / merged.linesValid) * 10000) / 100;
  return merged;
}

/** Extents of one criterion from several checkers add up (same unit); undefined when none was given. */
function mergeExtents(all: (CheckerResult['extent'] | undefined)[]): CheckReport['extent'] {
  const merged: Partial<Record<GateCriterion, Extent>> = {};
  for (const extent of all) {
    for (const [criterion, e] of Object.entries(extent ?? {}) as [GateCriterion, Extent][]) {
      const before = merged[criterion];
      merged[criterion] =
        before && before.unit === e.unit
          ? { ...before, checked: before.checked + e.checked, total: before.total + e.total }
          : (before ?? { ...e });
    }
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function sbomReference(sbom: unknown): NonNullable<CheckReport['sbom']> {
  const doc = (typeof sbom === 'object' && sbom !== null ? sbom : {}) as { specVersion?: unknown; components?: unknown; serialNumber?: unknown };
  const ref: NonNullable<CheckReport['sbom']> = {
    format: 'CycloneDX',
    specVersion: typeof doc.specVersion === 'string' ? doc.specVersion : '1.6',
    components: Array.isArray(doc.components) ? doc.components.length : 0,
  };
  if (typeof doc.serialNumber === 'string') ref.serialNumber = doc.serialNumber;
  return ref;
}

/** The checked-out commit, read from .git without spawning git (bounded reads, never throws). */
export function gitRevision(root: string): string | undefined {
  try {
    let gitDir = join(root, '.git');
    let head: string;
    try {
      head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    } catch {
      // A worktree or submodule: .git is a file "gitdir: <path>".
      const pointer = readFileSync(gitDir, 'utf8').trim();
      if (!pointer.startsWith('gitdir:')) return undefined;
      gitDir = resolve(root, pointer.slice(7).trim());
      head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    }
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref || ref.includes('..')) return undefined;
    const candidates = [gitDir];
    try {
      const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
      candidates.push(resolve(gitDir, common));
    } catch {
      /* not a linked worktree */
    }
    for (const dir of candidates) {
      try {
        const sha = readFileSync(join(dir, ref), 'utf8').trim();
        if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
      } catch {
        /* maybe packed */
      }
      try {
        const packed = readFileSync(join(dir, 'packed-refs'), 'utf8');
        const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
        const sha = line?.split(' ')[0];
        if (sha && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
      } catch {
        /* no packed refs */
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}
