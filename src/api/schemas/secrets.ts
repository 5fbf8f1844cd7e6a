// Project secrets: values are write-only (PUT); reads return metadata (keys, environments, version), never values.
import { z } from 'zod';
import type { projectSecrets } from '../../db/schema.ts';
import { id, isoRequired, slug, timestamp } from './common.ts';

export const projectSecretParams = z.strictObject({ projectId: id, name: slug });
export const projectOnlyParams = z.strictObject({ projectId: id });

const secretKey = z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/, 'letters, digits, "-", "_" and "." (a Kubernetes Secret key)');
export const secretPut = z.strictObject({
  values: z
    .record(secretKey, z.string().max(65_536))
    .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 50, 'between 1 and 50 keys')
    .refine((v) => Object.values(v).reduce((n, s) => n + s.length, 0) <= 262_144, 'at most 256 KiB of values in all'),
  environments: z.array(slug).min(1).max(50).optional().describe('Environment names the secret is for; absent = all'),
});

export const secretMetadata = z.object({
  projectId: id,
  name: z.string(),
  keys: z.array(z.string()),
  environments: z.array(z.string()).nullable(),
  version: z.number().int(),
  updatedBy: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const secretList = z.object({ items: z.array(secretMetadata) });

export function presentSecret(s: typeof projectSecrets.$inferSelect): z.infer<typeof secretMetadata> {
  return {
    projectId: s.projectId,
    name: s.name,
    keys: s.keys,
    environments: s.environments,
    version: s.version,
    updatedBy: s.updatedBy,
    createdAt: isoRequired(s.createdAt),
    updatedAt: isoRequired(s.updatedAt),
  };
}
