// Restore tests as the API accepts and shows them (EX8): a team, or its automation, records each restore exercise
// — when, on which environment, how it went, how long it took, where the report is. Fields are bounded here; what
// they must mean (not in the future, an environment of the project) is checked by the route.
import { z } from 'zod';
import { restoreTests } from '../../db/schema.ts';

export const restoreTestCreate = z.strictObject({
  performedAt: z.iso.datetime({ offset: true }).describe('When the restore was performed (ISO 8601, not in the future)'),
  environmentId: z.uuid().optional().describe('The environment restored (optional)'),
  outcome: z.enum(['succeeded', 'failed']),
  durationSeconds: z.number().int().min(0).max(30 * 86_400).optional().describe('How long the restore took, in seconds'),
  evidenceUrl: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Where the report or job log is (http or https)'),
  notes: z.string().max(4000).optional(),
});

export const restoreTest = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  environmentId: z.uuid().nullable(),
  performedAt: z.string(),
  outcome: z.enum(['succeeded', 'failed']),
  durationSeconds: z.number().nullable(),
  evidenceUrl: z.string().nullable(),
  notes: z.string().nullable(),
  recordedBy: z.uuid(),
  recordedByName: z.string().nullable().describe('Display name of the person or service account who recorded it'),
  recordedAt: z.string(),
});

export const restoreTestList = z.object({ items: z.array(restoreTest) });

export function presentRestoreTest(
  row: typeof restoreTests.$inferSelect,
  recordedByName: string | null,
): z.infer<typeof restoreTest> {
  return {
    id: row.id,
    projectId: row.projectId,
    environmentId: row.environmentId,
    performedAt: row.performedAt.toISOString(),
    outcome: row.outcome,
    durationSeconds: row.durationSeconds,
    evidenceUrl: row.evidenceUrl,
    notes: row.notes,
    recordedBy: row.recordedBy,
    recordedByName,
    recordedAt: row.recordedAt.toISOString(),
  };
}
