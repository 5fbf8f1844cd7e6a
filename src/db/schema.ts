// The one Drizzle schema, used on PGlite (embedded) and PostgreSQL (production).
// Desired state lives here; reconcilers converge the world and write `conditions` back.
import { sql } from 'drizzle-orm';
import type { StepNote } from '../chain/step-notes.ts';
import type { ConditionMessage } from '../reconcile/condition-messages.ts';
import type { VerdictReason } from '../chain/verdict.ts';
import type { ConformitySummaryRecord } from '../catalogue/conformity-history.ts';
import type { LocalisedText } from '../errors.ts';
import {
  bigserial,
  customType,
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
  /** English text (logs, older clients); the code and its parameters say it in every language. */
  message: string;
  /** Catalogued message (src/reconcile/condition-messages.ts); absent on rows written before codes. */
  code?: string;
  params?: Record<string, string | number>;
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
    /** `external`: mirrored from the team's forge (externalUrl); `hosted`: the team pushes to /git/{projectSlug}/{name}.git. */
    source: text('source').$type<'external' | 'hosted'>().notNull().default('external'),
    /** Null for hosted repositories. */
    externalUrl: text('external_url'),
    /** Encrypted (AES-256-GCM envelope, see integrations/secrets); never returned by the API. */
    credentialsEncrypted: text('credentials_encrypted'),
    kind: text('kind').$type<'application' | 'infrastructure'>().notNull().default('application'),
    deployPath: text('deploy_path'),
    /** Null until known: the chain then follows the remote's HEAD and records it here at the first sync. */
    defaultBranch: text('default_branch'),
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

// ---------------------------------------------------------------------------------------------------------------
// Secondary chain (issue 4): runs of the chain on a revision, their steps, logs and artifacts, certified
// revisions, per-repository chain settings, and the project's notification webhooks with their delivery log.

/** queued → running → certified | rejected | failed | cancelled. `rejected`: the gate refused the revision. */
export type RunStatus = 'queued' | 'running' | 'certified' | 'rejected' | 'failed' | 'cancelled';
export type RunStepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    repositoryId: uuid('repository_id').notNull().references(() => repositories.id, { onDelete: 'cascade' }),
    /** api (primary chain), webhook (forge push), manual (console/CLI), nightly (re-scan of the last certified revision). */
    trigger: text('trigger').$type<'api' | 'webhook' | 'manual' | 'nightly'>().notNull(),
    /** Branch or tag asked for (refs/heads/… accepted), or null for the default branch. */
    ref: text('ref'),
    requestedRevision: text('requested_revision'),
    /** Commit resolved by the checkout step. */
    commitSha: text('commit_sha'),
    status: text('status').$type<RunStatus>().notNull().default('queued'),
    currentStep: text('current_step'),
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    /** Not before this time (retry backoff, concurrency limits). */
    notBefore: ts('not_before'),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    /** Process holding the run and its last sign of life: a silent owner's run is taken over (crash, kill -9). */
    owner: text('owner'),
    heartbeatAt: ts('heartbeat_at'),
    imageDigest: text('image_digest'),
    /** The verdict and its reasons (code, blocking, English message, parameters to say it in French: chain/verdict.ts). */
    verdict: jsonb('verdict').$type<{ certified: boolean; reasons: VerdictReason[] }>(),
    /** User-facing reason of a failure (no secrets). */
    message: text('message'),
    /** The same reason as a code and parameters, said in French and English by chain/step-notes.ts. */
    note: jsonb('note').$type<StepNote>(),
    logBytes: integer('log_bytes').notNull().default(0),
    requestedBy: text('requested_by'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    index('runs_repository_idx').on(t.repositoryId, t.createdAt),
    index('runs_status_idx').on(t.status),
    index('runs_project_status_idx').on(t.projectId, t.status),
  ],
);

export const runSteps = pgTable(
  'run_steps',
  {
    runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    status: text('status').$type<RunStepStatus>().notNull().default('pending'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    /** Milliseconds of the step's own work (what the orchestration overhead is measured against). */
    workMs: integer('work_ms'),
    message: text('message'),
    /** What the step says, as a code and parameters (chain/step-notes.ts); `message` keeps its French text. */
    note: jsonb('note').$type<StepNote>(),
    /** Step outputs needed by later steps or by the UI (kept small). */
    result: jsonb('result').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name] })],
);

export const runLogChunks = pgTable(
  'run_log_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
    step: text('step').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('run_log_chunks_run_idx').on(t.runId, t.id)],
);

export const runArtifacts = pgTable(
  'run_artifacts',
  {
    runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
    /** check-report, findings, sarif, sbom, tests, evidence… */
    kind: text('kind').notNull(),
    mediaType: text('media_type').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    content: text('content').notNull(),
    tool: jsonb('tool').$type<{ name: string; version: string }>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.kind] })],
);

/** What deployments may use: one per run at most (a retried certify step never duplicates). */
export const certifiedRevisions = pgTable(
  'certified_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    repositoryId: uuid('repository_id').notNull().references(() => repositories.id, { onDelete: 'cascade' }),
    commitSha: text('commit_sha').notNull(),
    /** null when no image is built for this repository (infrastructure code, or no builder in this zone). */
    imageDigest: text('image_digest'),
    runId: uuid('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
    certifiedAt: ts('certified_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('certified_revisions_run_key').on(t.runId), index('certified_revisions_repository_idx').on(t.repositoryId, t.certifiedAt)],
);

/** Per-repository chain settings: inbound webhook secret, commit-status target and token (all secrets sealed). */
export const repositoryChainSettings = pgTable('repository_chain_settings', {
  repositoryId: uuid('repository_id').primaryKey().references(() => repositories.id, { onDelete: 'cascade' }),
  webhookSecretSealed: text('webhook_secret_sealed'),
  statusForge: text('status_forge').$type<'gitlab' | 'github'>(),
  /** GitLab instance URL, or GitHub API URL. */
  statusApiUrl: text('status_api_url'),
  /** GitLab project id or path; GitHub owner/repo. */
  statusProject: text('status_project'),
  statusTokenSealed: text('status_token_sealed'),
  updatedAt: updatedAt(),
});

/** Inbound forge deliveries already accepted (replay protection shared by every replica). */
export const inboundWebhookDeliveries = pgTable('inbound_webhook_deliveries', {
  id: text('id').primaryKey(),
  expiresAt: ts('expires_at').notNull(),
});

/** A team's endpoint notified of run results (shift-left). */
export const notificationWebhooks = pgTable(
  'notification_webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    secretSealed: text('secret_sealed').notNull(),
    /** Events sent, e.g. run.finished; empty = all. */
    events: text('events').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('notification_webhooks_project_idx').on(t.projectId)],
);

export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id').notNull().references(() => notificationWebhooks.id, { onDelete: 'cascade' }),
    runId: uuid('run_id'),
    event: text('event').notNull(),
    delivered: boolean('delivered').notNull(),
    attempts: jsonb('attempts').$type<{ attempt: number; at: string; status?: number; error?: string; durationMs: number }[]>().notNull(),
    message: text('message'),
    createdAt: createdAt(),
  },
  (t) => [index('notification_deliveries_webhook_idx').on(t.webhookId, t.createdAt)],
);

/** Every commit status sent to the team's forge (EX16): what, where, whether the forge took it. */
export const commitStatusDeliveries = pgTable(
  'commit_status_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    repositoryId: uuid('repository_id').notNull().references(() => repositories.id, { onDelete: 'cascade' }),
    runId: uuid('run_id'),
    forge: text('forge').$type<'gitlab' | 'github'>().notNull(),
    /** The status API target (instance URL and project), never the token. */
    target: text('target').notNull(),
    commitSha: text('commit_sha').notNull(),
    state: text('state').notNull(),
    delivered: boolean('delivered').notNull(),
    httpStatus: integer('http_status'),
    message: text('message'),
    createdAt: createdAt(),
  },
  (t) => [index('commit_status_deliveries_project_idx').on(t.projectId, t.createdAt)],
);

// ---------------------------------------------------------------------------------------------------------------
// Continuous homologation (issue 5): derogations, attestations and their evidence documents, not-applicable
// declarations, and the conformity history (a snapshot is stored only when what a user sees changes).

/** Binary content (evidence documents): Buffer on both drivers (PGlite hands back a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export type DerogationStatusColumn = 'requested' | 'approved' | 'rejected' | 'revoked';

export const derogations = pgTable(
  'derogations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    requirement: text('requirement').notNull(),
    /** { environmentId?, repositoryId?, ruleId?, fingerprint? }; empty = the whole requirement in the project. */
    scope: jsonb('scope').$type<{ environmentId?: string; repositoryId?: string; ruleId?: string; fingerprint?: string }>().notNull().default({}),
    status: text('status').$type<DerogationStatusColumn>().notNull().default('requested'),
    justification: text('justification').notNull(),
    compensatingMeasures: text('compensating_measures'),
    /** The exact instant it stops covering anything (as requested, or as set by the decision). */
    expiresAt: ts('expires_at').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    decisionComment: text('decision_comment'),
    revokedBy: uuid('revoked_by'),
    revokedAt: ts('revoked_at'),
    revocationComment: text('revocation_comment'),
  },
  (t) => [index('derogations_project_idx').on(t.projectId, t.requestedAt), index('derogations_status_idx').on(t.status)],
);

/** Evidence files, stored by content hash per project; the uploaded file name is kept as a label only. */
export const evidenceDocuments = pgTable(
  'evidence_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    /** Display name (sanitised); never used to build a path. */
    label: text('label'),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('evidence_documents_project_sha_key').on(t.projectId, t.sha256)],
);

export const attestations = pgTable(
  'attestations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    requirement: text('requirement').notNull(),
    environmentId: uuid('environment_id').references(() => environments.id, { onDelete: 'cascade' }),
    attestedBy: uuid('attested_by').notNull(),
    /** The role it was given with (project role, or security-officer / platform-admin). */
    role: text('role').notNull(),
    evidence: jsonb('evidence').$type<{ kind: 'link' | 'text' | 'document'; title?: string; url?: string; text?: string; documentId?: string }>().notNull(),
    attestedAt: ts('attested_at').notNull().defaultNow(),
    validUntil: ts('valid_until').notNull(),
  },
  (t) => [index('attestations_project_idx').on(t.projectId, t.attestedAt)],
);

export const notApplicableDeclarations = pgTable(
  'not_applicable_declarations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    requirement: text('requirement').notNull(),
    justification: text('justification').notNull(),
    repositoryId: uuid('repository_id').references(() => repositories.id, { onDelete: 'cascade' }),
    environmentId: uuid('environment_id').references(() => environments.id, { onDelete: 'cascade' }),
    declaredBy: uuid('declared_by').notNull(),
    declaredAt: ts('declared_at').notNull().defaultNow(),
  },
  (t) => [index('not_applicable_project_idx').on(t.projectId)],
);

/** A restore exercise recorded by the team or its automation (EX8): when, where, how it went, how long it took. */
export const restoreTests = pgTable(
  'restore_tests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    environmentId: uuid('environment_id').references(() => environments.id, { onDelete: 'set null' }),
    /** When the restore was performed (may be before it was recorded). */
    performedAt: ts('performed_at').notNull(),
    outcome: text('outcome').$type<'succeeded' | 'failed'>().notNull(),
    durationSeconds: integer('duration_seconds'),
    evidenceUrl: text('evidence_url'),
    notes: text('notes'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [index('restore_tests_project_idx').on(t.projectId, t.performedAt)],
);

/** The last evaluation of each project: which catalogue version was applied, and the digest of what users see. */
export const conformityCurrent = pgTable('conformity_current', {
  projectId: uuid('project_id').primaryKey().references(() => projects.id, { onDelete: 'cascade' }),
  catalogueVersion: text('catalogue_version').notNull(),
  digest: text('digest').notNull(),
  evaluatedAt: ts('evaluated_at').notNull(),
  /** When the result changes by itself (an attestation or derogation ends); a sweep re-evaluates then. */
  nextChangeAt: ts('next_change_at'),
  /** Scores and counts by state, kept with each evaluation so that project lists read them with a key lookup. */
  summary: jsonb('summary').$type<ConformitySummaryRecord>(),
});

/** History for the trend: one row each time a project's conformity changes. */
export const conformitySnapshots = pgTable(
  'conformity_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    evaluatedAt: ts('evaluated_at').notNull(),
    catalogueVersion: text('catalogue_version').notNull(),
    digest: text('digest').notNull(),
    /** ConformitySnapshot (scores and per-requirement states) plus the changes from the previous one. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('conformity_snapshots_project_idx').on(t.projectId, t.evaluatedAt)],
);

// ---------------------------------------------------------------------------------------------------------------
// Deployments through GitOps (issue 6): deployment history per environment, project secrets (sealed), what the
// GitOps repository holds per project, and the status read back from ArgoCD.

export type DeploymentAction = 'deploy' | 'promote' | 'rollback';
/** pending: asked for, not yet in the GitOps repository; committed: in it (at gitopsCommit); superseded: a later
 * deployment of the same environment was committed first; failed: the render of the environment was refused. */
export type DeploymentStatus = 'pending' | 'committed' | 'superseded' | 'failed';

export const deployments = pgTable(
  'deployments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    environmentId: uuid('environment_id').notNull().references(() => environments.id, { onDelete: 'cascade' }),
    repositoryId: uuid('repository_id').notNull().references(() => repositories.id, { onDelete: 'cascade' }),
    /** The certified commit deployed. */
    revision: text('revision').notNull(),
    certifiedRevisionId: uuid('certified_revision_id'),
    imageDigest: text('image_digest'),
    action: text('action').$type<DeploymentAction>().notNull(),
    /** Promotion: the environment the revision came from. */
    fromEnvironmentId: uuid('from_environment_id'),
    status: text('status').$type<DeploymentStatus>().notNull().default('pending'),
    /** Homologation gate as evaluated when asked (production stages): outcome, zone mode, unmet requirement ids. */
    gate: jsonb('gate').$type<{ outcome: string; mode: string; unmet: string[] }>(),
    gitopsCommit: text('gitops_commit'),
    /** Change size (DORA): commits and lines since the revision previously deployed to the environment. */
    changeSize: jsonb('change_size').$type<{ commits: number; files: number; linesAdded: number; linesDeleted: number; since?: string }>(),
    /** Why a deployment failed, in English (logs, older clients); `note` says it in French and English. */
    message: text('message'),
    note: jsonb('note').$type<ConditionMessage>(),
    requestedBy: text('requested_by'),
    createdAt: createdAt(),
    committedAt: ts('committed_at'),
  },
  (t) => [index('deployments_environment_idx').on(t.environmentId, t.createdAt), index('deployments_project_status_idx').on(t.projectId, t.status)],
);

/** A project's secret: its values sealed together (JSON object key → value); names and keys are not secret. */
export const projectSecrets = pgTable(
  'project_secrets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    valuesSealed: text('values_sealed').notNull(),
    keys: text('keys').array().notNull(),
    /** Environment names it is for; null = every environment of the project. */
    environments: text('environments').array(),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('project_secrets_project_name_key').on(t.projectId, t.name)],
);

/** What the GitOps repository holds per project: survives the project's deletion so its folders can be removed. */
export const gitopsProjects = pgTable('gitops_projects', {
  projectId: uuid('project_id').primaryKey(),
  slug: text('slug').notNull(),
  lastCommit: text('last_commit'),
  reconciledAt: ts('reconciled_at').notNull().defaultNow(),
});

/** Last known deployment status of an environment: the GitOps commit, and ArgoCD's sync and health when configured. */
export const environmentDeploymentStatus = pgTable('environment_deployment_status', {
  environmentId: uuid('environment_id').primaryKey().references(() => environments.id, { onDelete: 'cascade' }),
  projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  gitopsCommit: text('gitops_commit'),
  revision: text('revision'),
  /** ArgoCD Application: Synced | OutOfSync | Unknown; Healthy | Progressing | Degraded | Suspended | Missing | Unknown. */
  syncStatus: text('sync_status'),
  healthStatus: text('health_status'),
  syncedRevision: text('synced_revision'),
  /**
   * Why, in English: ArgoCD's own message, or the platform's note when ArgoCD gave no usable answer (kept as the
   * API's raw `message`).
   */
  message: text('message'),
  /**
   * What else ArgoCD's answer says, beyond sync and health (a sync running or failed, an error condition, no
   * answer), in French and English.
   */
  statusDetail: jsonb('status_detail').$type<LocalisedText>(),
  /** ArgoCD's own message only (null when it gave no usable answer): quoted as it comes in the bilingual text. */
  argocdMessage: text('argocd_message'),
  observedAt: ts('observed_at').notNull().defaultNow(),
});

/** Extra network flows a project declares (EX43); each becomes one NetworkPolicy in every environment. */
export const networkFlows = pgTable(
  'network_flows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    /** Slug, unique in the project; part of the NetworkPolicy name. */
    name: text('name').notNull(),
    direction: text('direction').$type<'ingress' | 'egress'>().notNull(),
    /** Exactly one peer: namespace labels, or a CIDR (with optional exceptions). */
    peerNamespaceLabels: jsonb('peer_namespace_labels').$type<Record<string, string>>(),
    peerCidr: text('peer_cidr'),
    peerExcept: text('peer_except').array(),
    ports: jsonb('ports').$type<{ protocol: 'TCP' | 'UDP' | 'SCTP'; port: number }[]>().notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('network_flows_project_name_key').on(t.projectId, t.name)],
);

/**
 * Durable copies of the platform's git repositories (mirrors, hosted repositories, the embedded GitOps repository)
 * for replicas without a shared disk: each change is one row holding every ref as it stood after the change and a
 * git bundle of the objects it added. Any replica rebuilds or refreshes its local copy by applying the rows it has
 * not seen yet; a base row (a full bundle) lets older rows go.
 */
export const gitSnapshots = pgTable(
  'git_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The repository's path under the git root, e.g. `projects/web/api.git` or `_platform/gitops.git`. */
    repositoryKey: text('repository_key').notNull(),
    seq: integer('seq').notNull(),
    /** Every ref (and `HEAD` as `ref: …`) after the change. */
    refs: jsonb('refs').$type<Record<string, string>>().notNull(),
    /** Objects added by the change (null when only refs moved). */
    bundle: bytea('bundle'),
    /** A full bundle: rows before it are no longer needed. */
    base: boolean('base').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('git_snapshots_key_seq_key').on(t.repositoryKey, t.seq)],
);

/**
 * Hosts, addresses or CIDR ranges platform administrators allow outbound URLs to reach although the URL policy
 * refuses them (loopback, link-local…), on top of DSO_GIT_ALLOWED_HOSTS; read at each check, so a change applies
 * without a restart, on every replica.
 */
export const outboundAllowList = pgTable('outbound_allow_list', {
  entry: text('entry').primaryKey(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

// Component catalogue (issue 17): Helm charts and host-run operators curated by platform administrators, checked
// by the same rules as teams' code, published for teams. Archives live in the database so every replica serves them.

/** Where chart versions are pulled from on a schedule: a Helm repository (index.yaml) or an OCI registry path. */
export const catalogueSources = pgTable('catalogue_sources', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<'helm-repository' | 'oci'>().notNull(),
  url: text('url').notNull(),
  /** Chart names to pull from a Helm repository (null = every chart of its index); ignored for OCI (one chart). */
  charts: jsonb('charts').$type<string[]>(),
  /** Interval between pulls (e.g. `6h`); null = the platform default. */
  schedule: text('schedule'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  lastSyncAt: ts('last_sync_at'),
  /** Why the last pull failed (or which versions it could not import), in French and English; null when it went well. */
  lastError: jsonb('last_error').$type<LocalisedText>(),
});

export const catalogueItems = pgTable('catalogue_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  kind: text('kind').$type<'chart' | 'operator'>().notNull(),
  /** The chart's own title (`dso.pi/title`, else its name), shown as is; our shipped charts write it in English. */
  title: text('title').notNull(),
  /** The French title a chart gives in its `dso.pi/title-fr` annotation (our shipped charts do); null if none. */
  titleFr: text('title_fr'),
  /** The chart's own description (Chart.yaml `description`), shown as is; most charts write it in English. */
  description: text('description').notNull().default(''),
  /** The French description a chart gives in its `dso.pi/description-fr` annotation (our shipped charts do); null if none. */
  descriptionFr: text('description_fr'),
  sourceId: uuid('source_id').references(() => catalogueSources.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

/** A finding as kept with a catalogue version (the checks' finding model, serialised). */
export type CatalogueFindingRecord = Record<string, unknown> & { ruleId: string; severity: string; blocking?: boolean };
/** A recorded exception allowing a version with blocking findings to be published (the derogation's who/why/until). */
export interface CatalogueException {
  decidedBy: string;
  decidedAt: string;
  justification: string;
  expiresAt: string;
}

export const catalogueVersions = pgTable(
  'catalogue_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull().references(() => catalogueItems.id, { onDelete: 'cascade' }),
    version: text('version').notNull(),
    appVersion: text('app_version'),
    /** `sha256:…` of the packaged .tgz. */
    digest: text('digest').notNull(),
    /** The packaged chart (.tgz). For operators: a chart whose templates are the custom resources. */
    archive: bytea('archive'),
    readme: text('readme').notNull().default(''),
    /** values.schema.json (for operators: the parameters form). */
    valuesSchema: jsonb('values_schema').$type<Record<string, unknown>>(),
    /** values.yaml as shipped. */
    defaultValues: text('default_values').notNull().default(''),
    /** Image references found in the manifests rendered with the default values. */
    images: jsonb('images').$type<string[]>().notNull().default([]),
    verdict: text('verdict').$type<'pass' | 'fail' | 'unevaluated'>().notNull(),
    findings: jsonb('findings').$type<CatalogueFindingRecord[]>().notNull().default([]),
    checkedAt: ts('checked_at').notNull().defaultNow(),
    publishedAt: ts('published_at'),
    publishedBy: uuid('published_by'),
    exception: jsonb('exception').$type<CatalogueException>(),
    /** Holds data: removal asks for confirmation and keeps backups. */
    dataBearing: boolean('data_bearing').notNull().default(false),
    /** CCT requirement ids this component evidences when it passes (e.g. EX7, EX33, EX40 for scheduled backups). */
    covers: jsonb('covers').$type<string[]>().notNull().default([]),
    /** Operators only: the custom resource kinds its template writes, as `group/version Kind`. */
    customResourceKinds: jsonb('custom_resource_kinds').$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('catalogue_versions_item_version_key').on(t.itemId, t.version)],
);

/** Which operator version the host runs on each cluster (declared by administrators). */
export const catalogueOperatorInstalls = pgTable(
  'catalogue_operator_installs',
  {
    itemId: uuid('item_id').notNull().references(() => catalogueItems.id, { onDelete: 'cascade' }),
    clusterId: uuid('cluster_id').notNull().references(() => clusters.id, { onDelete: 'cascade' }),
    operatorVersion: text('operator_version').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.clusterId] })],
);

/**
 * A catalogue component a team runs in one of its environments (issue 17): the version and values it asked for, the
 * result of rendering and checking the chart with those values (kept for upgrade diffs, the dossier and operator
 * custom resources), and what the GitOps reconcile and ArgoCD report back. A removed data-bearing service keeps
 * its row (`removedAt`): it says which version ran and where its backups went.
 */
export const environmentServices = pgTable(
  'environment_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    environmentId: uuid('environment_id').notNull().references(() => environments.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id').notNull().references(() => catalogueItems.id),
    versionId: uuid('version_id').notNull().references(() => catalogueVersions.id),
    /** Slug, unique among the environment's services still present: Helm release name. */
    name: text('name').notNull(),
    values: jsonb('values').$type<Record<string, unknown>>().notNull().default({}),
    /** Checks of the chart rendered with these values. */
    verdict: text('verdict').$type<'pass' | 'fail' | 'unevaluated'>().notNull(),
    findings: jsonb('findings').$type<CatalogueFindingRecord[]>().notNull().default([]),
    /** The manifests rendered with these values (multi-document YAML). */
    manifests: text('manifests').notNull().default(''),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    status: text('status').$type<ProvisioningStatus>().notNull().default('pending'),
    conditions: jsonb('conditions').$type<Condition[]>().notNull().default([]),
    gitopsCommit: text('gitops_commit'),
    syncStatus: text('sync_status'),
    healthStatus: text('health_status'),
    statusMessage: text('status_message'),
    /** What else ArgoCD's answer says, beyond sync and health (a sync running or failed, an error condition, no answer), in French and English. */
    statusDetail: jsonb('status_detail').$type<LocalisedText>(),
    observedAt: ts('observed_at'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    removedAt: ts('removed_at'),
    removedBy: uuid('removed_by'),
    /**
     * The newer version proposed to this service, recorded when an administrator published it (so the team sees it
     * without asking); shown while that version stays published and newer than the service's own.
     */
    proposedVersionId: uuid('proposed_version_id').references(() => catalogueVersions.id, { onDelete: 'set null' }),
    proposedAt: ts('proposed_at'),
  },
  (t) => [
    uniqueIndex('environment_services_environment_name_key').on(t.environmentId, t.name).where(sql`${t.removedAt} is null`),
    index('environment_services_project_idx').on(t.projectId),
    index('environment_services_version_idx').on(t.versionId),
  ],
);
