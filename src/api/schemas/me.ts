import { z } from 'zod';
import { id, timestamp } from './common.ts';

export const me = z.object({
  kind: z.enum(['user', 'service-account', 'bootstrap-admin']),
  id: id.nullable(),
  email: z.string().nullable(),
  displayName: z.string(),
  adminRoles: z.array(z.string()),
  projectId: id.nullable(),
  role: z.string().nullable(),
  usagePolicy: z.object({ currentVersion: z.number().nullable(), accepted: z.boolean(), required: z.boolean() }),
});

export const usagePolicyAccept = z.strictObject({ version: z.number().int().min(1).max(1_000_000) });

export const usagePolicy = z.object({
  id,
  version: z.number(),
  title: z.object({ fr: z.string(), en: z.string() }),
  content: z.object({ fr: z.string(), en: z.string() }),
  publishedAt: timestamp,
});
export const currentUsagePolicy = z.object({
  policy: usagePolicy.nullable(),
  accepted: z.boolean(),
  acceptedAt: timestamp.nullable(),
  /** False for automation (service accounts, bootstrap token): they are not bound by it. */
  required: z.boolean(),
});
/** What accepting the policy answers: now accepted, and no longer required. */
export const usagePolicyAcceptance = currentUsagePolicy.pick({ accepted: true, acceptedAt: true, required: true });
