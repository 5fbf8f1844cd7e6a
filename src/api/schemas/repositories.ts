import { z } from 'zod';
import type { repositories } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, isoRequired, provisioning, slug, timestamp, presentConditions } from './common.ts';

const externalUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials in it (give them in "credentials")');

/** Kept encrypted (services.secretBox); never returned, never logged, never audited. */
export const repositoryCredentials = z
  .strictObject({
    username: z.string().min(1).max(200).optional(),
    token: z.string().min(1).max(4096).optional(),
    password: z.string().min(1).max(4096).optional(),
  })
  .refine((c) => (c.token === undefined) !== (c.password === undefined), { message: 'give exactly one of token or password', path: ['token'] });

const deployPath = z.string().max(500).regex(/^[^\0]*$/, 'no NUL character');
const branch = z.string().min(1).max(200).regex(/^[^\s~^:?*[\\]+$/, 'a git branch name');
const kind = z.enum(['application', 'infrastructure']);
const source = z.enum(['external', 'hosted']);

export const repositoryCreate = z
  .strictObject({
    projectId: id,
    name: slug,
    /** `hosted`: the platform hosts the repository, the team pushes to /git/{projectSlug}/{name}.git (no URL). */
    source: source.default('external'),
    externalUrl: externalUrl.optional(),
    credentials: repositoryCredentials.optional(),
    kind: kind.default('application'),
    deployPath: deployPath.optional(),
    /** Absent: the remote's HEAD (external) or the first branch pushed (hosted), recorded at the first sync. */
    defaultBranch: branch.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.source === 'external' && value.externalUrl === undefined) ctx.addIssue({ code: 'custom', path: ['externalUrl'], message: 'required for an external repository' });
    if (value.source === 'hosted' && value.externalUrl !== undefined) ctx.addIssue({ code: 'custom', path: ['externalUrl'], message: 'a hosted repository has no external URL' });
    if (value.source === 'hosted' && value.credentials !== undefined) ctx.addIssue({ code: 'custom', path: ['credentials'], message: 'a hosted repository has no credentials' });
  });

export const repositoryUpdate = z.strictObject({
  externalUrl: externalUrl.optional(),
  /** null removes the stored credentials. */
  credentials: repositoryCredentials.nullable().optional(),
  kind: kind.optional(),
  deployPath: deployPath.nullable().optional(),
  /** null: follow the remote's HEAD again. */
  defaultBranch: branch.nullable().optional(),
});

export const repositoryListQuery = z.strictObject({ ...pageQueryShape, projectId: id.optional() });

export const repository = z.object({
  id,
  projectId: id,
  name: z.string(),
  source,
  /** Null for a hosted repository. */
  externalUrl: z.string().nullable(),
  hasCredentials: z.boolean(),
  kind,
  deployPath: z.string().nullable(),
  /** Null until the first sync tells the remote's HEAD. */
  defaultBranch: z.string().nullable(),
  ...provisioning,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const repositoryPage = pageSchema(repository);

/** `lang`: the language of condition messages (English in audit records, the request's in answers). */
export function presentRepository(r: typeof repositories.$inferSelect, lang: 'fr' | 'en' = 'en'): z.infer<typeof repository> {
  return {
    id: r.id,
    projectId: r.projectId,
    name: r.name,
    source: r.source,
    externalUrl: r.externalUrl,
    hasCredentials: r.credentialsEncrypted !== null,
    kind: r.kind,
    deployPath: r.deployPath,
    defaultBranch: r.defaultBranch,
    status: r.status,
    conditions: presentConditions(r.conditions, lang),
    generation: r.generation,
    observedGeneration: r.observedGeneration,
    createdAt: isoRequired(r.createdAt),
    updatedAt: isoRequired(r.updatedAt),
  };
}
