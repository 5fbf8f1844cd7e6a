import { z } from 'zod';
import type { environments } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, isoRequired, provisioning, quota, slug, timestamp, presentConditions } from './common.ts';

export const environmentCreate = z.strictObject({
  projectId: id,
  name: slug,
  stageId: id,
  clusterId: id,
  cpuMillicores: quota.cpuMillicores,
  memoryMiB: quota.memoryMiB,
  gpu: quota.gpu.default(0),
});

export const environmentUpdate = z.strictObject({
  cpuMillicores: quota.cpuMillicores.optional(),
  memoryMiB: quota.memoryMiB.optional(),
  gpu: quota.gpu.optional(),
});

export const environmentListQuery = z.strictObject({ ...pageQueryShape, projectId: id.optional() });

export const environment = z.object({
  id,
  projectId: id,
  name: z.string(),
  stageId: id,
  clusterId: id,
  cpuMillicores: z.number(),
  memoryMiB: z.number(),
  gpu: z.number(),
  ...provisioning,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const environmentPage = pageSchema(environment);

/** `lang`: the language of condition messages (English in audit records, the request's in answers). */
export function presentEnvironment(e: typeof environments.$inferSelect, lang: 'fr' | 'en' = 'en'): z.infer<typeof environment> {
  return {
    id: e.id,
    projectId: e.projectId,
    name: e.name,
    stageId: e.stageId,
    clusterId: e.clusterId,
    cpuMillicores: e.cpuMillicores,
    memoryMiB: e.memoryMiB,
    gpu: e.gpu,
    status: e.status,
    conditions: presentConditions(e.conditions, lang),
    generation: e.generation,
    observedGeneration: e.observedGeneration,
    createdAt: isoRequired(e.createdAt),
    updatedAt: isoRequired(e.updatedAt),
  };
}
