// A derogation: a time-boxed, approved exception to a requirement, optionally narrowed to a scope.
// This is the ONE evaluator of "is it in force?" used by the gate, the API, the CLI and the UI.

export type DerogationStatus = 'requested' | 'approved' | 'rejected' | 'revoked';

export interface DerogationScope {
  /** Narrow to findings of one rule… */
  ruleId?: string;
  /** …or to one finding (its fingerprint)… */
  fingerprint?: string;
  /** …or to one repository / environment of the project (ids). */
  repositoryId?: string;
  environmentId?: string;
}

export interface Derogation {
  id: string;
  requirement: string; // EX…
  scope: DerogationScope;
  status: DerogationStatus;
  /** Exact instant (ISO 8601 with offset) at which it stops covering anything. */
  expiresAt: string;
}

/** In force strictly before `expiresAt`; at the exact instant it no longer covers anything. */
export function derogationInForce(d: Pick<Derogation, 'status' | 'expiresAt'>, now: Date): boolean {
  if (d.status !== 'approved') return false;
  const end = Date.parse(d.expiresAt);
  return Number.isFinite(end) && now.getTime() < end;
}
