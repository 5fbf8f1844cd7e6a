// The gate: does this revision get certified? A pure function of the findings, the previous certified run,
// tests, coverage, derogations and the time, shared by the chain, the server, the CLI and the UI so that their
// verdicts always agree.
import { derogationInForce, type Derogation } from '../domain/derogation.ts';
import { compareWithBaseline } from './baseline.ts';
import type { CoverageSummary, Finding, Rule, RuleKind, TestSummary } from './model.ts';
import { isPrimordialRequirement } from './p-requirements.ts';
import { criterionOfKind, defaultEvaluationPolicy, mainCause, type EvaluationPolicy, type Extent, type GateCriterion, type Unevaluated } from './unevaluated.ts';

/**
 * pass: certified. fail: a criterion failed and blocks. not-evaluated: nothing failed, but a criterion could not be
 * fully evaluated and the evaluation policy says that blocks (an unrenderable chart, by default).
 */
export type GateVerdict = 'pass' | 'fail' | 'not-evaluated';

/** Each criterion's outcome: never a tick for something that was not fully looked at. */
export type GateOutcome = 'passed' | 'failed' | 'not-evaluated';

export type GateReasonCode =
  | 'new-vulnerability'
  | 'secret'
  | 'p-requirement'
  | 'tests-failing'
  | 'coverage-decreased'
  | 'no-new-vulnerability'
  | 'no-secret'
  | 'no-p-requirement-violation'
  | 'tests-passing'
  | 'coverage-kept'
  | 'derogated'
  | 'not-evaluated'
  | 'unknown-severity'
  | 'test-scope';

export interface GateReason {
  code: GateReasonCode;
  /** passed, failed or not evaluated; `derogated` is informational and counts as passed. */
  outcome: GateOutcome;
  /** The criterion this reason is about (absent for `derogated`). */
  criterion?: GateCriterion | 'secrets' | 'tests' | 'coverage';
  /** True when this reason alone fails the gate. */
  blocking: boolean;
  /** English sentence; the CLI renders a French one from `code` and `params`. */
  message: string;
  params: Record<string, string | number>;
  /** Findings behind the reason (blocking ones, or excused ones for `derogated`). */
  fingerprints?: string[];
}

export interface GateInput {
  findings: readonly Finding[];
  /** Findings of the previous certified run; without it, every finding counts as new. */
  baseline?: readonly Finding[];
  tests?: TestSummary;
  coverage?: Pick<CoverageSummary, 'lineRate'>;
  baselineCoverage?: Pick<CoverageSummary, 'lineRate'>;
  /** Every known rule, to know a finding's kind. */
  rules: readonly Rule[];
  derogations?: readonly Derogation[];
  /** Where the run happens, for derogations narrowed to a repository or an environment. */
  context?: { repositoryId?: string; environmentId?: string };
  now: Date;
  /** What the checks could not fully evaluate (the report's `unevaluated`). */
  unevaluated?: readonly Unevaluated[];
  /** How much of each criterion was covered (the report's `extent`). */
  extent?: Partial<Record<GateCriterion, Extent>>;
  /** Platform defaults merged with the project's `.dso.yml`; defaults to `defaultEvaluationPolicy`. */
  policy?: EvaluationPolicy;
}

export interface GateResult {
  verdict: GateVerdict;
  /** False when at least one criterion was not fully evaluated (whether or not that blocks). */
  complete: boolean;
  reasons: GateReason[];
  /** Present when a baseline was given. */
  comparison?: { new: string[]; stillPresent: string[]; fixed: string[] };
  /** Findings a derogation in force covers, and which one. */
  excused: { fingerprint: string; derogationId: string }[];
}

export function evaluateGate(input: GateInput): GateResult {
  const kinds = new Map(input.rules.map((r) => [r.id, r.kind]));
  const everywhere = new Set(input.rules.filter((r) => r.blocksEverywhere).map((r) => r.id));
  const kindOf = (f: Finding): RuleKind => kinds.get(f.ruleId) ?? (f.ruleId.startsWith('secrets.') ? 'secret' : 'policy');
  const inForce = (input.derogations ?? []).filter((d) => derogationInForce(d, input.now));

  const excused: GateResult['excused'] = [];
  const counted: Finding[] = [];
  // Tests, fixtures, examples and docs are reported but do not block, except what is dangerous wherever it lies.
  const testScoped: Finding[] = [];
  for (const f of input.findings) {
    const d = inForce.find((candidate) => covers(candidate, f, input.context));
    if (d) excused.push({ fingerprint: f.fingerprint, derogationId: d.id });
    else if (f.scope !== undefined && !everywhere.has(f.ruleId)) testScoped.push(f);
    else counted.push(f);
  }

  const comparison = input.baseline ? compareWithBaseline(input.findings, input.baseline) : undefined;
  const newFingerprints = new Set((comparison?.new ?? input.findings).map((f) => f.fingerprint));

  const policy = input.policy ?? defaultEvaluationPolicy;
  const unevaluated = input.unevaluated ?? [];
  const reasons: GateReason[] = [];
  // A vulnerability whose advisory gives no severity gates as the policy says, never as a silent "medium".
  // Informational ones (a Go package the program never imports) never block, whatever the advisory's rating.
  const isNewVulnerability = (f: Finding) => kindOf(f) === 'vulnerability' && f.severity !== 'info' && newFingerprints.has(f.fingerprint);
  const unknownSeverity = counted.filter((f) => isNewVulnerability(f) && hasUnknownSeverity(f));
  const newVulnerabilities = counted.filter(
    (f) => isNewVulnerability(f) && (hasUnknownSeverity(f) ? policy.unknownSeverity === 'block' : f.severity === 'critical' || f.severity === 'high'),
  );
  const vulnerabilitiesIncomplete = unevaluated.some((u) => criterionOfKind[u.kind] === 'vulnerabilities');
  if (newVulnerabilities.length > 0) {
    const unknown = newVulnerabilities.filter(hasUnknownSeverity).length;
    reasons.push(blocking('vulnerabilities', 'new-vulnerability', `${newVulnerabilities.length} new critical or high vulnerabilit${newVulnerabilities.length === 1 ? 'y' : 'ies'}${unknown > 0 ? ` (${unknown} of unknown severity)` : ''}`, { count: newVulnerabilities.length, ...(unknown > 0 ? { unknownSeverity: unknown } : {}) }, newVulnerabilities));
  } else if (!vulnerabilitiesIncomplete) {
    reasons.push(passing('vulnerabilities', 'no-new-vulnerability', 'no new critical or high vulnerability', {}));
  }
  if (unknownSeverity.length > 0 && policy.unknownSeverity === 'warn') {
    reasons.push({
      code: 'unknown-severity',
      outcome: 'not-evaluated',
      criterion: 'vulnerabilities',
      blocking: false,
      message: `${unknownSeverity.length} new vulnerabilit${unknownSeverity.length === 1 ? 'y' : 'ies'} of unknown severity (the advisory gives none)`,
      params: { count: unknownSeverity.length },
      fingerprints: unknownSeverity.map((f) => f.fingerprint),
    });
  }
  if (vulnerabilitiesIncomplete) reasons.push(notEvaluated('vulnerabilities', unevaluated, input.extent?.vulnerabilities, policy));

  const secrets = counted.filter((f) => kindOf(f) === 'secret');
  reasons.push(
    secrets.length > 0
      ? blocking('secrets', 'secret', `${secrets.length} secret${secrets.length === 1 ? '' : 's'} in the code`, { count: secrets.length }, secrets)
      : passing('secrets', 'no-secret', 'no secret in the code', {}),
  );

  // Secrets and vulnerabilities have their own rules above (a vulnerability only blocks when new); every other
  // finding tied to a P requirement blocks, whatever its age. Informational findings never block.
  const pViolations = counted.filter(
    (f) => (kindOf(f) === 'policy' || kindOf(f) === 'quality' || kindOf(f) === 'parse') && f.severity !== 'info' && f.requirements.some(isPrimordialRequirement),
  );
  const pIds = [...new Set(pViolations.flatMap((f) => f.requirements.filter(isPrimordialRequirement)))].sort(
    byRequirementNumber,
  );
  const policiesIncomplete = unevaluated.some((u) => criterionOfKind[u.kind] === 'policies');
  if (pViolations.length > 0 || !policiesIncomplete) {
    reasons.push(
      pViolations.length > 0
        ? blocking('policies', 'p-requirement', `${pViolations.length} finding${pViolations.length === 1 ? '' : 's'} violate P requirement${pIds.length === 1 ? '' : 's'} ${pIds.join(', ')}`, { count: pViolations.length, requirements: pIds.join(', ') }, pViolations)
        : passing('policies', 'no-p-requirement-violation', 'no violated P requirement', {}),
    );
  }
  if (policiesIncomplete) reasons.push(notEvaluated('policies', unevaluated, input.extent?.policies, policy));

  if (input.tests) {
    const failing = input.tests.failures + input.tests.errors;
    reasons.push(
      failing > 0
        ? blocking('tests', 'tests-failing', `${failing} of ${input.tests.tests} tests fail`, { failing, tests: input.tests.tests })
        : passing('tests', 'tests-passing', `${input.tests.tests} tests pass`, { tests: input.tests.tests }),
    );
  }

  if (input.coverage && input.baselineCoverage) {
    const now = round2(input.coverage.lineRate);
    const before = round2(input.baselineCoverage.lineRate);
    reasons.push(
      now < before
        ? blocking('coverage', 'coverage-decreased', `line coverage fell from ${before}% to ${now}%`, { before, now })
        : passing('coverage', 'coverage-kept', `line coverage ${now}% (baseline ${before}%)`, { before, now }),
    );
  }

  if (excused.length > 0) {
    reasons.push({
      code: 'derogated',
      outcome: 'passed',
      blocking: false,
      message: `${excused.length} finding${excused.length === 1 ? '' : 's'} excused by derogations in force`,
      params: { count: excused.length },
      fingerprints: excused.map((e) => e.fingerprint),
    });
  }

  if (testScoped.length > 0) {
    reasons.push({
      code: 'test-scope',
      outcome: 'passed',
      blocking: false,
      message: `${testScoped.length} finding${testScoped.length === 1 ? '' : 's'} in tests, fixtures, examples, docs or development images, not blocking`,
      params: { count: testScoped.length },
      fingerprints: testScoped.map((f) => f.fingerprint),
    });
  }

  const verdict: GateVerdict = reasons.some((r) => r.blocking && r.outcome === 'failed') ? 'fail' : reasons.some((r) => r.blocking) ? 'not-evaluated' : 'pass';
  const result: GateResult = { verdict, complete: !reasons.some((r) => r.outcome === 'not-evaluated'), reasons, excused };
  if (comparison) {
    result.comparison = {
      new: comparison.new.map((f) => f.fingerprint),
      stillPresent: comparison.stillPresent.map((f) => f.fingerprint),
      fixed: comparison.fixed.map((f) => f.fingerprint),
    };
  }
  return result;
}

/** A derogation covers a finding of its requirement, narrowed by rule, fingerprint, repository or environment. */
export function covers(d: Derogation, f: Finding, context: GateInput['context'] = {}): boolean {
  if (!f.requirements.includes(d.requirement)) return false;
  const scope = d.scope ?? {};
  if (scope.ruleId !== undefined && scope.ruleId !== f.ruleId) return false;
  if (scope.fingerprint !== undefined && scope.fingerprint !== f.fingerprint) return false;
  if (scope.repositoryId !== undefined && scope.repositoryId !== context.repositoryId) return false;
  if (scope.environmentId !== undefined && scope.environmentId !== context.environmentId) return false;
  return true;
}

type Criterion = NonNullable<GateReason['criterion']>;

function blocking(criterion: Criterion, code: GateReasonCode, message: string, params: GateReason['params'], findings?: Finding[]): GateReason {
  const reason: GateReason = { code, outcome: 'failed', criterion, blocking: true, message, params };
  if (findings) reason.fingerprints = findings.map((f) => f.fingerprint);
  return reason;
}

function passing(criterion: Criterion, code: GateReasonCode, message: string, params: GateReason['params']): GateReason {
  return { code, outcome: 'passed', criterion, blocking: false, message, params };
}

/** Advisories without CVSS vector nor the source's own rating: the finding says so in `severityBasis`. */
export function hasUnknownSeverity(f: Finding): boolean {
  const basis = f.properties?.severityBasis;
  return basis === 'unknown' || basis === 'unrated';
}

/**
 * One reason for a criterion left incomplete: its extent when known, how many items stayed unevaluated, and the
 * most frequent cause (flattened into `cause` and `cause.<param>` so that it renders in both languages).
 * It blocks when the policy blocks any kind among its items.
 */
function notEvaluated(
  criterion: GateCriterion,
  all: readonly Unevaluated[],
  extent: Extent | undefined,
  policy: EvaluationPolicy,
): GateReason {
  const items = all.filter((u) => criterionOfKind[u.kind] === criterion);
  const cause = mainCause(items)!;
  const unresolved = extent ? Math.max(extent.total - extent.checked, 0) : items.length;
  // The cause of the unchecked rest: an unresolved dependency when there is one, else the missing advisory data.
  const params: GateReason['params'] = {
    criterion,
    count: items.length,
    unresolved,
    cause: cause.code,
    causeItem: cause.item,
    causeKind: cause.kind,
  };
  for (const [key, value] of Object.entries(cause.params)) params[`cause.${key}`] = value;
  if (extent) Object.assign(params, { checked: extent.checked, total: extent.total, unit: extent.unit });
  const others = new Set(items.map((u) => u.item)).size - 1;
  if (others > 0) params.others = others;
  const covered = extent
    ? `${extent.checked} of ${extent.total} ${extent.unit} checked${unresolved > 0 ? `; ${unresolved} not evaluated` : ', not fully evaluated'}`
    : `${items.length} item${items.length === 1 ? '' : 's'} not evaluated`;
  return {
    code: 'not-evaluated',
    outcome: 'not-evaluated',
    criterion,
    blocking: items.some((u) => policy.unevaluated[u.kind] === 'block'),
    message: `${criterion}: ${covered} (${cause.message}${others > 0 ? `, and ${others} other${others === 1 ? '' : 's'}` : ''})`,
    params,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function byRequirementNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b);
}
