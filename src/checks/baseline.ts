// Comparing a run with the previous one (the last certified revision): findings are matched by fingerprint,
// which does not depend on line numbers, so moving code around does not make old problems look new.
import type { Finding } from './model.ts';

export interface BaselineComparison {
  /** In this run, not in the baseline. */
  new: Finding[];
  /** In both. */
  stillPresent: Finding[];
  /** In the baseline only: fixed since. */
  fixed: Finding[];
}

export function compareWithBaseline(findings: readonly Finding[], baseline: readonly Finding[]): BaselineComparison {
  const before = new Set(baseline.map((f) => f.fingerprint));
  const now = new Set(findings.map((f) => f.fingerprint));
  return {
    new: findings.filter((f) => !before.has(f.fingerprint)),
    stillPresent: findings.filter((f) => before.has(f.fingerprint)),
    fixed: baseline.filter((f) => !now.has(f.fingerprint)),
  };
}

/**
 * Reads the findings and coverage of a previous report (the JSON printed by `dso check --format json`).
 * Returns an error sentence instead of throwing: the file comes from the user.
 */
export function baselineFromJson(
  json: unknown,
): { findings: Finding[]; coverage?: { lineRate: number } } | { error: string } {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { findings?: unknown }).findings)) {
    return { error: 'the baseline is not a dso check JSON report (no "findings" array)' };
  }
  const raw = (json as { findings: unknown[] }).findings;
  const findings: Finding[] = [];
  for (const f of raw) {
    if (
      typeof f === 'object' &&
      f !== null &&
      typeof (f as Finding).fingerprint === 'string' &&
      typeof (f as Finding).ruleId === 'string'
    ) {
      findings.push(f as Finding);
    }
  }
  const coverage = (json as { coverage?: { lineRate?: unknown } }).coverage;
  const result: { findings: Finding[]; coverage?: { lineRate: number } } = { findings };
  if (coverage && typeof coverage.lineRate === 'number') result.coverage = { lineRate: coverage.lineRate };
  return result;
}
