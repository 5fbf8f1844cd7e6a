// Derogations as the API shows and accepts them. Request fields are only bounded here: what they must contain
// (known requirement, justification, end date within the maximum) is decided by the pure validator of
// domain/derogation.ts, so the API, the CLI and the UI give the same messages.
import { z } from 'zod';
import { derogations } from '../../db/schema.ts';
import { derogationInForce } from '../../domain/derogation.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { iso } from './common.ts';

const scopeField = z.string().max(200);

export const derogationScope = z.strictObject({
  environmentId: scopeField.optional(),
  repositoryId: scopeField.optional(),
  ruleId: scopeField.optional(),
  fingerprint: scopeField.optional(),
});

export const derogationCreate = z.object({
  requirement: z.string().max(20).optional(),
  scope: derogationScope.optional(),
  justification: z.string().max(10_000).optional(),
  compensatingMeasures: z.string().max(10_000).optional(),
  expiresAt: z.string().max(60).optional().describe('End of the derogation: ISO 8601 instant with offset'),
});

export const derogationDecision = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(4000).optional(),
  expiresAt: z.string().max(60).optional().describe('Approve until this instant instead of the requested one (ISO 8601 with offset, earlier is typical)'),
});

export const derogationRevoke = z.strictObject({ comment: z.string().max(4000).optional() });

export const derogationStatus = z.enum(['requested', 'approved', 'rejected', 'revoked']);
/** What a user sees: an approved derogation past its instant is `expired`. */
export const derogationEffectiveStatus = z.enum(['requested', 'in-force', 'expired', 'rejected', 'revoked']);

export const derogation = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  /** Shown in the security officer's queue, where derogations of many projects sit together. */
  projectSlug: z.string(),
  requirement: z.string(),
  scope: derogationScope,
  status: derogationStatus,
  effectiveStatus: derogationEffectiveStatus,
  justification: z.string(),
  compensatingMeasures: z.string().nullable(),
  expiresAt: z.string(),
  requestedBy: z.uuid(),
  requestedAt: z.string(),
  requestedByName: z.string().nullable().describe('Display name of the requester'),
  decidedBy: z.uuid().nullable(),
  decidedByName: z.string().nullable().describe('Display name of the security officer who decided'),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
  revokedBy: z.uuid().nullable(),
  revokedByName: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revocationComment: z.string().nullable(),
});

export const derogationPage = pageSchema(derogation);

export const derogationListQuery = z.object({
  ...pageQueryShape,
  status: derogationEffectiveStatus.optional(),
  requirement: z.string().max(20).optional(),
});

export const derogationParams = z.strictObject({ derogationId: z.uuid() });

type Row = typeof derogations.$inferSelect;

export function effectiveStatus(row: Row, now: Date): z.infer<typeof derogationEffectiveStatus> {
  if (row.status === 'approved') return derogationInForce({ status: 'approved', expiresAt: row.expiresAt.toISOString() }, now) ? 'in-force' : 'expired';
  return row.status;
}

export function presentDerogation(
  row: Row,
  now: Date,
  projectSlug: string,
  people: ReadonlyMap<string, string> = new Map(),
): z.infer<typeof derogation> {
  const name = (id: string | null) => (id === null ? null : (people.get(id) ?? null));
  return {
    id: row.id,
    projectId: row.projectId,
    projectSlug,
    requirement: row.requirement,
    scope: row.scope ?? {},
    status: row.status,
    effectiveStatus: effectiveStatus(row, now),
    justification: row.justification,
    compensatingMeasures: row.compensatingMeasures,
    expiresAt: row.expiresAt.toISOString(),
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    requestedByName: name(row.requestedBy),
    decidedBy: row.decidedBy,
    decidedByName: name(row.decidedBy),
    decidedAt: iso(row.decidedAt),
    decisionComment: row.decisionComment,
    revokedBy: row.revokedBy,
    revokedByName: name(row.revokedBy),
    revokedAt: iso(row.revokedAt),
    revocationComment: row.revocationComment,
  };
}
