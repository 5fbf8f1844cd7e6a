import { z } from 'zod';
import { sensitivityLevels } from '../../domain/permissions.ts';
import type { projects } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { description, id, isoRequired, name, provisioning, slug, timestamp, presentConditions } from './common.ts';

const budget = z.strictObject({
  cpuMillicores: z.number().int().min(0).max(100_000_000),
  memoryMiB: z.number().int().min(0).max(1_000_000_000),
  gpu: z.number().int().min(0).max(100_000),
});

export const projectCreate = z.strictObject({
  slug,
  name,
  description: description.optional(),
  dataSensitivity: z.enum(sensitivityLevels).optional(),
  /** Administrators only: create on behalf of this person (the bootstrap token must give it). */
  ownerId: id.optional(),
});

export const projectUpdate = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  dataSensitivity: z.enum(sensitivityLevels).optional(),
  /** Platform administrators only. */
  budget: budget.optional(),
  locked: z.boolean().optional(),
  /** `false` restores an archived project (owner or platform administrator). */
  archived: z.boolean().optional(),
});

export const projectListQuery = z.strictObject({
  ...pageQueryShape,
  q: z.string().max(100).optional(),
  status: z.enum(['pending', 'ready', 'failed']).optional(),
  archived: z.enum(['true', 'false', 'all']).default('false'),
});

export const projectDeleteQuery = z.strictObject({
  /** Platform administrators: delete an already archived project for good. */
  permanent: z.enum(['true', 'false']).default('false'),
});

export const project = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  ownerId: z.string(),
  dataSensitivity: z.string(),
  budget: z.object({ cpuMillicores: z.number(), memoryMiB: z.number(), gpu: z.number() }),
  ...provisioning,
  locked: z.boolean(),
  archived: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const projectDetail = project.extend({
  /** What the caller may do in this project (drives the console's buttons). */
  permissions: z.array(z.string()),
  role: z.string().nullable(),
});
/**
 * A project's conformity at a glance, for lists: the share of P and I requirements satisfied and how many
 * requirements are in each state, as of the last evaluation (null: never evaluated yet).
 */
export const conformitySummary = z.object({
  evaluatedAt: timestamp,
  catalogueVersion: z.string(),
  score: z.object({
    P: z.number().describe('Share of applicable P requirements satisfied, 0–1'),
    I: z.number().describe('Same for I requirements'),
  }),
  counts: z.object({
    satisfied: z.number().int(),
    notSatisfied: z.number().int(),
    derogated: z.number().int(),
    awaitingAttestation: z.number().int(),
    awaitingEvidence: z.number().int(),
    notApplicable: z.number().int(),
  }),
});
export const projectListItem = project.extend({ conformity: conformitySummary.nullable() });
export const projectPage = pageSchema(projectListItem);
export const projectParams = z.strictObject({ projectId: id });

/** `lang`: the language of condition messages (English in audit records, the request's in answers). */
export function presentProject(p: typeof projects.$inferSelect, lang: 'fr' | 'en' = 'en'): z.infer<typeof project> {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    ownerId: p.ownerId,
    dataSensitivity: p.dataSensitivity,
    budget: { cpuMillicores: p.budgetCpuMillicores, memoryMiB: p.budgetMemoryMiB, gpu: p.budgetGpu },
    status: p.status,
    conditions: presentConditions(p.conditions, lang),
    generation: p.generation,
    observedGeneration: p.observedGeneration,
    locked: p.locked,
    archived: p.archived,
    createdAt: isoRequired(p.createdAt),
    updatedAt: isoRequired(p.updatedAt),
  };
}
