// The gate: does this revision get certified? A pure function of the findings, the previous certified run,
// tests, coverage, derogations and the time, shared by the chain, the server, the CLI and the UI so that their
// verdicts always agree.
import { derogationInForce, type Derogation } from '../domain/derogation.ts';
import { compareWithBaseline } from './baseline.ts';
import type { CoverageSummary, Finding, Rule, RuleKind, TestSummary } from './model.ts';
import { isPrimordialRequirement } from './p-requirements.ts';

export type GateVerdict = 'pass' | 'fail';

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
  | 'derogated';

export interface GateReason {
  code: GateReasonCode;
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
}

export interface GateResult {
  verdict: GateVerdict;
  reasons: GateReason[];
  /** Present when a baseline was given. */
  comparison?: { new: string[]; stillPresent: string[]; fixed: string[] };
  /** Findings a derogation in force covers, and which one. */
  excused: { fingerprint: string; derogationId: string }[];
}

export function evaluateGate(input: GateInput): GateResult {
  const kinds = new Map(input.rules.map((r) => [r.id, r.kind]));
  const kindOf = (f: Finding): RuleKind => kinds.get(f.ruleId) ?? (f.ruleId.startsWith('secrets.') ? 'secret' : 'policy');
  const inForce = (input.derogations ?? []).filter((d) => derogationInForce(d, input.now));

  const excused: GateResult['excused'] = [];
  const counted: Finding[] = [];
  for (const f of input.findings) {
    const d = inForce.find((candidate) => covers(candidate, f, input.context));
    if (d) excused.push({ fingerprint: f.fingerprint, derogationId: d.id });
    else counted.push(f);
  }

  const comparison = input.baseline ? compareWithBaseline(input.findings, input.baseline) : undefined;
  const newFingerprints = new Set((comparison?.new ?? input.findings).map((f) => f.fingerprint));

  const reasons: GateReason[] = [];
  const newVulnerabilities = counted.filter(
    (f) => kindOf(f) === 'vulnerability' && (f.severity === 'critical' || f.severity === 'high') && newFingerprints.has(f.fingerprint),
  );
  reasons.push(
    newVulnerabilities.length > 0
      ? blocking('new-vulnerability', `${newVulnerabilities.length} new critical or high vulnerabilit${newVulnerabilities.length === 1 ? 'y' : 'ies'}`, { count: newVulnerabilities.length }, newVulnerabilities)
      : passing('no-new-vulnerability', 'no new critical or high vulnerability', {}),
  );

  const secrets = counted.filter((f) => kindOf(f) === 'secret');
  reasons.push(
    secrets.length > 0
      ? blocking('secret', `${secrets.length} secret${secrets.length === 1 ? '' : 's'} in the code`, { count: secrets.length }, secrets)
      : passing('no-secret', 'no secret in the code', {}),
  );

  // Secrets and vulnerabilities have their own rules above (a vulnerability only blocks when new); every other
  // finding tied to a P requirement blocks, whatever its age. Informational findings never block.
  const pViolations = counted.filter(
    (f) => (kindOf(f) === 'policy' || kindOf(f) === 'quality' || kindOf(f) === 'parse') && f.severity !== 'info' && f.requirements.some(isPrimordialRequirement),
  );
  const pIds = [...new Set(pViolations.flatMap((f) => f.requirements.filter(isPrimordialRequirement)))].sort(byRequirementNumber);
  reasons.push(
    pViolations.length > 0
      ? blocking('p-requirement', `${pViolations.length} finding${pViolations.length === 1 ? '' : 's'} violate P requirement${pIds.length === 1 ? '' : 's'} ${pIds.join(', ')}`, { count: pViolations.length, requirements: pIds.join(', ') }, pViolations)
      : passing('no-p-requirement-violation', 'no violated P requirement', {}),
  );

  if (input.tests) {
    const failing = input.tests.failures + input.tests.errors;
    reasons.push(
      failing > 0
        ? blocking('tests-failing', `${failing} of ${input.tests.tests} tests fail`, { failing, tests: input.tests.tests })
        : passing('tests-passing', `${input.tests.tests} tests pass`, { tests: input.tests.tests }),
    );
  }

  if (input.coverage && input.baselineCoverage) {
    const now = round2(input.coverage.lineRate);
    const before = round2(input.baselineCoverage.lineRate);
    reasons.push(
      now < before
        ? blocking('coverage-decreased', `line coverage fell from ${before}% to ${now}%`, { before, now })
        : passing('coverage-kept', `line coverage ${now}% (baseline ${before}%)`, { before, now }),
    );
  }

  if (excused.length > 0) {
    reasons.push({
      code: 'derogated',
      blocking: false,
      message: `${excused.length} finding${excused.length === 1 ? '' : 's'} excused by derogations in force`,
      params: { count: excused.length },
      fingerprints: excused.map((e) => e.fingerprint),
    });
  }

  const result: GateResult = { verdict: reasons.some((r) => r.blocking) ? 'fail' : 'pass', reasons, excused };
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

function blocking(code: GateReasonCode, message: string, params: GateReason['params'], findings?: Finding[]): GateReason {
  const reason: GateReason = { code, blocking: true, message, params };
  if (findings) reason.fingerprints = findings.map((f) => f.fingerprint);
  return reason;
}

function passing(code: GateReasonCode, message: string, params: GateReason['params']): GateReason {
  return { code, blocking: false, message, params };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function byRequirementNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b);
}
