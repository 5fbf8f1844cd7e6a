import { z } from 'zod';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, isoDateTime, name, timestamp } from './common.ts';

export const serviceAccountCreate = z.strictObject({
  projectId: id,
  name,
  role: z.string().min(1).max(40),
  expiresAt: isoDateTime,
});
export const serviceAccountListQuery = z.strictObject({ ...pageQueryShape, projectId: id.optional() });

export const serviceAccount = z.object({
  id,
  projectId: id,
  name: z.string(),
  role: z.string(),
  tokenPrefix: z.string().nullable(),
  expiresAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  createdAt: timestamp,
});
export const createdServiceAccount = serviceAccount.extend({ token: z.string().describe('Shown once: store it now.') });
export const serviceAccountPage = pageSchema(serviceAccount);
