// Attestations (a person vouches for a requirement, with evidence, until a date) and their evidence documents.
import { z } from 'zod';
import { attestations, evidenceDocuments } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { isoDateTime } from './common.ts';

const title = z.string().min(1).max(200).optional();

export const attestationEvidence = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('link'), url: z.url({ protocol: /^https?$/ }).max(2000), title }),
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(10_000), title }),
  z.strictObject({ kind: z.literal('document'), documentId: z.uuid(), title }),
]);

export const attestationCreate = z.strictObject({
  requirement: z.string().min(1).max(20),
  environmentId: z.uuid().optional(),
  evidence: attestationEvidence,
  validUntil: isoDateTime.describe('End of validity (ISO 8601 with offset); the catalogue may end it earlier'),
});

export const attestation = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  requirement: z.string(),
  environmentId: z.uuid().nullable(),
  attestedBy: z.uuid(),
  role: z.string(),
  evidence: z.object({ kind: z.enum(['link', 'text', 'document']), title: z.string().optional(), url: z.string().optional(), text: z.string().optional(), documentId: z.string().optional() }),
  attestedAt: z.string(),
  validUntil: z.string(),
  /** Whether it still counts at the time of the request. */
  valid: z.boolean(),
  downloadUrl: z.string().nullable(),
});

export const attestationPage = pageSchema(attestation);
export const attestationListQuery = z.object({ ...pageQueryShape, requirement: z.string().max(20).optional() });
export const attestationParams = z.strictObject({ attestationId: z.uuid() });

export const evidenceDocument = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  sha256: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  label: z.string().nullable(),
  createdAt: z.string(),
});

export const evidenceUploadQuery = z.strictObject({ name: z.string().max(255).optional().describe('Original file name, kept as a label only') });

export function presentAttestation(row: typeof attestations.$inferSelect, now: Date): z.infer<typeof attestation> {
  return {
    id: row.id,
    projectId: row.projectId,
    requirement: row.requirement,
    environmentId: row.environmentId,
    attestedBy: row.attestedBy,
    role: row.role,
    evidence: row.evidence,
    attestedAt: row.attestedAt.toISOString(),
    validUntil: row.validUntil.toISOString(),
    valid: now.getTime() < row.validUntil.getTime(),
    downloadUrl: row.evidence.kind === 'document' ? `/api/v1/attestations/${row.id}/document` : null,
  };
}

export function presentEvidenceDocument(row: Omit<typeof evidenceDocuments.$inferSelect, 'content'>): z.infer<typeof evidenceDocument> {
  return {
    id: row.id,
    projectId: row.projectId,
    sha256: row.sha256,
    mediaType: row.mediaType,
    size: row.size,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
  };
}
