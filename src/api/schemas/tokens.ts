import { z } from 'zod';
import type { accessTokens } from '../../db/schema.ts';
import { id, iso, isoDateTime, isoRequired, name, timestamp } from './common.ts';

/** Longest lifetime of a token: forces rotation at least once a year. */
export const maxTokenLifetimeDays = 366;

export const tokenCreate = z.strictObject({ name, expiresAt: isoDateTime });

export const accessToken = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  projectId: id.nullable(),
  role: z.string().nullable(),
  expiresAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  createdAt: timestamp,
});
export const createdAccessToken = accessToken.extend({ token: z.string().describe('Shown once: store it now.') });
export const tokenList = z.object({ items: z.array(accessToken), nextCursor: z.string().nullable() });

export function presentToken(t: typeof accessTokens.$inferSelect): z.infer<typeof accessToken> {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    projectId: t.projectId,
    role: t.role,
    expiresAt: isoRequired(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
    createdAt: isoRequired(t.createdAt),
  };
}
