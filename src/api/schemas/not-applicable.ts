// Not-applicable declarations as the API shows and accepts them: a requirement (optionally narrowed to one
// environment or repository of the project) that does not apply, with the reason why. Fields are bounded here;
// what they must contain (a known requirement, a non-blank justification, ids of the project) is checked by the route.
import { z } from 'zod';
import { notApplicableDeclarations } from '../../db/schema.ts';

export const justificationMaxLength = 4000;

export const notApplicableCreate = z.strictObject({
  requirement: z.string().max(20),
  environmentId: z.uuid().optional().describe('Only for this environment of the project'),
  repositoryId: z.uuid().optional().describe('Only for this repository of the project'),
  justification: z.string().max(justificationMaxLength).describe('Why the requirement does not apply (required)'),
});

export const notApplicableDeclaration = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  requirement: z.string(),
  environmentId: z.uuid().nullable(),
  repositoryId: z.uuid().nullable(),
  justification: z.string(),
  declaredBy: z.uuid(),
  declaredAt: z.string(),
});

export const notApplicableList = z.object({ items: z.array(notApplicableDeclaration) });

export const notApplicableParams = z.strictObject({ projectId: z.uuid(), declarationId: z.uuid() });

export function presentNotApplicable(
  row: typeof notApplicableDeclarations.$inferSelect,
): z.infer<typeof notApplicableDeclaration> {
  return {
    id: row.id,
    projectId: row.projectId,
    requirement: row.requirement,
    environmentId: row.environmentId,
    repositoryId: row.repositoryId,
    justification: row.justification,
    declaredBy: row.declaredBy,
    declaredAt: row.declaredAt.toISOString(),
  };
}
