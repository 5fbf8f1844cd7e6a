// End to end through the API: environments and deployments become commits of the GitOps repository, cloned with
// the git CLI over HTTP from the running server as a platform administrator. Certified revisions are inserted as
// the chain would leave them (runs + certified_revisions); the homologation gate is the real one.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { certifiedRevisions, deployments, environments, projects, repositories, runs, stages, zones } from '../src/db/schema.ts';
import { validateObjects } from '../src/integrations/gitops/index.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { runChecks } from '../src/checks/engine.ts';
import { secretsChecker } from '../src/checks/secrets/checker.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { run as deployCommand, runDeployment } from '../src/cli/deploy.ts';
import { run as secretsCommand } from '../src/cli/secrets.ts';
import { asActor, runCommand, type CliCommand } from './support/cli.ts';
import { testAdminToken } from './support/server.ts';

const shaA = 'a'.repeat(8) + '1'.repeat(32);
const shaB = 'b'.repeat(8) + '2'.repeat(32);
const uncertified = 'c'.repeat(40);
// Looks like a real credential to the secrets scanner: it must never reach the repository.
const secretValue = 'ghp_' + 'Zq8Lm2Xv7Np4Rt6Wy1Bc3Df5Gh9Jk0Ls2Qa4S';

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === '.git') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

describeApiOnDatabases('deployments through GitOps', (ctx) => {
  let base: string;
  let work: string;
  const envIds: Record<string, string> = {};
  // Asynchronous: the server answering the clone runs in this very process.
  const clone = async (name: string) => {
    const admin = ctx.world.actors['platform-admin']!.authorization!.replace(/^Bearer /, '');
    const dir = join(work, name);
    const url = `${base.replace('http://', `http://admin:${admin}@`)}/git/_platform/gitops.git`;
    await promisify(execFile)('git', ['clone', '--quiet', url, dir], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, timeout: 60_000 });
    return dir;
  };
  const head = () => execFileSync('git', ['--git-dir', join(ctx.system.services.config.dataDir, 'git/_platform/gitops.git'), 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
  const reconcile = async (projectId = ctx.world.projectId) =>
    reconcileProject(ctx.system.services, ctx.system.reconcileSteps, projectId);
  const projectFolder = 'clusters/default/internal/projects/projet-a';

  beforeAll(async () => {
    base = await ctx.system.listen();
    work = mkdtempSync(join(tmpdir(), 'dso-gitops-e2e-'));
    const db = ctx.system.services.db;
    for (const slug of ['dev', 'staging', 'prod']) {
      const [stage] = await db.select().from(stages).where(eq(stages.slug, slug));
      const response = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: slug, stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 500, memoryMiB: 512 });
      expect(response.status).toBe(201);
      envIds[slug] = response.body.id;
    }
    // The infrastructure repository and two revisions the chain certified.
    const [repo] = await db.insert(repositories).values({ projectId: ctx.world.projectId, name: 'infra', externalUrl: 'https://203.0.113.10/team/infra.git', kind: 'infrastructure', deployPath: 'deploy' }).returning();
    for (const sha of [shaA, shaB]) {
      const [run] = await db.insert(runs).values({ projectId: ctx.world.projectId, repositoryId: repo!.id, trigger: 'api', commitSha: sha, status: 'certified' }).returning();
      await db
        .insert(certifiedRevisions)
        .values({ projectId: ctx.world.projectId, repositoryId: repo!.id, commitSha: sha, runId: run!.id });
    }
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('commits every environment as valid manifests; a second reconcile makes no commit', async () => {
    expect(await reconcile()).toEqual({ result: 'ready' });
    const first = head();
    const dir = await clone('first');
    const all = files(dir);
    expect(all).toContain('clusters/default/internal/root.yaml');
    expect(all).toContain(`${projectFolder}/appproject.yaml`);
    for (const env of ['dev', 'staging', 'prod']) {
      for (const file of ['namespace.yaml', 'resourcequota.yaml', 'limitrange.yaml', 'networkpolicies.yaml', 'rolebindings.yaml']) expect(all).toContain(`${projectFolder}/${env}/${file}`);
      // Nothing deployed yet: no Application.
      expect(all).not.toContain(`${projectFolder}/${env}/application.yaml`);
    }
    for (const file of all.filter((f) => f.endsWith('.yaml'))) {
      const objects = parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS());
      expect(validateObjects(objects, file), file).toEqual([]);
    }
    const bindings = readFileSync(join(dir, projectFolder, 'dev/rolebindings.yaml'), 'utf8');
    expect(bindings).toContain('dso-projet-a-developer');
    const log = execFileSync('git', ['-C', dir, 'log', '--format=%an|%s'], { encoding: 'utf8' }).trim().split('\n');
    expect(log[0]).toMatch(/^DSO π\|/);

    const [row] = await ctx.system.services.db.select().from(environments).where(eq(environments.id, envIds.dev!));
    expect(row!.status).toBe('ready');

    expect(await reconcile()).toEqual({ result: 'ready' });
    expect(head()).toBe(first);
  });

  it('pushes each commit to an external GitOps repository when one is configured', async () => {
    const external = join(work, 'external.git');
    execFileSync('git', ['init', '--quiet', '--bare', '-b', 'main', external]);
    const gitops = ctx.system.services.config.gitops;
    gitops.remote = { url: `file://${external}`, token: undefined };
    try {
      expect((await ctx.call('owner', 'PATCH', `/api/v1/environments/${envIds.dev}`, { cpuMillicores: 600 })).status).toBe(202);
      expect(await reconcile()).toEqual({ result: 'ready' });
      expect(execFileSync('git', ['--git-dir', external, 'rev-parse', 'main'], { encoding: 'utf8' }).trim()).toBe(head());
    } finally {
      gitops.remote = undefined;
    }
  });

  it('refuses an uncertified revision with a clear 422, deploys a certified one at its exact commit', async () => {
    const url = `/api/v1/projects/${ctx.world.projectId}/environments/${envIds.dev}/deployments`;
    const refused = await ctx.call('developer', 'POST', url, { revision: uncertified });
    expect(refused.status).toBe(422);
    expect(refused.body.reason).toBe('revision-not-certified');
    expect(refused.body.detail).toMatch(/n’est pas certifiée/);

    const accepted = await ctx.call('developer', 'POST', url, { revision: shaA.slice(0, 12) });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'pending', revision: shaA, action: 'deploy' });

    await reconcile();
    const dir = await clone('deployed');
    const application = readFileSync(join(dir, projectFolder, 'dev/application.yaml'), 'utf8');
    expect(application).toContain(`targetRevision: ${shaA}`);
    expect(application).toContain('/git/projet-a/infra.git');
    const history = await ctx.call('read-only', 'GET', url);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ status: 'committed', gitopsCommit: head() });
    const status = await ctx.call('read-only', 'GET', `/api/v1/projects/${ctx.world.projectId}/environments/${envIds.dev}/deployment-status`);
    expect(status.body.summary).toBe(`committed at ${head()}`);
  });

  it('promotes the same revision forward; production needs the permission and passes the homologation gate', async () => {
    const promote = (env: string, from: string, actor = 'devops') => ctx.call(actor, 'POST', `/api/v1/projects/${ctx.world.projectId}/environments/${envIds[env]}/deployments/promote`, { from: envIds[from] });
    const staging = await promote('staging', 'dev');
    expect(staging.status).toBe(202);
    expect(staging.body.revision).toBe(shaA);
    expect((await promote('dev', 'staging')).body.reason).toBe('promotion-backwards');
    await reconcile();

    expect((await promote('prod', 'staging', 'developer')).status).toBe(403);
    // The seeded zone enforces the gate, and this project has met none of its P requirements.
    const blocked = await promote('prod', 'staging');
    expect(blocked.status).toBe(422);
    expect(blocked.body.reason).toBe('homologation-gate-blocked');
    expect(blocked.body.unmet.length).toBeGreaterThan(0);

    // In audit mode the deployment goes through and the warning is kept with it.
    await ctx.system.services.db.update(zones).set({ gateMode: 'audit' }).where(eq(zones.id, ctx.world.zoneId));
    try {
      const warned = await promote('prod', 'staging');
      expect(warned.status).toBe(202);
      expect(warned.body.gate).toMatchObject({ outcome: 'allowed-with-warnings', mode: 'audit' });
    } finally {
      await ctx.system.services.db.update(zones).set({ gateMode: 'enforce' }).where(eq(zones.id, ctx.world.zoneId));
    }
    await reconcile();
    const dir = await clone('promoted');
    const production = readFileSync(join(dir, projectFolder, 'prod/application.yaml'), 'utf8');
    expect(production).toContain(`targetRevision: ${shaA}`);
    // No automated sync in production: a person starts it.
    expect(production).not.toContain('selfHeal');
  });

  it('rolls back to the previous revision the environment ran', async () => {
    const url = `/api/v1/projects/${ctx.world.projectId}/environments/${envIds.dev}/deployments`;
    expect((await ctx.call('developer', 'POST', url, { revision: shaB })).status).toBe(202);
    await reconcile();
    const rollback = await ctx.call('developer', 'POST', `${url}/rollback`, {});
    expect(rollback.status).toBe(202);
    expect(rollback.body).toMatchObject({ action: 'rollback', revision: shaA });
    await reconcile();
    expect(readFileSync(join(await clone('rolled-back'), projectFolder, 'dev/application.yaml'), 'utf8')).toContain(`targetRevision: ${shaA}`);
  });

  it('reads sync and health back from ArgoCD when it is configured', async () => {
    const seen: string[] = [];
    const argocd = createServer((request, response) => {
      seen.push(`${request.url} ${request.headers.authorization}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ metadata: { name: 'projet-a-dev' }, status: { sync: { status: 'Synced', revision: shaA }, health: { status: 'Progressing' } } }));
    });
    await new Promise<void>((resolve) => argocd.listen(0, '127.0.0.1', resolve));
    const gitops = ctx.system.services.config.gitops;
    gitops.argocd = { url: `http://127.0.0.1:${(argocd.address() as AddressInfo).port}`, token: 'argo-token' };
    try {
      const status = await ctx.call('read-only', 'GET', `/api/v1/projects/${ctx.world.projectId}/environments/${envIds.dev}/deployment-status`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ summary: `Synced, Progressing at ${shaA.slice(0, 12)}`, argocd: { sync: 'Synced', health: 'Progressing', revision: shaA } });
      expect(seen).toEqual(['/api/v1/applications/projet-a-dev Bearer argo-token']);
    } finally {
      gitops.argocd = undefined;
      await new Promise<void>((resolve) => argocd.close(() => resolve()));
    }
  });

  it('keeps secret values out of the repository and out of every answer', async () => {
    const url = `/api/v1/projects/${ctx.world.projectId}/secrets/database`;
    const put = await ctx.call('devops', 'PUT' as 'POST', url, { values: { password: secretValue, user: 'app' } });
    expect(put.status).toBe(201);
    expect(JSON.stringify(put.body)).not.toContain(secretValue);
    const got = await ctx.call('read-only', 'GET', url);
    expect(got.body).toMatchObject({ name: 'database', keys: ['password', 'user'], version: 1 });
    expect(JSON.stringify(got.body)).not.toContain(secretValue);
    expect((await ctx.call('developer', 'PUT' as 'POST', url, { values: { password: 'x' } })).status).toBe(403);

    await reconcile();
    const dir = await clone('secrets');
    const externalSecrets = readFileSync(join(dir, projectFolder, 'dev/externalsecrets.yaml'), 'utf8');
    expect(externalSecrets).toContain('kind: ExternalSecret');
    expect(externalSecrets).toContain('property: password');
    for (const file of files(dir)) expect(readFileSync(join(dir, file), 'utf8')).not.toContain(secretValue);
    const report = await runChecks({ root: dir, options: { checkers: [secretsChecker], workers: 0 } });
    expect(report.findings).toEqual([]);
  });

  it('dso deploy | promote | rollback | secrets speak to the same API', async () => {
    const dso = (command: CliCommand, args: string[], actor = 'devops', input: Record<string, string> = {}) =>
      runCommand(command, args, asActor(base, ctx.world.actors[actor]!.authorization!, { DSO_LANG: 'en', ...input }));
    const refused = await dso(deployCommand, ['--project', 'projet-a', '--env', 'dev', '--revision', uncertified]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is not certified');
    const deployed = await dso(deployCommand, ['--project', 'projet-a', '--env', 'dev', '--revision', shaB, '--json']);
    expect(deployed.code).toBe(0);
    expect(JSON.parse(deployed.out)).toMatchObject({ revision: shaB, status: 'pending' });
    const promoted = await dso(runDeployment('promote'), ['--project', 'projet-a', '--from', 'dev', '--to', 'staging']);
    expect(promoted.out).toContain(`Deployment of ${shaB.slice(0, 12)} to "staging" requested`);
    const rolledBack = await dso(runDeployment('rollback'), ['--project', 'projet-a', '--env', 'dev', '--json']);
    expect(JSON.parse(rolledBack.out)).toMatchObject({ action: 'rollback', revision: shaA });

    const set = await dso(secretsCommand, ['set', '--project', 'projet-a', 'api-key', 'KEY=value-from-cli']);
    expect(set.code).toBe(0);
    const shown = await dso(secretsCommand, ['show', '--project', 'projet-a', 'api-key', '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ name: 'api-key', keys: ['KEY'] });
    expect(shown.out).not.toContain('value-from-cli');
    const badKey = await dso(secretsCommand, ['rotate-key', '--old-key', 'short', '--new-key', 'short']);
    expect(badKey.code).toBe(2);
    expect(badKey.err).toContain('32-byte');
  });

  it('shows an invalid render on the environment (Failed, reason, message) and commits nothing of it', async () => {
    const db = ctx.system.services.db;
    // 40 + 1 + 30 characters: the namespace would exceed Kubernetes' 63.
    const longProject = 'p'.repeat(40);
    const [owner] = [ctx.world.actors.owner!];
    const [project] = await db.insert(projects).values({ slug: longProject, name: 'long', ownerId: owner.userId! }).returning();
    const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    const [env] = await db.insert(environments).values({ projectId: project!.id, name: 'e'.repeat(30), stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 100, memoryMiB: 128 }).returning();
    // A deployment waiting for that render fails with it.
    const [repo] = await db.insert(repositories).values({ projectId: project!.id, name: 'infra', source: 'hosted', kind: 'infrastructure' }).returning();
    await db.insert(deployments).values({ projectId: project!.id, environmentId: env!.id, repositoryId: repo!.id, revision: 'a'.repeat(40), action: 'deploy' });
    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, project!.id);
    const [row] = await db.select().from(environments).where(eq(environments.id, env!.id));
    expect(row!.status).toBe('failed');
    expect(row!.conditions).toContainEqual(expect.objectContaining({ type: 'Failed', status: 'True', reason: 'RenderFailed', code: 'render.refused', message: expect.stringContaining('63') }));
    // Said in the reader's language: French by default, English on request, on the environment and the deployment.
    const read = async (url: string, language: string) =>
      (await ctx.system.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${testAdminToken}`, 'accept-language': language } })).json();
    const french = (await read(`/api/v1/environments/${env!.id}`, 'fr')).conditions.find((c: { type: string }) => c.type === 'Failed');
    expect(french.message).toMatch(/^Le namespace « .* » dépasse 63 caractères/);
    expect((await read(`/api/v1/environments/${env!.id}`, 'en')).conditions.find((c: { type: string }) => c.type === 'Failed').message).toMatch(/^Namespace ".*" is longer than 63 characters/);
    const [deployment] = (await read(`/api/v1/projects/${project!.id}/environments/${env!.id}/deployments`, 'fr')).items;
    expect(deployment).toMatchObject({ status: 'failed', message: expect.stringMatching(/^Namespace /), note: { code: 'render.refused', text: { fr: expect.stringMatching(/^Le namespace /), en: expect.stringMatching(/^Namespace /) } } });
    // The AppProject is written (it names the environment's namespace); the environment's own folder is not.
    expect(files(await clone('invalid')).filter((f) => f.includes(`${longProject}/${'e'.repeat(30)}/`))).toEqual([]);
  });

  it('removes the folder of a deleted environment, then of a project deleted for good', async () => {
    expect((await ctx.call('owner', 'DELETE', `/api/v1/environments/${envIds.staging}`)).status).toBe(204);
    await reconcile();
    let all = files(await clone('env-deleted'));
    expect(all.some((f) => f.startsWith(`${projectFolder}/staging/`))).toBe(false);
    expect(all).toContain(`${projectFolder}/dev/namespace.yaml`);

    expect((await ctx.call('owner', 'DELETE', `/api/v1/projects/${ctx.world.projectId}`)).status).toBe(202);
    expect((await ctx.call('platform-admin', 'DELETE', `/api/v1/projects/${ctx.world.projectId}?permanent=true`)).status).toBe(204);
    expect(await reconcile()).toEqual({ result: 'gone' });
    all = files(await clone('project-deleted'));
    expect(all.some((f) => f.startsWith(projectFolder))).toBe(false);
    expect(all).toContain('clusters/default/internal/root.yaml');
  });
});
