// A project's conformity summary as lists show it (my projects, the security desk): scores and how many
// requirements are in each state, kept with the project's current conformity at each evaluation
// (homologation/recompute.ts) and joined by key to each listed project, so a page stays one cheap round trip.
import type { z } from 'zod';
import type { ConformitySummaryRecord } from '../catalogue/conformity-history.ts';
import type { conformitySummary } from './schemas/projects.ts';

export interface CurrentConformityRow {
  evaluatedAt: Date | null;
  catalogueVersion: string | null;
  summary: ConformitySummaryRecord | null;
}

/** Null when the project was never evaluated. */
export function presentConformitySummary(row: CurrentConformityRow | null): z.infer<typeof conformitySummary> | null {
  if (!row?.evaluatedAt || !row.catalogueVersion || !row.summary) return null;
  const c = row.summary.counts;
  return {
    evaluatedAt: row.evaluatedAt.toISOString(),
    catalogueVersion: row.catalogueVersion,
    score: { P: row.summary.scores.P, I: row.summary.scores.I },
    counts: { satisfied: c.satisfied ?? 0, notSatisfied: c['not-satisfied'] ?? 0, derogated: c.derogated ?? 0, awaitingAttestation: c['awaiting-attestation'] ?? 0, awaitingEvidence: c['awaiting-evidence'] ?? 0, notApplicable: c['not-applicable'] ?? 0 },
  };
}
