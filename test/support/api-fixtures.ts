// People, projects and tokens for API tests, written straight into the database (fast, no login flow):
// every actor of the authorization matrix, each with a bearer token.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { accessTokens, clusters, members, projects, stages, usagePolicies, usagePolicyAcceptances, users, zones } from '../../src/db/schema.ts';
import { seedReferenceData } from '../../src/db/seed.ts';
import { generateToken } from '../../src/api/auth/tokens.ts';
import type { AdminRole } from '../../src/domain/permissions.ts';
import { beforeAll, describe } from 'vitest';
import { postgresAvailable, type DatabaseKind } from './db.ts';
import { testAdminToken, withTestSystem, type TestSystem } from './server.ts';

export interface TestActor {
  name: string;
  userId: string | null;
  /** Authorization header value, or undefined for anonymous. */
  authorization: string | undefined;
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000);

export async function acceptCurrentPolicy(db: Db, userId: string): Promise<void> {
  const [policy] = await db.select().from(usagePolicies).orderBy(desc(usagePolicies.version)).limit(1);
  if (policy) await db.insert(usagePolicyAcceptances).values({ userId, policyId: policy.id }).onConflictDoNothing();
}

export async function createPerson(
  db: Db,
  name: string,
  options: { adminRoles?: AdminRole[]; acceptPolicy?: boolean } = {},
): Promise<TestActor> {
  const [user] = await db
    .insert(users)
    .values({
      kind: 'human',
      subject: `test|${name}|${Math.random()}`,
      email: `${name}@example.gouv.fr`,
      displayName: name,
      adminRoles: options.adminRoles ?? [],
    })
    .returning();
  if (!user) throw new Error('no user');
  const t = generateToken('pat');
  await db
    .insert(accessTokens)
    .values({ userId: user.id, name: 'test', tokenHash: t.hash, prefix: t.prefix, expiresAt: inAYear() });
  if (options.acceptPolicy !== false) await acceptCurrentPolicy(db, user.id);
  return { name, userId: user.id, authorization: `Bearer ${t.token}` };
}

export async function createServiceAccount(db: Db, name: string, projectId: string, role: string): Promise<TestActor> {
  const [user] = await db.insert(users).values({ kind: 'service-account', displayName: name, projectId, projectRole: role }).returning();
  if (!user) throw new Error('no user');
  const t = generateToken('sa');
  await db
    .insert(accessTokens)
    .values({ userId: user.id, name, tokenHash: t.hash, prefix: t.prefix, projectId, role, expiresAt: inAYear() });
  return { name, userId: user.id, authorization: `Bearer ${t.token}` };
}

export async function createProject(
  db: Db,
  slug: string,
  ownerId: string,
  extra: Partial<typeof projects.$inferInsert> = {},
) {
  const [project] = await db
    .insert(projects)
    .values({ slug, name: slug, ownerId, ...extra })
    .returning();
  if (!project) throw new Error('no project');
  await db.insert(members).values({ projectId: project.id, userId: ownerId, role: 'owner' });
  return project;
}

export const projectRoleNames = ['owner', 'devops', 'developer', 'security', 'read-only'] as const;

export interface World {
  projectId: string;
  otherProjectId: string;
  stageId: string;
  clusterId: string;
  zoneId: string;
  actors: Record<string, TestActor>;
}

/** Reference data, project A (one member per role, a service account) and project B (its own owner and service
 * account). */
export async function seedWorld(db: Db): Promise<World> {
  await seedReferenceData(db);
  const actors: Record<string, TestActor> = {};
  actors.anonymous = { name: 'anonymous', userId: null, authorization: undefined };
  for (const role of projectRoleNames) actors[role] = await createPerson(db, role);
  actors['other-project-member'] = await createPerson(db, 'outsider');
  const project = await createProject(db, 'projet-a', actors.owner!.userId!);
  const other = await createProject(db, 'projet-b', actors['other-project-member']!.userId!);
  for (const role of projectRoleNames.filter((r) => r !== 'owner')) await db.insert(members).values({ projectId: project.id, userId: actors[role]!.userId!, role });
  actors['service-account'] = await createServiceAccount(db, 'ci', project.id, 'devops');
  actors['other-service-account'] = await createServiceAccount(db, 'ci-b', other.id, 'devops');
  actors['platform-admin'] = await createPerson(db, 'admin', { adminRoles: ['platform-admin'] });
  actors['security-officer'] = await createPerson(db, 'rssi', { adminRoles: ['security-officer'] });
  actors['admin-read-only'] = await createPerson(db, 'auditor', { adminRoles: ['admin-read-only'] });
  actors['bootstrap-admin'] = { name: 'bootstrap-admin', userId: null, authorization: `Bearer ${testAdminToken}` };
  const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
  const [cluster] = await db.select().from(clusters).where(eq(clusters.slug, 'internal'));
  const [zone] = await db.select().from(zones).where(eq(zones.slug, 'default'));
  return {
    projectId: project.id,
    otherProjectId: other.id,
    stageId: stage!.id,
    clusterId: cluster!.id,
    zoneId: zone!.id,
    actors,
  };
}

/** One test system per database (PGlite always, PostgreSQL when TEST_DATABASE_URL is set), seeded with the world. */
/** `config` adds configuration, e.g. DSO_WEB_DIR for a test that opens the console in a browser. */
export function describeApiOnDatabases(name: string, fn: (ctx: ApiContext) => void, config: Record<string, string> = {}): void {
  const kinds: DatabaseKind[] = postgresAvailable() ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    describe(`${name} [${kind}]`, () => {
      // No background reconcilers: these tests assert the API's answers, not convergence (and run faster).
      const t = withTestSystem(kind, { DSO_WORKERS: 'false', ...config });
      let world: World | undefined;
      beforeAll(async () => {
        world = await seedWorld(t.system.services.db);
      });
      const ctx: ApiContext = {
        kind,
        get system() {
          return t.system;
        },
        get world() {
          if (!world) throw new Error('world not seeded yet');
          return world;
        },
        async call(actor, method, url, payload) {
          const a = typeof actor === 'string' ? ctx.world.actors[actor] : actor;
          if (!a) throw new Error(`unknown actor ${String(actor)}`);
          return callApi(t.system.app, a, method, url, payload);
        },
      };
      fn(ctx);
    });
  }
}

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiAnswer {
  status: number;
  /** The parsed JSON, the text when it is not JSON (a run's log), undefined when there is none. */
  body: any;
  headers: Record<string, unknown>;
}

/** The API in-process (app.inject) as `actor`: its bearer token, none when the actor is anonymous. */
export async function callApi(
  app: TestSystem['app'],
  actor: TestActor | undefined,
  method: ApiMethod,
  url: string,
  payload?: unknown,
): Promise<ApiAnswer> {
  const response = await app.inject({
    method,
    url,
    headers: actor?.authorization ? { authorization: actor.authorization } : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  let body: any;
  try {
    body = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    body = response.body;
  }
  return { status: response.statusCode, body, headers: response.headers };
}

export interface ApiContext {
  kind: DatabaseKind;
  readonly system: TestSystem;
  readonly world: World;
  call(actor: string | TestActor, method: ApiMethod, url: string, payload?: unknown): Promise<ApiAnswer>;
}
