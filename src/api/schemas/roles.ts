import { z } from 'zod';
import { projectPermissions } from '../../domain/permissions.ts';
import { id, name, slug } from './common.ts';

export const roleCreate = z.strictObject({
  projectId: id,
  name: slug,
  labelFr: name.optional(),
  labelEn: name.optional(),
  permissions: z.array(z.enum(projectPermissions)).min(1).max(projectPermissions.length),
});
export const roleListQuery = z.strictObject({ projectId: id.optional() });

export const role = z.object({
  id: z.string().nullable(),
  projectId: id.nullable(),
  name: z.string(),
  label: z.object({ fr: z.string(), en: z.string() }),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
});
export const roleList = z.object({ items: z.array(role), nextCursor: z.null() });
