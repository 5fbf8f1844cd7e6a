// The finding model shared by every checker, the gate, the chain, the API, the CLI and the UI.
// Pure types and tiny pure helpers only: no I/O here.
import { createHash } from 'node:crypto';
import type { Extent, GateCriterion, Unevaluated } from './unevaluated.ts';
import type { ProjectSettings } from './project-settings.ts';
import type { RunObservations } from './observations/model.ts';

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

/** Higher number = more serious; used for sorting and thresholds. */
export const severityRank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** What kind of problem a rule detects; the gate treats kinds differently. */
export type RuleKind = 'secret' | 'vulnerability' | 'policy' | 'quality' | 'parse';

/** A user-facing sentence in both languages of the product (French is the default). */
export interface LocalisedText {
  fr: string;
  en: string;
}

/** Parameters of a catalogued message: plain values, so that a finding stays serialisable. */
export type MessageParams = Record<string, string | number>;

/**
 * A finding's message taken from its rule's catalogue: a stable id, its parameters, and the sentence rendered in
 * both languages (see `localise.ts`). Built with `say`.
 */
export interface CataloguedMessage {
  id: string;
  params: MessageParams;
  text: LocalisedText;
}

export interface Rule {
  /** Stable, dotted, lower-case id, e.g. `secrets.aws-access-key`, `kubernetes.pod-security.run-as-non-root`. */
  id: string;
  kind: RuleKind;
  severity: Severity;
  /** CCT requirement ids this rule helps establish, e.g. ['EX32']. */
  requirements: string[];
  /** One line, English (the doc page docs/rules/<id>.md has the rest). */
  description: string;
  /**
   * Findings of this rule block the gate wherever they are, test, fixture, example and documentation folders
   * included: a private key or a live-format cloud credential is usable whatever folder it was committed in.
   * Absent means the usual scope applies.
   */
  blocksEverywhere?: boolean;
  /** The description in French and English, from the rule's message catalogue. */
  text?: LocalisedText;
}

export interface Location {
  /** Path relative to the scanned root, POSIX separators. */
  file: string;
  line?: number;
  column?: number;
}

export interface Finding {
  ruleId: string;
  requirements: string[];
  severity: Severity;
  location: Location;
  /** Human sentence in English; never contains a secret value (mask it first). */
  message: string;
  /** Id of the catalogued message (`<rule id>/<message>`), stable across versions and languages. */
  messageId?: string;
  /** The values the catalogued message was rendered with. */
  params?: MessageParams;
  /** The message in French and English (the CLI, SARIF and the console pick one). */
  text?: LocalisedText;
  /** Stable across runs for the same problem: see `fingerprintOf`. */
  fingerprint: string;
  /** Extra structured facts (advisory ids, aliases, fixed version, package purl…). */
  properties?: Record<string, unknown>;
  /**
   * `test` when the file is a test, fixture, example or documentation file (see `scope.ts`), `development` for a
   * development image (.devcontainer, Dockerfile.dev): reported, but it does not block the gate unless its rule
   * blocks everywhere. Absent for production code.
   */
  scope?: 'test' | 'development';
}

/** A non-blocking remark about the run itself (file skipped, tool missing, part not evaluated). */
export interface Note {
  file?: string;
  message: string;
}

/**
 * Fingerprint = hash of rule id + file + a problem-specific key that does not change when
 * unrelated lines move (so NOT the line number). For a secret, the key is a hash of the secret;
 * for a vulnerability, package@version + advisory id; for a manifest, kind/name/container/field.
 */
export function fingerprintOf(ruleId: string, file: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${key}`).digest('hex').slice(0, 32);
}

export function findingOf(
  rule: Rule,
  location: Location,
  message: string | CataloguedMessage,
  key: string,
  properties?: Record<string, unknown>,
): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    requirements: [...rule.requirements],
    severity: rule.severity,
    location,
    message: typeof message === 'string' ? message : message.text.en,
    fingerprint: fingerprintOf(rule.id, location.file, key),
  };
  if (typeof message !== 'string') {
    finding.messageId = message.id;
    finding.params = message.params;
    finding.text = message.text;
  }
  if (properties) finding.properties = properties;
  return finding;
}

export interface SourceFile {
  /** Relative POSIX path inside the root. Symlinks pointing outside the root never appear here. */
  path: string;
  size: number;
}

export interface CheckOptions {
  /** Folder holding imported advisories etc. (DSO_DATA_DIR, default ./data). */
  dataDir: string;
  /** Reference time for end-of-life dates and expiries (pure functions take it as input). */
  now: Date;
  /**
   * Advisory data older than this (days since its last sync or import, or the shipped set's snapshot date) leaves
   * vulnerabilities not evaluated (`advisories-stale`). Default 7 (DSO_ADVISORIES_MAX_AGE_DAYS, passed by the callers).
   */
  advisoryMaxAgeDays?: number;
  /**
   * The Go module cache (`dso check`: GOMODCACHE, GOPATH/pkg/mod or ~/go/pkg/mod). When it holds every module a
   * program reaches, Go advisories are matched against the packages the build really compiles.
   */
  goModuleCache?: string;
  /** Local Maven repository for parent POMs and BOMs (`dso check`: DSO_MAVEN_REPOSITORY; default ~/.m2/repository). */
  mavenRepository?: string;
  /** `mvn` for what the local repository lacks (the callers find it in PATH); absent or null = never run. */
  mavenCommand?: string | null;
  /** Let `mvn` fetch from its configured repositories after offline failed (DSO_MAVEN_ONLINE). */
  mavenOnline?: boolean;
  /** The platform's chart repository (DSO_CHART_REPOSITORY_URL): the only source of charts' remote dependencies. */
  chartRepository?: string;
  /**
   * Reads the default user of a base image from its registry (the image configuration's `User`), when one is
   * reachable; absent means no registry is asked. Implemented by integrations/registry (`imageUserInspector`).
   */
  inspectImage?: ImageInspector;
}

/** The `User` an image runs as by default ('' = root), or why it could not be read. */
export type ImageInspector = (image: string) => Promise<{ user: string } | { error: string }>;

export interface CheckInput {
  root: string;
  files: readonly SourceFile[];
  /** UTF-8 text of a file (invalid bytes replaced); undefined when binary, unreadable or over the size limit. */
  readText(path: string): Promise<string | undefined>;
  options: CheckOptions;
  /** What `.dso.yml` says to the checks (declared test reports, scope); none when absent. */
  project?: ProjectSettings;
}

export interface TestSummary {
  /** Report files read (relative paths). */
  reports: string[];
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export interface CoverageSummary {
  reports: string[];
  linesCovered: number;
  linesValid: number;
  /** 0..100, rounded to 2 decimals. */
  lineRate: number;
}

export interface CheckerResult {
  findings: Finding[];
  notes: Note[];
  tests?: TestSummary;
  coverage?: CoverageSummary;
  /** CycloneDX 1.6 JSON document, produced by the dependency checker. */
  sbom?: unknown;
  /** What this checker could not fully evaluate (see unevaluated.ts): never silently passed over. */
  unevaluated?: Unevaluated[];
  /** How much of a criterion this checker covered, e.g. vulnerabilities: 3 of 20 components checked. */
  extent?: Partial<Record<GateCriterion, Extent>>;
  /** What the checker saw (positive evidence for conformity), see observations/model.ts. */
  observations?: RunObservations;
}

export interface Checker {
  /** Short name: secrets, dependencies, containers, kubernetes, api, observability, configuration, tests. */
  name: string;
  rules: readonly Rule[];
  check(input: CheckInput): Promise<CheckerResult>;
}
