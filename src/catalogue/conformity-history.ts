// What the history of a project's conformity keeps (so the UI can draw the trend) and what changed between
// two evaluations (to decide whether a new history point is worth storing, and whom to notify).
import { createHash } from 'node:crypto';
import type { ConformityResult, ConformityState, LevelScore } from './conformity.ts';

export interface ConformitySnapshot {
  evaluatedAt: string;
  catalogueVersion: string;
  P: Pick<LevelScore, 'applicable' | 'satisfied' | 'derogated' | 'ratio' | 'coveredRatio'>;
  I: Pick<LevelScore, 'applicable' | 'satisfied' | 'derogated' | 'ratio' | 'coveredRatio'>;
  /** Requirement id → state. */
  states: Record<string, ConformityState>;
  /** Hash of the catalogue version and states: equal digests mean nothing a user sees has changed. */
  digest: string;
}

export interface StateChange {
  id: string;
  from: ConformityState | 'absent';
  to: ConformityState | 'absent';
}

const pick = (s: LevelScore) => ({
  applicable: s.applicable,
  satisfied: s.satisfied,
  derogated: s.derogated,
  ratio: s.ratio,
  coveredRatio: s.coveredRatio,
});

export function snapshotOf(result: ConformityResult): ConformitySnapshot {
  const states: Record<string, ConformityState> = {};
  for (const r of result.requirements) states[r.id] = r.state;
  const digest = createHash('sha256')
    .update(`${result.catalogueVersion}\n${result.requirements.map((r) => `${r.id}=${r.state}${r.until ? `@${r.until}` : ''}`).join('\n')}`)
    .digest('hex')
    .slice(0, 32);
  return {
    evaluatedAt: result.evaluatedAt,
    catalogueVersion: result.catalogueVersion,
    P: pick(result.scores.P),
    I: pick(result.scores.I),
    states,
    digest,
  };
}

/** What lists show of a project's conformity (my projects, the security desk): scores and requirements per state. */
export interface ConformitySummaryRecord {
  scores: { P: number; I: number };
  counts: Record<ConformityState, number>;
}

export function summaryOf(result: ConformityResult): ConformitySummaryRecord {
  const counts: Record<ConformityState, number> = { satisfied: 0, 'not-satisfied': 0, derogated: 0, 'awaiting-evidence': 0, 'awaiting-attestation': 0, 'not-applicable': 0 };
  for (const r of result.requirements) counts[r.state]++;
  return { scores: { P: result.scores.P.ratio, I: result.scores.I.ratio }, counts };
}

/** Requirements whose state differs between two snapshots, in id order of the newer one then removed ids. */
export function stateChanges(previous: ConformitySnapshot | undefined, next: ConformitySnapshot): StateChange[] {
  const before = previous?.states ?? {};
  const changes: StateChange[] = [];
  for (const [id, to] of Object.entries(next.states)) {
    const from = before[id] ?? 'absent';
    if (from !== to) changes.push({ id, from, to });
  }
  for (const id of Object.keys(before)) if (!(id in next.states)) changes.push({ id, from: before[id]!, to: 'absent' });
  return changes;
}
