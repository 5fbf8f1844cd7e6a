// The internal git endpoint: /git/{projectSlug}/{repositoryName}.git/* (smart HTTP through `git http-backend`).
// Members who may read the project's repositories clone and fetch with an API token (HTTP Basic, the token as
// password, or Bearer) or their session. Mirrors of external repositories are written by the platform only; a
// repository hosted by the platform (source `hosted`) takes pushes from members who may start runs, and each
// branch a push changes queues a run of the chain on its new commit.
// /git/_platform/gitops.git is readable by platform administrators (the GitOps repository).
// Mounted before the API's actor resolution: git clients send HTTP Basic credentials (token as password), which
// a first hook turns into the bearer form the API's actor resolution understands.
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { projects, repositories } from '../../db/schema.ts';
import { createGitHttpHandler, type GitAccessDecision } from '../../integrations/git/http-backend.ts';
import type { GitOperation } from '../../integrations/git/http-backend.ts';
import type { GitTarget } from '../../integrations/git/repository-path.ts';
import { gitRoot, mirrorPath } from '../../chain/paths.ts';
import { listHeads } from '../../integrations/git/mirror.ts';
import { auditRunStarted } from '../../audit/run-events.ts';
import { projectAccess } from '../authorize.ts';
import { adminAccess } from '../../domain/permissions.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

/** Basic (password = token) or Bearer, turned into the API's bearer form; cookies for browser sessions. */
function bearerOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const basic = /^Basic\s+([A-Za-z0-9+/=]{1,2000})\s*$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    return password ? `Bearer ${password}` : undefined;
  }
  return /^Bearer\s+\S+\s*$/i.test(authorization) ? authorization : undefined;
}

/** Call before the actor resolution hook is added: adds the Basic→Bearer hook, then the encapsulated routes. */
export async function mountGitEndpoint(app: App, services: Services): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/git/')) return;
    const bearer = bearerOf(request.headers.authorization);
    if (bearer) request.headers.authorization = bearer;
    else delete request.headers.authorization;
  });
  await app.register(async (scope) => gitRoutes(scope as App, services));
}

export default async function gitRoutes(app: App, services: Services): Promise<void> {
  const handler = createGitHttpHandler({ root: gitRoot(services.config.dataDir), realm: 'DSO', ...(services.gitReplication ? { replication: services.gitReplication } : {}) });
  const runtime = services.chain;
  /** Hosted repository being pushed to, per request: its heads before the push tell which branches moved. */
  const pushes = new WeakMap<
    FastifyRequest,
    { projectId: string; repositoryId: string; dir: string; before: Record<string, string>; who: string }
  >();

  async function decide(
    request: FastifyRequest,
    target: GitTarget,
    operation: GitOperation,
  ): Promise<GitAccessDecision> {
    const actor = request.actor;
    if (actor.kind === 'anonymous') return { allowed: false, reason: 'unauthenticated' };
    const who = actor.kind === 'bootstrap-admin' ? 'bootstrap-admin' : actor.userId;
    if (target.kind === 'gitops') {
      if (operation === 'read' && adminAccess(actor) === 'write') return { allowed: true, user: who };
      return { allowed: false, reason: adminAccess(actor) === 'write' ? 'forbidden' : 'not-found' };
    }
    const [row] = await services.db
      .select({ projectId: projects.id, repositoryId: repositories.id, source: repositories.source })
      .from(repositories)
      .innerJoin(projects, eq(projects.id, repositories.projectId))
      .where(and(eq(projects.slug, target.projectSlug), eq(repositories.name, target.repositoryName)))
      .limit(1);
    if (!row) return { allowed: false, reason: 'not-found' };
    try {
      const access = await projectAccess(services.db, actor, row.projectId, 'repository');
      if (!access.permissions.has('repositories.read')) return { allowed: false, reason: 'forbidden' };
    } catch {
      return { allowed: false, reason: 'not-found' };
    }
    if (operation === 'write') {
      if (row.source !== 'hosted') return { allowed: false, reason: 'forbidden' };
      try {
        const access = await projectAccess(services.db, actor, row.projectId, 'repository');
        if (!access.permissions.has('runs.start')) return { allowed: false, reason: 'forbidden' };
      } catch {
        return { allowed: false, reason: 'forbidden' };
      }
      if (target.kind === 'repository' && !pushes.has(request)) {
        const dir = mirrorPath(services.config.dataDir, target.projectSlug, target.repositoryName);
        pushes.set(request, {
          projectId: row.projectId,
          repositoryId: row.repositoryId,
          dir,
          before: await listHeads(dir).catch(() => ({})),
          who,
        });
      }
    }
    return { allowed: true, user: who };
  }

  /** After a push to a hosted repository: one run per branch that moved (at most a few; deletions start none). */
  async function runPushedBranches(request: FastifyRequest): Promise<void> {
    const push = pushes.get(request);
    if (!push) return;
    pushes.delete(request);
    const after = await listHeads(push.dir);
    const moved = Object.entries(after).filter(([branch, sha]) => push.before[branch] !== sha).slice(0, 5);
    for (const [branch, sha] of moved) {
      const run = await runtime.trigger({ projectId: push.projectId, repositoryId: push.repositoryId, trigger: 'manual', ref: `refs/heads/${branch}`, revision: sha, requestedBy: push.who });
      await auditRunStarted(services.db, request.actor, request.id, { ...run, revision: sha });
    }
  }

  // The request body is git's pack stream: leave it unread for http-backend.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const serve = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply.hijack();
    await handler(request.raw, reply.raw, (_req, target, operation) => decide(request, target, operation));
    if (request.url.includes('/git-receive-pack')) await runPushedBranches(request).catch((error: unknown) => request.log.warn({ err: error }, 'could not queue runs after a push'));
  };
  app.get('/git/*', { schema: { hide: true } }, serve);
  app.post('/git/*', { schema: { hide: true } }, serve);
}
