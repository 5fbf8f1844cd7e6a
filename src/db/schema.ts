// The one Drizzle schema, used on PGlite (embedded) and PostgreSQL (production).
// Desired state lives here; reconcilers converge the world and write `conditions` back.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

/** Kubernetes-style status condition: users and the UI read it, nobody parses logs. */
export interface Condition {
  type: string; // Ready, Failed, ...
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string; // ISO 8601 UTC
}
/** pending: desired state written, not yet converged. */
export type ProvisioningStatus = 'pending' | 'ready' | 'failed';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'human' | 'service-account'>().notNull().default('human'),
    /** OIDC `sub` (with issuer) for humans; null for service accounts. */
    subject: text('subject'),
    email: text('email'),
    displayName: text('display_name').notNull(),
    /** Admin roles granted directly (groups from OIDC are mapped at login into `groupAdminRoles`). */
    adminRoles: text('admin_roles').array().notNull().default(sql`'{}'::text[]`),
    groupAdminRoles: text('group_admin_roles').array().notNull().default(sql`'{}'::text[]`),
    groups: text('groups').array().notNull().default(sql`'{}'::text[]`),
    /** For service accounts: the project and role they act with. */
    projectId: uuid('project_id'),
    projectRole: text('project_role'),
    disabled: boolean('disabled').notNull().default(false),
    lastLoginAt: ts('last_login_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_subject_key').on(t.subject), index('users_project_idx').on(t.projectId)],
);

/** Personal access tokens and service-account tokens. Only the sha256 of the token is stored. */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** First characters shown in lists to recognise a token (e.g. `dso_pat_ab12`). */
    prefix: text('prefix').notNull(),
    /** Service-account tokens: the project scope and role. */
    projectId: uuid('project_id'),
    role: text('role'),
    expiresAt: ts('expires_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('access_tokens_hash_key').on(t.tokenHash), index('access_tokens_user_idx').on(t.userId)],
);

/** Browser sessions; `id` is the sha256 of the random cookie value. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const zones = pgTable('zones', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  label: text('label').notNull(),
  /** Highest data sensitivity accepted (see domain/permissions sensitivityLevels). */
  maxSensitivity: text('max_sensitivity').notNull(),
  /** Homologation gate for production stages: audit (warn) or enforce (block). */
  gateMode: text('gate_mode').$type<'audit' | 'enforce'>().notNull().default('enforce'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const clusters = pgTable(
  'clusters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    label: text('label').notNull(),
    zoneId: uuid('zone_id').notNull().references(() => zones.id),
    kind: text('kind').$type<'internal' | 'external' | 'dedicated'>().notNull(),
    cpuMillicores: integer('cpu_millicores').notNull(),
    memoryMiB: integer('memory_mib').notNull(),
    gpu: integer('gpu').notNull().default(0),
    /** Dedicated clusters: the only projects allowed on them. */
    allowedProjectIds: uuid('allowed_project_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('clusters_zone_idx').on(t.zoneId)],
);

export const stages = pgTable('stages', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  label: text('label').notNull(),
  production: boolean('production').notNull().default(false),
  /** Promotion order: dev (10) → staging (20) → prod (30). */
  position: integer('position').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    ownerId: uuid('owner_id').notNull().references(() => users.id),
    dataSensitivity: text('data_sensitivity').notNull().default('internal'),
    /** Budget: the sum of the project's environment quotas may not exceed it. */
    budgetCpuMillicores: integer('budget_cpu_millicores').notNull().default(16000),
    budgetMemoryMiB: integer('budget_memory_mib').notNull().default(32768),
    budgetGpu: integer('budget_gpu').notNull().default(0),
    status: text('status').$type<ProvisioningStatus>().notNull().default('pending'),
    conditions: jsonb('conditions').$type<Condition[]>().notNull().default([]),
    /** Bumped on every change of desired state; reconcilers record the one they converged. */
    generation: integer('generation').notNull().default(1),
    observedGeneration: integer('observed_generation').notNull().default(0),
    locked: boolean('locked').notNull().default(false),
    archived: boolean('archived').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('projects_owner_idx').on(t.ownerId), index('projects_created_idx').on(t.createdAt, t.id)],
);

/** Project roles: defaults have projectId null; a project may define its own. */
export const projectRoles = pgTable(
  'project_roles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    labelFr: text('label_fr').notNull(),
    labelEn: text('label_en').notNull(),
    permissions: text('permissions').array().notNull(),
    builtin: boolean('builtin').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('project_roles_name_key').on(t.projectId, t.name)],
);

export const members = pgTable(
  'members',
  {
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('members_user_idx').on(t.userId)],
);

export const environments = pgTable(
  'environments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    stageId: uuid('stage_id').notNull().references(() => stages.id),
    clusterId: uuid('cluster_id').notNull().references(() => clusters.id),
    cpuMillicores: integer('cpu_millicores').notNull(),
    memoryMiB: integer('memory_mib').notNull(),
    gpu: integer('gpu').notNull().default(0),
    status: text('status').$type<ProvisioningStatus>().notNull().default('pending'),
    conditions: jsonb('conditions').$type<Condition[]>().notNull().default([]),
    generation: integer('generation').notNull().default(1),
    observedGeneration: integer('observed_generation').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('environments_project_name_key').on(t.projectId, t.name),
    index('environments_cluster_idx').on(t.clusterId),
  ],
);

export const repositories = pgTable(
  'repositories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    /** Internal name: the mirror is /git/{projectSlug}/{name}.git */
    name: text('name').notNull(),
    externalUrl: text('external_url').notNull(),
    /** Encrypted (AES-256-GCM envelope, see integrations/secrets); never returned by the API. */
    credentialsEncrypted: text('credentials_encrypted'),
    kind: text('kind').$type<'application' | 'infrastructure'>().notNull().default('application'),
    deployPath: text('deploy_path'),
    defaultBranch: text('default_branch').notNull().default('main'),
    status: text('status').$type<ProvisioningStatus>().notNull().default('pending'),
    conditions: jsonb('conditions').$type<Condition[]>().notNull().default([]),
    generation: integer('generation').notNull().default(1),
    observedGeneration: integer('observed_generation').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('repositories_project_name_key').on(t.projectId, t.name)],
);

export const usagePolicies = pgTable('usage_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  version: integer('version').notNull().unique(),
  titleFr: text('title_fr').notNull(),
  titleEn: text('title_en').notNull(),
  contentFr: text('content_fr').notNull(),
  contentEn: text('content_en').notNull(),
  publishedAt: ts('published_at').notNull().defaultNow(),
  createdBy: uuid('created_by'),
});

export const usagePolicyAcceptances = pgTable(
  'usage_policy_acceptances',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id').notNull().references(() => usagePolicies.id),
    acceptedAt: ts('accepted_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.policyId] })],
);

/** Append-only (a trigger in the migration refuses UPDATE and DELETE). */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    projectId: uuid('project_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [index('audit_events_at_idx').on(t.at), index('audit_events_project_idx').on(t.projectId, t.at)],
);

/** Accounts of the built-in identity provider (embedded/dev mode only): scrypt password hashes, never clear text. */
export const builtinAccounts = pgTable('builtin_accounts', {
  username: text('username').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  groups: text('groups').array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
});
