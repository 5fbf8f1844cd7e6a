import { z } from 'zod';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, timestamp } from './common.ts';

const role = z.string().min(1).max(40);

export const memberAdd = z
  .strictObject({ userId: id.optional(), email: z.email().max(320).optional(), role })
  .refine((m) => (m.userId === undefined) !== (m.email === undefined), { message: 'give exactly one of userId or email', path: ['userId'] });
export const memberUpdate = z.strictObject({ role });
export const memberParams = z.strictObject({ projectId: id, userId: id });
export const memberListQuery = z.strictObject({ ...pageQueryShape });

export const member = z.object({
  projectId: id,
  userId: id,
  role: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  kind: z.enum(['human', 'service-account']),
  createdAt: timestamp,
});
export const memberPage = pageSchema(member);
