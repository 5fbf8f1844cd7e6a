// Platform administration: zones, clusters, stages, users, usage policies, audit.
import { z } from 'zod';
import { adminRoles, sensitivityLevels } from '../../domain/permissions.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, isoDateTime, name, slug, timestamp } from './common.ts';
import { usagePolicy } from './me.ts';

export const zoneCreate = z.strictObject({ slug, label: name, maxSensitivity: z.enum(sensitivityLevels), gateMode: z.enum(['audit', 'enforce']).default('enforce') });
export const zoneUpdate = z.strictObject({ label: name.optional(), maxSensitivity: z.enum(sensitivityLevels).optional(), gateMode: z.enum(['audit', 'enforce']).optional() });
export const zone = z.object({ id, slug: z.string(), label: z.string(), maxSensitivity: z.string(), gateMode: z.string(), createdAt: timestamp, updatedAt: timestamp });

const capacity = {
  cpuMillicores: z.number().int().min(0).max(1_000_000_000),
  memoryMiB: z.number().int().min(0).max(2_000_000_000),
  gpu: z.number().int().min(0).max(1_000_000),
};
export const clusterCreate = z.strictObject({
  slug,
  label: name,
  zoneId: id,
  kind: z.enum(['internal', 'external', 'dedicated']),
  ...capacity,
  gpu: capacity.gpu.default(0),
  allowedProjectIds: z.array(id).max(1000).default([]),
});
export const clusterUpdate = z.strictObject({
  label: name.optional(),
  cpuMillicores: capacity.cpuMillicores.optional(),
  memoryMiB: capacity.memoryMiB.optional(),
  gpu: capacity.gpu.optional(),
  allowedProjectIds: z.array(id).max(1000).optional(),
});
const figures = z.object({ cpuMillicores: z.number(), memoryMiB: z.number(), gpu: z.number() });
export const cluster = z.object({
  id,
  slug: z.string(),
  label: z.string(),
  zoneId: id,
  kind: z.string(),
  capacity: figures,
  used: figures,
  free: figures,
  environmentCount: z.number(),
  allowedProjectIds: z.array(id),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const stageCreate = z.strictObject({ slug, label: name, production: z.boolean().default(false), position: z.number().int().min(0).max(10_000).default(0) });
export const stageUpdate = z.strictObject({ label: name.optional(), production: z.boolean().optional(), position: z.number().int().min(0).max(10_000).optional() });
export const stage = z.object({ id, slug: z.string(), label: z.string(), production: z.boolean(), position: z.number(), createdAt: timestamp, updatedAt: timestamp });

export const adminListQuery = z.strictObject({ ...pageQueryShape });
export const clusterListQuery = z.strictObject({ ...pageQueryShape, projectId: id.optional() });

export const userListQuery = z.strictObject({ ...pageQueryShape, q: z.string().max(100).optional(), kind: z.enum(['human', 'service-account']).optional() });
export const userUpdate = z.strictObject({ adminRoles: z.array(z.enum(adminRoles)).max(adminRoles.length).optional(), disabled: z.boolean().optional() });
export const user = z.object({
  id,
  kind: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  adminRoles: z.array(z.string()),
  groupAdminRoles: z.array(z.string()),
  disabled: z.boolean(),
  lastLoginAt: timestamp.nullable(),
  createdAt: timestamp,
});
export const userPage = pageSchema(user);

export const usagePolicyCreate = z.strictObject({
  titleFr: name,
  titleEn: name,
  contentFr: z.string().min(1).max(100_000),
  contentEn: z.string().min(1).max(100_000),
});

export const auditQuery = z.strictObject({
  ...pageQueryShape,
  actor: id.optional().describe('The acting person or service account, by id'),
  actorName: z.string().trim().min(1).max(100).optional().describe('Part of the acting person’s name (case-insensitive)'),
  action: z.string().max(100).optional().describe('An action (project.create), or a family of actions ending with * (run.*)'),
  projectId: id.optional(),
  project: z.string().trim().min(1).max(100).optional().describe('The project, by identifier (slug) or id'),
  targetType: z.string().max(100).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export const auditEvent = z.object({
  id: z.number(),
  at: timestamp,
  actorKind: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  projectId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  actorName: z.string().nullable().describe('Display name of who acted (null: bootstrap token, the platform itself)'),
  project: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  targetName: z.string().nullable().describe('A readable name of the target (repository, environment, person…), when known'),
});
export const auditPage = pageSchema(auditEvent);
export const zonePage = pageSchema(zone);
export const clusterPage = pageSchema(cluster);
export const stagePage = pageSchema(stage);
export const usagePolicyPage = pageSchema(usagePolicy);
