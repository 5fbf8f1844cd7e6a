// Every route × every actor: allowed (2xx) or denied with the right status. Anonymous → 401; an actor from another
// project → 404 on this project's resources (no existence leak); anyone else without the permission → 403.
// Expected rights come from the named permissions of the default roles (domain/permissions.ts): the service account
// of the project acts as `devops`; security officer and read-only admin read everything; platform admin and the
// bootstrap token do everything.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../src/db/client.ts';
import { environments, members, projects, repositories, users, accessTokens } from '../src/db/schema.ts';
import { attestations, derogations, evidenceDocuments } from '../src/db/schema.ts';
import { certifiedRevisions, deployments as deploymentRows, projectSecrets, runs, stages } from '../src/db/schema.ts';
import { notificationWebhooks, runArtifacts } from '../src/db/schema.ts';
import { networkFlows } from '../src/db/schema.ts';
import { environmentServices } from '../src/db/schema.ts';
import { packageChart, storeChartVersion, testChartsDir } from './support/catalogue.ts';
import { notApplicableDeclarations } from '../src/db/schema.ts';
import { catalogueItems, catalogueSources, catalogueVersions } from '../src/db/schema.ts';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chartArchive } from './support/charts.ts';
import { defaultProjectRoles, type ProjectPermission } from '../src/domain/permissions.ts';
import { generateToken } from '../src/api/auth/tokens.ts';
import { acceptCurrentPolicy, createPerson, createServiceAccount, describeApiOnDatabases, projectRoleNames, type World } from './support/api-fixtures.ts';

const actorNames = [
  'anonymous',
  'other-project-member',
  ...projectRoleNames,
  'service-account',
  'other-service-account',
  'platform-admin',
  'security-officer',
  'admin-read-only',
  'bootstrap-admin',
] as const;
type ActorName = (typeof actorNames)[number];

const persons: ActorName[] = ['other-project-member', ...projectRoleNames, 'platform-admin', 'security-officer', 'admin-read-only'];
const crossProject = new Set<ActorName>(['other-project-member', 'other-service-account']);

function hasProjectPermission(actor: ActorName, permission: ProjectPermission): boolean {
  if (actor === 'platform-admin' || actor === 'bootstrap-admin') return true;
  if (actor === 'security-officer' || actor === 'admin-read-only') return permission.endsWith('.read');
  const role = actor === 'service-account' ? 'devops' : (projectRoleNames as readonly string[]).includes(actor) ? actor : undefined;
  return (
    role !== undefined && (defaultProjectRoles.find((r) => r.name === role)?.permissions.includes(permission) ?? false)
  );
}

type Scope = 'project' | 'admin' | 'any';
interface Case {
  route: string;
  scope: Scope;
  allowed: (actor: ActorName) => boolean;
  /** Builds the request for one actor (creating whatever the request targets). */
  request: (actor: ActorName, env: Env) => Promise<{ url: string; payload?: unknown }>;
  /** Restores shared state after an allowed call. */
  after?: (env: Env) => Promise<void>;
}
interface Env {
  db: Db;
  w: World;
  n: () => number;
}

const project = (permission: ProjectPermission) => (a: ActorName) => hasProjectPermission(a, permission);
const adminRead = (a: ActorName) => ['platform-admin', 'security-officer', 'admin-read-only', 'bootstrap-admin'].includes(a);
const adminWrite = (a: ActorName) => a === 'platform-admin' || a === 'bootstrap-admin';
const authenticated = (a: ActorName) => a !== 'anonymous';
const person = (a: ActorName) => persons.includes(a);
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

async function newEnvironment({ db, w, n }: Env) {
  const [row] = await db.insert(environments).values({ projectId: w.projectId, name: `e-${n()}`, stageId: w.stageId, clusterId: w.clusterId, cpuMillicores: 1, memoryMiB: 1 }).returning();
  return row!;
}
async function newRepository({ db, w, n }: Env) {
  const [row] = await db.insert(repositories).values({ projectId: w.projectId, name: `r-${n()}`, externalUrl: 'https://git.example/a.git' }).returning();
  return row!;
}
async function newMember(env: Env) {
  const p = await createPerson(env.db, `m${env.n()}`);
  await env.db.insert(members).values({ projectId: env.w.projectId, userId: p.userId!, role: 'developer' });
  return p.userId!;
}

const cases: Case[] = [
  // me
  { route: 'GET /me', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/me' }) },
  { route: 'GET /me/tokens', scope: 'any', allowed: person, request: async () => ({ url: '/api/v1/me/tokens' }) },
  { route: 'POST /me/tokens', scope: 'any', allowed: person, request: async () => ({ url: '/api/v1/me/tokens', payload: { name: 'ci', expiresAt: inAMonth() } }) },
  {
    route: 'DELETE /me/tokens/{id}',
    scope: 'any',
    allowed: person,
    request: async (a, { db, w }) => {
      const userId = w.actors[a]?.userId;
      if (!userId) return { url: `/api/v1/me/tokens/${crypto.randomUUID()}` };
      const t = generateToken('pat');
      const [row] = await db.insert(accessTokens).values({ userId, name: 'x', tokenHash: t.hash, prefix: t.prefix, expiresAt: new Date(Date.now() + 86_400_000) }).returning();
      return { url: `/api/v1/me/tokens/${row!.id}` };
    },
  },
  { route: 'GET /me/usage-policy', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/me/usage-policy' }) },
  { route: 'POST /me/usage-policy', scope: 'any', allowed: person, request: async () => ({ url: '/api/v1/me/usage-policy', payload: { version: 1 } }) },
  // projects
  { route: 'GET /projects', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/projects' }) },
  {
    route: 'POST /projects',
    scope: 'any',
    allowed: (a) => person(a) || a === 'bootstrap-admin',
    request: async (a, { w, n }) => ({ url: '/api/v1/projects', payload: { slug: `p-${n()}`, name: 'P', ...(a === 'bootstrap-admin' ? { ownerId: w.actors.owner!.userId } : {}) } }),
  },
  { route: 'GET /projects/{id}', scope: 'project', allowed: project('project.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}` }) },
  { route: 'PATCH /projects/{id}', scope: 'project', allowed: project('project.update'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}`, payload: { description: 'changed' } }) },
  {
    route: 'DELETE /projects/{id}',
    scope: 'project',
    allowed: project('project.delete'),
    request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}` }),
    after: async ({ db, w }) => {
      await db.update(projects).set({ archived: false }).where(eq(projects.id, w.projectId));
    },
  },
  // members
  { route: 'GET /projects/{id}/members', scope: 'project', allowed: project('members.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/members` }) },
  {
    route: 'POST /projects/{id}/members',
    scope: 'project',
    allowed: project('members.manage'),
    request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/members`, payload: { userId: (await createPerson(env.db, `n${env.n()}`)).userId, role: 'developer' } }),
  },
  { route: 'PATCH /projects/{id}/members/{userId}', scope: 'project', allowed: project('members.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/members/${await newMember(env)}`, payload: { role: 'read-only' } }) },
  { route: 'DELETE /projects/{id}/members/{userId}', scope: 'project', allowed: project('members.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/members/${await newMember(env)}` }) },
  // roles
  { route: 'GET /roles', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/roles' }) },
  { route: 'GET /roles?projectId=', scope: 'project', allowed: project('members.read'), request: async (_a, { w }) => ({ url: `/api/v1/roles?projectId=${w.projectId}` }) },
  { route: 'POST /roles', scope: 'project', allowed: project('members.manage'), request: async (_a, { w, n }) => ({ url: '/api/v1/roles', payload: { projectId: w.projectId, name: `role-${n()}`, permissions: ['project.read'] } }) },
  // environments
  { route: 'GET /environments', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/environments' }) },
  { route: 'GET /environments?projectId=', scope: 'project', allowed: project('environments.read'), request: async (_a, { w }) => ({ url: `/api/v1/environments?projectId=${w.projectId}` }) },
  {
    route: 'POST /environments',
    scope: 'project',
    allowed: project('environments.manage'),
    request: async (_a, { w, n }) => ({ url: '/api/v1/environments', payload: { projectId: w.projectId, name: `env-${n()}`, stageId: w.stageId, clusterId: w.clusterId, cpuMillicores: 10, memoryMiB: 10 } }),
  },
  { route: 'GET /environments/{id}', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: `/api/v1/environments/${(await newEnvironment(env)).id}` }) },
  { route: 'PATCH /environments/{id}', scope: 'project', allowed: project('environments.manage'), request: async (_a, env) => ({ url: `/api/v1/environments/${(await newEnvironment(env)).id}`, payload: { cpuMillicores: 2 } }) },
  { route: 'DELETE /environments/{id}', scope: 'project', allowed: project('environments.manage'), request: async (_a, env) => ({ url: `/api/v1/environments/${(await newEnvironment(env)).id}` }) },
  // repositories
  { route: 'GET /repositories', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/repositories' }) },
  { route: 'GET /repositories?projectId=', scope: 'project', allowed: project('repositories.read'), request: async (_a, { w }) => ({ url: `/api/v1/repositories?projectId=${w.projectId}` }) },
  {
    route: 'POST /repositories',
    scope: 'project',
    allowed: project('repositories.manage'),
    request: async (_a, { w, n }) => ({ url: '/api/v1/repositories', payload: { projectId: w.projectId, name: `repo-${n()}`, externalUrl: 'https://git.example/app.git', credentials: { token: 's3cr3t' } } }),
  },
  { route: 'GET /repositories/{id}', scope: 'project', allowed: project('repositories.read'), request: async (_a, env) => ({ url: `/api/v1/repositories/${(await newRepository(env)).id}` }) },
  { route: 'PATCH /repositories/{id}', scope: 'project', allowed: project('repositories.manage'), request: async (_a, env) => ({ url: `/api/v1/repositories/${(await newRepository(env)).id}`, payload: { defaultBranch: 'develop' } }) },
  { route: 'DELETE /repositories/{id}', scope: 'project', allowed: project('repositories.manage'), request: async (_a, env) => ({ url: `/api/v1/repositories/${(await newRepository(env)).id}` }) },
  {
    route: 'GET /projects/{projectId}/infrastructure-skeleton',
    scope: 'project',
    allowed: project('repositories.read'),
    request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/infrastructure-skeleton?application=${(await newRepository(env)).name}` }),
  },
  // service accounts
  { route: 'GET /service-accounts?projectId=', scope: 'project', allowed: project('members.read'), request: async (_a, { w }) => ({ url: `/api/v1/service-accounts?projectId=${w.projectId}` }) },
  {
    route: 'POST /service-accounts',
    scope: 'project',
    allowed: project('service-accounts.manage'),
    request: async (_a, { w, n }) => ({ url: '/api/v1/service-accounts', payload: { projectId: w.projectId, name: `sa-${n()}`, role: 'read-only', expiresAt: inAMonth() } }),
  },
  {
    route: 'DELETE /service-accounts/{id}',
    scope: 'project',
    allowed: project('service-accounts.manage'),
    request: async (_a, { db, w, n }) => ({ url: `/api/v1/service-accounts/${(await createServiceAccount(db, `tmp-${n()}`, w.projectId, 'read-only')).userId}` }),
  },
  // administration
  { route: 'GET /admin/zones', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/zones' }) },
  { route: 'POST /admin/zones', scope: 'admin', allowed: adminWrite, request: async (_a, { n }) => ({ url: '/api/v1/admin/zones', payload: { slug: `z-${n()}`, label: 'Z', maxSensitivity: 'internal' } }) },
  { route: 'PATCH /admin/zones/{id}', scope: 'admin', allowed: adminWrite, request: async (_a, { w }) => ({ url: `/api/v1/admin/zones/${w.zoneId}`, payload: { label: 'Zone par défaut' } }) },
  { route: 'GET /admin/clusters', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/clusters' }) },
  { route: 'GET /admin/clusters?projectId=', scope: 'project', allowed: project('environments.read'), request: async (_a, { w }) => ({ url: `/api/v1/admin/clusters?projectId=${w.projectId}` }) },
  { route: 'POST /admin/clusters', scope: 'admin', allowed: adminWrite, request: async (_a, { w, n }) => ({ url: '/api/v1/admin/clusters', payload: { slug: `c-${n()}`, label: 'C', zoneId: w.zoneId, kind: 'internal', cpuMillicores: 1000, memoryMiB: 1000 } }) },
  { route: 'PATCH /admin/clusters/{id}', scope: 'admin', allowed: adminWrite, request: async (_a, { w }) => ({ url: `/api/v1/admin/clusters/${w.clusterId}`, payload: { label: 'Cluster interne' } }) },
  { route: 'GET /admin/stages', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/admin/stages' }) },
  { route: 'POST /admin/stages', scope: 'admin', allowed: adminWrite, request: async (_a, { n }) => ({ url: '/api/v1/admin/stages', payload: { slug: `s-${n()}`, label: 'S' } }) },
  { route: 'PATCH /admin/stages/{id}', scope: 'admin', allowed: adminWrite, request: async (_a, { w }) => ({ url: `/api/v1/admin/stages/${w.stageId}`, payload: { label: 'Développement' } }) },
  { route: 'GET /admin/users', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/users' }) },
  { route: 'PATCH /admin/users/{id}', scope: 'admin', allowed: adminWrite, request: async (_a, { db, n }) => ({ url: `/api/v1/admin/users/${(await createPerson(db, `u${n()}`)).userId}`, payload: { adminRoles: ['admin-read-only'] } }) },
  { route: 'GET /admin/url-allow-list', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/url-allow-list' }) },
  { route: 'PUT /admin/url-allow-list', scope: 'admin', allowed: adminWrite, request: async () => ({ url: '/api/v1/admin/url-allow-list', payload: { entries: ['forge.intra', '10.20.0.0/16'] } }) },
  { route: 'GET /advisories', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/advisories' }) },
  { route: 'GET /admin/usage-policies', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/usage-policies' }) },
  {
    route: 'POST /admin/usage-policies',
    scope: 'admin',
    allowed: adminWrite,
    request: async () => ({ url: '/api/v1/admin/usage-policies', payload: { titleFr: 'CGU', titleEn: 'Policy', contentFr: 'Texte', contentEn: 'Text' } }),
    // A new version binds everyone again: re-accept so the rest of the matrix tests rights, not the policy.
    after: async ({ db }) => {
      for (const u of await db.select({ id: users.id }).from(users).where(eq(users.kind, 'human'))) await acceptCurrentPolicy(db, u.id);
    },
  },
  { route: 'GET /admin/audit', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/audit' }) },
  // homologation (requirements, conformity, derogations, attestations, evidence documents, dossier)
  { route: 'GET /requirements', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/requirements?level=P' }) },
  { route: 'GET /requirements/diff', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/requirements/diff?from=1.0.0' }) },
  { route: 'GET /rules/{ruleId}', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/rules/secrets.github-token' }) },
  { route: 'GET /projects/{id}/conformity', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/conformity` }) },
  { route: 'GET /projects/{id}/conformity/history', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/conformity/history` }) },
  { route: 'GET /projects/{id}/deployment-gate', scope: 'project', allowed: project('conformity.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/deployment-gate?environmentId=${(await newEnvironment(env)).id}` }) },
  { route: 'GET /projects/{id}/dossier', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/dossier?format=oscal` }) },
  {
    route: 'POST /projects/{id}/derogations',
    scope: 'project',
    // The bootstrap token is nobody: a derogation is requested by an identified person or service account.
    allowed: (a) => hasProjectPermission(a, 'derogations.request') && a !== 'bootstrap-admin',
    request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/derogations`, payload: { requirement: 'EX29', justification: 'Image éditeur', expiresAt: inAMonth() } }),
  },
  { route: 'GET /projects/{id}/derogations', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/derogations` }) },
  { route: 'GET /derogations', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/derogations?status=requested' }) },
  { route: 'GET /derogations/{id}', scope: 'project', allowed: project('conformity.read'), request: async (_a, env) => ({ url: `/api/v1/derogations/${await newDerogation(env)}` }) },
  // Only a security officer decides or revokes (never on their own request: test/homologation-api.test.ts).
  { route: 'POST /derogations/{id}/decision', scope: 'project', allowed: (a) => a === 'security-officer', request: async (_a, env) => ({ url: `/api/v1/derogations/${await newDerogation(env)}/decision`, payload: { decision: 'approve', comment: 'ok' } }) },
  { route: 'POST /derogations/{id}/revoke', scope: 'project', allowed: (a) => a === 'security-officer', request: async (_a, env) => ({ url: `/api/v1/derogations/${await newDerogation(env)}/revoke`, payload: {} }) },
  {
    route: 'POST /projects/{id}/attestations',
    scope: 'project',
    // EX49's architecture document is attested by the owner or devops (the project's service account acts as devops).
    allowed: (a) => a === 'owner' || a === 'devops' || a === 'service-account',
    request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/attestations`, payload: { requirement: 'EX49', evidence: { kind: 'link', url: 'https://wiki.example.gouv.fr/architecture' }, validUntil: inAMonth() } }),
  },
  {
    route: 'POST /projects/{id}/evidence-documents',
    scope: 'project',
    // Same people as attestations: project roles with attestations.create, and platform roles that may attest some.
    allowed: (a) => hasProjectPermission(a, 'attestations.create') || a === 'security-officer',
    request: async (_a, { w, n }) => ({ url: `/api/v1/projects/${w.projectId}/evidence-documents`, payload: `compte rendu ${n()}\n` }),
  },
  { route: 'GET /projects/{id}/attestations', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/attestations` }) },
  { route: 'GET /attestations/{id}', scope: 'project', allowed: project('conformity.read'), request: async (_a, env) => ({ url: `/api/v1/attestations/${await newDocumentAttestation(env)}` }) },
  { route: 'GET /attestations/{id}/document', scope: 'project', allowed: project('conformity.read'), request: async (_a, env) => ({ url: `/api/v1/attestations/${await newDocumentAttestation(env)}/document` }) },
  // restore tests (EX8): recorded with the right to give evidence, by an identified person or service account
  { route: 'GET /projects/{id}/restore-tests', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/restore-tests` }) },
  {
    route: 'POST /projects/{id}/restore-tests',
    scope: 'project',
    allowed: (a) => hasProjectPermission(a, 'attestations.create') && a !== 'bootstrap-admin',
    request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/restore-tests`, payload: { performedAt: new Date(Date.now() - 3_600_000).toISOString(), outcome: 'succeeded', durationSeconds: 600 } }),
  },
  // commit statuses sent to the team's forge (EX16)
  { route: 'GET /projects/{id}/commit-status-deliveries', scope: 'project', allowed: project('runs.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/commit-status-deliveries` }) },
  // not-applicable declarations: a security officer or the project owner only (src/api/routes/not-applicable.ts)
  { route: 'GET /projects/{id}/not-applicable', scope: 'project', allowed: project('conformity.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/not-applicable` }) },
  {
    route: 'POST /projects/{id}/not-applicable',
    scope: 'project',
    allowed: (a) => a === 'owner' || a === 'security-officer',
    request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/not-applicable`, payload: { requirement: 'EX29', justification: 'Aucune image tierce utilisée.' } }),
  },
  { route: 'DELETE /projects/{id}/not-applicable/{id}', scope: 'project', allowed: (a) => a === 'owner' || a === 'security-officer', request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/not-applicable/${await newNotApplicable(env)}` }) },
  // deployments (issue 6): dev-stage environments, so only deployments.create is needed
  { route: 'GET /projects/{projectId}/environments/{environmentId}/deployments', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/environments/${(await newEnvironment(env)).id}/deployments` }) },
  { route: 'GET /projects/{projectId}/environments/{environmentId}/deployment-status', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/environments/${(await newEnvironment(env)).id}/deployment-status` }) },
  {
    route: 'POST /projects/{projectId}/environments/{environmentId}/deployments',
    scope: 'project',
    allowed: project('deployments.create'),
    request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/environments/${(await newEnvironment(env)).id}/deployments`, payload: { revision: (await certifiedInfrastructure(env)).revisions[0] } }),
  },
  {
    route: 'POST /projects/{projectId}/environments/{environmentId}/deployments/promote',
    scope: 'project',
    allowed: project('deployments.create'),
    request: async (_a, env) => {
      const from = await deployedEnvironment(env, 1);
      const [staging] = await env.db.select().from(stages).where(eq(stages.slug, 'staging'));
      const [target] = await env.db.insert(environments).values({ projectId: env.w.projectId, name: `e-${env.n()}`, stageId: staging!.id, clusterId: env.w.clusterId, cpuMillicores: 1, memoryMiB: 1 }).returning();
      return { url: `/api/v1/projects/${env.w.projectId}/environments/${target!.id}/deployments/promote`, payload: { from } };
    },
  },
  {
    route: 'POST /projects/{projectId}/environments/{environmentId}/deployments/rollback',
    scope: 'project',
    allowed: project('deployments.create'),
    request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/environments/${await deployedEnvironment(env, 2)}/deployments/rollback`, payload: {} }),
  },
  // project secrets (issue 6)
  { route: 'GET /projects/{projectId}/secrets', scope: 'project', allowed: project('environments.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/secrets` }) },
  { route: 'GET /projects/{projectId}/secrets/{name}', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/secrets/${await newSecret(env)}` }) },
  { route: 'PUT /projects/{projectId}/secrets/{name}', scope: 'project', allowed: project('secrets.manage'), request: async (_a, { w, n }) => ({ url: `/api/v1/projects/${w.projectId}/secrets/s-${n()}`, payload: { values: { token: 'value' } } }) },
  { route: 'DELETE /projects/{projectId}/secrets/{name}', scope: 'project', allowed: project('secrets.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/secrets/${await newSecret(env)}` }) },
  // declared network flows (issue 6, EX43)
  { route: 'GET /projects/{projectId}/network-flows', scope: 'project', allowed: project('environments.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/network-flows` }) },
  { route: 'POST /projects/{projectId}/network-flows', scope: 'project', allowed: project('environments.manage'), request: async (_a, { w, n }) => ({ url: `/api/v1/projects/${w.projectId}/network-flows`, payload: { name: `f-${n()}`, direction: 'egress', peer: { cidr: '10.0.0.0/24' }, ports: [{ protocol: 'TCP', port: 5432 }] } }) },
  { route: 'DELETE /projects/{projectId}/network-flows/{flowId}', scope: 'project', allowed: project('environments.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/network-flows/${await newFlow(env)}` }) },
  // services per environment (issue 17): dev-stage environments, so environments.manage is enough to change them
  { route: 'GET /projects/{projectId}/environments/{environmentId}/services', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/environments/${(await newService(env)).environmentId}/services` }) },
  {
    route: 'POST /projects/{projectId}/environments/{environmentId}/services',
    scope: 'project',
    allowed: project('environments.manage'),
    request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/environments/${(await newServiceEnvironment(env)).id}/services`, payload: { item: 'backed-store', version: '1.0.0', name: `s-${env.n()}`, values: { replicas: 1 } } }),
  },
  { route: 'GET /projects/{projectId}/environments/{environmentId}/services/{serviceId}', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: await serviceUrl(env) }) },
  { route: 'PATCH /projects/{projectId}/environments/{environmentId}/services/{serviceId}', scope: 'project', allowed: project('environments.manage'), request: async (_a, env) => ({ url: await serviceUrl(env), payload: { values: { replicas: 1 } } }) },
  { route: 'DELETE /projects/{projectId}/environments/{environmentId}/services/{serviceId}?confirm=true', scope: 'project', allowed: project('environments.manage'), request: async (_a, env) => ({ url: `${await serviceUrl(env)}?confirm=true` }) },
  { route: 'GET /projects/{projectId}/environments/{environmentId}/services/{serviceId}/upgrade', scope: 'project', allowed: project('environments.read'), request: async (_a, env) => ({ url: `${await serviceUrl(env)}/upgrade` }) },
  { route: 'POST /projects/{projectId}/environments/{environmentId}/services/{serviceId}/upgrade', scope: 'project', allowed: project('environments.manage'), request: async (_a, env) => ({ url: `${await serviceUrl(env)}/upgrade`, payload: {} }) },
  { route: 'GET /projects/{projectId}/services', scope: 'project', allowed: project('environments.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/services` }) },
  { route: 'GET /admin/services/affected', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/admin/services/affected' }) },
  // chain runs (issue 4)
  { route: 'POST /projects/{projectId}/repositories/{repositoryId}/runs', scope: 'project', allowed: project('runs.start'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/repositories/${(await newRepository(env)).id}/runs`, payload: { ref: 'main' } }) },
  { route: 'GET /projects/{projectId}/repositories/{repositoryId}/runs', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/repositories/${(await newRepository(env)).id}/runs` }) },
  { route: 'GET /runs/{runId}', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}` }) },
  { route: 'POST /runs/{runId}/cancel', scope: 'project', allowed: project('runs.start'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env, 'queued')}/cancel` }) },
  { route: 'GET /runs/{runId}/logs', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}/logs` }) },
  { route: 'GET /runs/{runId}/findings', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}/findings` }) },
  { route: 'GET /runs/{runId}/sarif', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}/sarif` }) },
  { route: 'GET /runs/{runId}/sbom', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}/sbom` }) },
  { route: 'GET /runs/{runId}/artifacts/{kind}', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}/artifacts/check-report` }) },
  { route: 'GET /runs/{runId}/evidence', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/runs/${await newFinishedRun(env)}/evidence` }) },
  { route: 'POST /runs/nightly-rescan', scope: 'admin', allowed: adminWrite, request: async () => ({ url: '/api/v1/runs/nightly-rescan' }) },
  { route: 'POST /projects/{projectId}/repositories/{repositoryId}/webhook-secret', scope: 'project', allowed: project('repositories.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/repositories/${(await newRepository(env)).id}/webhook-secret` }) },
  {
    route: 'PUT /projects/{projectId}/repositories/{repositoryId}/commit-status',
    scope: 'project',
    allowed: project('repositories.manage'),
    request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/repositories/${(await newRepository(env)).id}/commit-status`, payload: { forge: 'github', apiUrl: 'https://api.github.com', project: 'team/app', token: 'ghs_token' } }),
  },
  // notification webhooks (issue 4)
  { route: 'GET /projects/{projectId}/webhooks', scope: 'project', allowed: project('runs.read'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/webhooks` }) },
  { route: 'POST /projects/{projectId}/webhooks', scope: 'project', allowed: project('webhooks.manage'), request: async (_a, { w }) => ({ url: `/api/v1/projects/${w.projectId}/webhooks`, payload: { url: 'https://203.0.113.10/hook' } }) },
  { route: 'GET /projects/{projectId}/webhooks/{webhookId}', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/webhooks/${await newWebhook(env)}` }) },
  { route: 'PATCH /projects/{projectId}/webhooks/{webhookId}', scope: 'project', allowed: project('webhooks.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/webhooks/${await newWebhook(env)}`, payload: { active: false } }) },
  { route: 'DELETE /projects/{projectId}/webhooks/{webhookId}', scope: 'project', allowed: project('webhooks.manage'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/webhooks/${await newWebhook(env)}` }) },
  { route: 'GET /projects/{projectId}/webhooks/{webhookId}/deliveries', scope: 'project', allowed: project('runs.read'), request: async (_a, env) => ({ url: `/api/v1/projects/${env.w.projectId}/webhooks/${await newWebhook(env)}/deliveries` }) },
  // component catalogue (issue 17): everyone signed in browses published versions; platform administrators curate;
  // the Helm repository of published versions answers anyone (ArgoCD reads it without credentials)
  { route: 'GET /catalogue', scope: 'any', allowed: authenticated, request: async () => ({ url: '/api/v1/catalogue' }) },
  { route: 'GET /catalogue/{itemId}', scope: 'any', allowed: authenticated, request: async (_a, env) => ({ url: `/api/v1/catalogue/${(await newCatalogueVersion(env, { published: true })).itemId}` }) },
  { route: 'POST /catalogue', scope: 'admin', allowed: adminWrite, request: async () => ({ url: '/api/v1/catalogue', payload: await matrixChart() }) },
  {
    route: 'POST /catalogue/{itemId}/versions/{version}/publish',
    scope: 'admin',
    allowed: adminWrite,
    request: async (_a, env) => {
      const v = await newCatalogueVersion(env, { published: false });
      return { url: `/api/v1/catalogue/${v.itemId}/versions/${v.version}/publish`, payload: {} };
    },
  },
  { route: 'PUT /catalogue/{itemId}/installs', scope: 'admin', allowed: adminWrite, request: async (_a, env) => ({ url: `/api/v1/catalogue/${(await newCatalogueVersion(env, { published: true, kind: 'operator' })).itemId}/installs`, payload: { installs: [{ clusterId: env.w.clusterId, operatorVersion: '1.25.0' }] } }) },
  { route: 'GET /catalogue/sources', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/catalogue/sources' }) },
  { route: 'POST /catalogue/sources', scope: 'admin', allowed: adminWrite, request: async () => ({ url: '/api/v1/catalogue/sources', payload: { kind: 'helm-repository', url: 'https://charts.example.gouv.fr/stable' } }) },
  { route: 'POST /catalogue/sources/{sourceId}/sync', scope: 'admin', allowed: adminWrite, request: async (_a, env) => ({ url: `/api/v1/catalogue/sources/${await emptyHelmSource(env)}/sync` }) },
  { route: 'GET /catalogue/advisories', scope: 'admin', allowed: adminRead, request: async () => ({ url: '/api/v1/catalogue/advisories' }) },
  { route: 'GET /catalogue/repository/index.yaml', scope: 'any', allowed: () => true, request: async () => ({ url: '/api/v1/catalogue/repository/index.yaml' }) },
  {
    route: 'GET /catalogue/repository/charts/{file}',
    scope: 'any',
    allowed: () => true,
    request: async (_a, env) => {
      const v = await newCatalogueVersion(env, { published: true });
      return { url: `/api/v1/catalogue/repository/charts/${v.slug}-${v.version}.tgz` };
    },
  },
];

// ---- issue 17 fixtures: catalogue items and versions written directly, an empty Helm repository on loopback ----
async function newCatalogueVersion({ db, n }: Env, options: { published: boolean; kind?: 'chart' | 'operator' }) {
  const slug = `matrix-${n()}`;
  const [item] = await db.insert(catalogueItems).values({ slug, kind: options.kind ?? 'chart', title: slug }).returning();
  await db.insert(catalogueVersions).values({ itemId: item!.id, version: '1.0.0', digest: 'sha256:0', archive: Buffer.from('x'), verdict: 'pass', publishedAt: options.published ? new Date() : null });
  return { itemId: item!.id, slug, version: '1.0.0' };
}
let emptyRepository: Promise<string> | undefined;
async function emptyHelmSource({ db }: Env): Promise<string> {
  emptyRepository ??= new Promise((resolve) => {
    const server = createServer((_request, response) => response.end('apiVersion: v1\nentries: {}\n'));
    server.unref();
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
  });
  const [row] = await db.insert(catalogueSources).values({ kind: 'helm-repository', url: await emptyRepository }).returning();
  return row!.id;
}
let chartBytes: Promise<Buffer> | undefined;
function matrixChart(): Promise<Buffer> {
  chartBytes ??= chartArchive(mkdtempSync(path.join(tmpdir(), 'dso-matrix-chart-')), { name: 'matrix-chart', version: '1.0.0' });
  return chartBytes;
}

// ---- issue 4 fixtures: a finished run with its artifacts, a notification webhook ----
async function newFinishedRun(env: Env, status: 'certified' | 'queued' = 'certified'): Promise<string> {
  const repo = await newRepository(env);
  const [run] = await env.db.insert(runs).values({ projectId: env.w.projectId, repositoryId: repo.id, trigger: 'api', status, commitSha: 'a'.repeat(40) }).returning();
  if (status === 'certified') {
    const report = JSON.stringify({ tool: { name: 'dso-pi', version: '0' }, findings: [], summary: { findings: 0 }, gate: { verdict: 'pass', reasons: [], excused: [] }, notes: [] });
    for (const [kind, mediaType] of [['check-report', 'application/json'], ['sarif', 'application/sarif+json'], ['sbom', 'application/vnd.cyclonedx+json']] as const) {
      await env.db.insert(runArtifacts).values({ runId: run!.id, kind, mediaType, content: report, sha256: '0'.repeat(64), size: report.length });
    }
  }
  return run!.id;
}
async function newWebhook({ db, w }: Env): Promise<string> {
  const [row] = await db.insert(notificationWebhooks).values({ projectId: w.projectId, url: 'https://203.0.113.10/hook', secretSealed: 'x' }).returning();
  return row!.id;
}

async function newDerogation({ db, w }: Env): Promise<string> {
  const [row] = await db.insert(derogations).values({ projectId: w.projectId, requirement: 'EX29', justification: 'x', expiresAt: new Date(Date.now() + 30 * 86_400_000), requestedBy: w.actors.owner!.userId! }).returning();
  return row!.id;
}
async function newNotApplicable({ db, w }: Env): Promise<string> {
  const [row] = await db.insert(notApplicableDeclarations).values({ projectId: w.projectId, requirement: 'EX29', justification: 'x', declaredBy: w.actors.owner!.userId! }).returning();
  return row!.id;
}
async function newDocumentAttestation({ db, w, n }: Env): Promise<string> {
  const content = Buffer.from(`evidence ${n()}\n`);
  const [doc] = await db.insert(evidenceDocuments).values({ projectId: w.projectId, sha256: `${n()}`.padStart(64, '0'), mediaType: 'text/plain; charset=utf-8', size: content.length, content }).returning();
  const [row] = await db.insert(attestations).values({ projectId: w.projectId, requirement: 'EX5', attestedBy: w.actors.owner!.userId!, role: 'owner', evidence: { kind: 'document', documentId: doc!.id }, validUntil: new Date(Date.now() + 86_400_000) }).returning();
  return row!.id;
}

describeApiOnDatabases('authorization matrix', (ctx) => {
  let counter = 0;
  for (const c of cases) {
    it(c.route, async () => {
      const env: Env = { db: ctx.system.services.db, w: ctx.world, n: () => ++counter };
      const [method] = c.route.split(' ');
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const actor of actorNames) {
        const { url, payload } = await c.request(actor, env);
        const response = await ctx.call(actor, method as 'GET', url, payload);
        const allowed = c.allowed(actor);
        const want = allowed ? '2xx' : actor === 'anonymous' ? '401' : c.scope === 'project' && crossProject.has(actor) ? '404' : '403';
        const got = response.status >= 200 && response.status < 300 ? '2xx' : String(response.status);
        expected.push(`${actor}: ${want}`);
        outcomes.push(`${actor}: ${got}${got !== want ? ` (${JSON.stringify(response.body).slice(0, 200)})` : ''}`);
        if (allowed && got === '2xx') await c.after?.(env);
      }
      expect(outcomes.map((o) => o.replace(/ \(.*$/, ''))).toEqual(expected);
    });
  }
  it('covers every documented route of the console resources (me, projects, members, roles, environments, repositories, service accounts, admin)', () => {
    const covered = new Set(cases.map((c) => c.route.replace(/\?.*$/, '').replace(/\{[^}]+\}/g, '{}')));
    const resourceTags = new Set(['me', 'projects', 'members', 'roles', 'environments', 'repositories', 'service-accounts', 'admin', 'homologation', 'deployments', 'secrets', 'runs', 'webhooks', 'catalogue', 'services']);
    const doc = ctx.system.app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const mine = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => (op.tags ?? []).some((t) => resourceTags.has(t)))
          .map(([m]) => `${m.toUpperCase()} ${path.replace('/api/v1', '').replace(/\{[^}]+\}/g, '{}')}`),
      );
    expect(mine.length).toBeGreaterThanOrEqual(cases.length - 6);
    expect(mine.filter((r) => !covered.has(r))).toEqual([]);
  });
});

// ---- issue 6 fixtures: an infrastructure repository with certified revisions, deployed environments, secrets ----
const certifiedByProject = new Map<string, Promise<{ repositoryId: string; revisions: string[] }>>();
function certifiedInfrastructure({ db, w }: Env): Promise<{ repositoryId: string; revisions: string[] }> {
  let found = certifiedByProject.get(w.projectId);
  if (!found) {
    found = (async () => {
      const [repo] = await db.insert(repositories).values({ projectId: w.projectId, name: 'infra-matrix', externalUrl: 'https://git.example/infra.git', kind: 'infrastructure' }).returning();
      const revisions = ['1'.repeat(40), '2'.repeat(40)];
      for (const sha of revisions) {
        const [run] = await db.insert(runs).values({ projectId: w.projectId, repositoryId: repo!.id, trigger: 'api', commitSha: sha, status: 'certified' }).returning();
        await db
          .insert(certifiedRevisions)
          .values({ projectId: w.projectId, repositoryId: repo!.id, commitSha: sha, runId: run!.id });
      }
      return { repositoryId: repo!.id, revisions };
    })();
    certifiedByProject.set(w.projectId, found);
  }
  return found;
}
/** A dev environment that ran `count` revisions (committed), as the reconcile leaves them. */
async function deployedEnvironment(env: Env, count: number): Promise<string> {
  const { repositoryId, revisions } = await certifiedInfrastructure(env);
  const target = await newEnvironment(env);
  for (let i = 0; i < count; i++) {
    await env.db.insert(deploymentRows).values({ projectId: env.w.projectId, environmentId: target.id, repositoryId, revision: revisions[i]!, action: 'deploy', status: 'committed', createdAt: new Date(Date.now() - (count - i) * 1000) });
  }
  return target.id;
}
async function newSecret({ db, w, n }: Env): Promise<string> {
  const name = `s-${n()}`;
  await db.insert(projectSecrets).values({ projectId: w.projectId, name, valuesSealed: 'v1.x.y.z', keys: ['token'] });
  return name;
}

async function newFlow({ db, w, n }: Env): Promise<string> {
  const [row] = await db.insert(networkFlows).values({ projectId: w.projectId, name: `f-${n()}`, direction: 'egress', peerCidr: '10.0.0.0/24', ports: [{ protocol: 'TCP', port: 5432 }] }).returning();
  return row!.id;
}

// ---- issue 17 fixtures: a catalogue chart published at 1.0.0 and 1.1.0 (packaged by helm), services on 1.0.0 ----
const catalogueByDb = new WeakMap<Db, ReturnType<typeof publishedChart>>();
async function publishedChart(db: Db) {
  const folder = `${testChartsDir}/backed-store`;
  const first = await storeChartVersion(db, await packageChart(folder));
  await storeChartVersion(db, await packageChart(folder, { version: '1.1.0' }));
  return first;
}
function catalogueOf(db: Db) {
  let published = catalogueByDb.get(db);
  if (!published) catalogueByDb.set(db, (published = publishedChart(db)));
  return published;
}
async function newServiceEnvironment({ db, w, n }: Env) {
  await catalogueOf(db);
  const [row] = await db.insert(environments).values({ projectId: w.projectId, name: `e-${n()}`, stageId: w.stageId, clusterId: w.clusterId, cpuMillicores: 2000, memoryMiB: 2048 }).returning();
  return row!;
}
async function newService(env: Env) {
  const { item, version, check } = await catalogueOf(env.db);
  const environment = await newServiceEnvironment(env);
  const [row] = await env.db
    .insert(environmentServices)
    .values({ projectId: env.w.projectId, environmentId: environment.id, itemId: item.id, versionId: version.id, name: `s-${env.n()}`, values: {}, verdict: check.verdict, findings: check.findings as never, manifests: check.manifests, images: check.images })
    .returning();
  return row!;
}
async function serviceUrl(env: Env): Promise<string> {
  const row = await newService(env);
  return `/api/v1/projects/${env.w.projectId}/environments/${row.environmentId}/services/${row.id}`;
}
