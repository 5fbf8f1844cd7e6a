// What an environment runs, as ArgoCD reports it, in the team's words. ArgoCD cannot run here, so a small server
// answers `GET /api/v1/applications/{name}` as ArgoCD's API does: each answer is the Application the GitOps writer
// committed for the environment's deployment, completed with what ArgoCD adds (metadata, status: sync, health,
// operationState, conditions, resources, history), and checked against the v1alpha1Application definitions of
// ArgoCD's published API (test/support/argocd-contract.ts). The deployment status keeps ArgoCD's codes and the
// English message it always gave, and says in French and English why the state is what it is: an error condition
// with ArgoCD's reason quoted, an application ArgoCD does not know, ArgoCD not answering; the console shows the same
// under ArgoCD's words, in the screen's language (Chromium on the built console, web/dist: `npm run build:web` first).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { certifiedRevisions, repositories, runs, stages } from '../src/db/schema.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { startArgocdStandIn, type ArgocdAnswer, type ArgocdStandIn } from './support/argocd-stand-in.ts';
import { chromiumMissing, launchChromium } from './support/browser.ts';
import { repoRoot } from './support/process.ts';

type Json = Record<string, unknown>;
type LocalisedText = { fr: string; en: string };
interface DeploymentStatus {
  summary: string;
  summaryText: LocalisedText;
  revision: string | null;
  argocd: {
    sync: string;
    health: string;
    revision: string | null;
    message: string | null;
    reason: string | null;
    detail: LocalisedText | null;
    statusText: LocalisedText;
  } | null;
}

const token = 'argocd-read-token';
const sha = 'd'.repeat(8) + '4'.repeat(32);

describeApiOnDatabases('deployment status: read back from ArgoCD, said in French and English', (ctx) => {
  let standIn: ArgocdStandIn;
  let url: string;
  let environmentsPage: string;
  let committed: Json;
  /** What ArgoCD answers next: an Application's status, or an error status and body. */
  let answer: ArgocdAnswer = { code: 403, body: {} };

  /** The committed Application as ArgoCD's API returns it, with the status ArgoCD computed. */
  function asArgocdReturnsIt(status: Json): Json {
    const spec = committed.spec as { source: Json; destination: Json; project: string };
    const sync = (status.sync as Json).status;
    return {
      metadata: { ...(committed.metadata as Json), uid: '0b7c2f4e-3d1a-4e8b-9c6f-2a5d8e1f7b3c', resourceVersion: '51877', generation: 4, creationTimestamp: '2026-12-06T09:40:11Z' },
      spec,
      status: {
        resources: [
          { version: 'v1', kind: 'Service', namespace: 'projet-a-recette', name: 'web', status: sync, health: { status: 'Healthy' } },
          { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'projet-a-recette', name: 'web', status: sync, health: { status: (status.health as Json).status } },
        ],
        reconciledAt: '2026-12-06T10:21:07Z',
        sourceType: 'Directory',
        controllerNamespace: 'argocd',
        history: [{ id: 1, revision: sha, deployedAt: '2026-12-06T09:41:30Z', deployStartedAt: '2026-12-06T09:41:22Z', source: spec.source, initiatedBy: { automated: true } }],
        ...status,
        sync: { comparedTo: { source: spec.source, destination: spec.destination }, ...(status.sync as Json) },
      },
    };
  }

  beforeAll(async () => {
    standIn = await startArgocdStandIn({ token, applicationName: () => (committed?.metadata as Json | undefined)?.name as string | undefined, answer: () => answer, application: asArgocdReturnsIt });

    // An environment running a revision the chain certified, committed to the GitOps repository.
    const db = ctx.system.services.db;
    const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    const environment = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'recette', stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 500, memoryMiB: 512 });
    expect(environment.status).toBe(201);
    const [repo] = await db.insert(repositories).values({ projectId: ctx.world.projectId, name: 'infra', externalUrl: 'https://203.0.113.10/team/infra.git', kind: 'infrastructure', deployPath: 'deploy' }).returning();
    const [run] = await db.insert(runs).values({ projectId: ctx.world.projectId, repositoryId: repo!.id, trigger: 'api', commitSha: sha, status: 'certified' }).returning();
    await db.insert(certifiedRevisions).values({ projectId: ctx.world.projectId, repositoryId: repo!.id, commitSha: sha, runId: run!.id });
    const base = `/api/v1/projects/${ctx.world.projectId}/environments/${environment.body.id}`;
    expect((await ctx.call('developer', 'POST', `${base}/deployments`, { revision: sha })).status).toBe(202);
    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);
    const gitDir = path.join(ctx.system.services.config.dataDir, 'git/_platform/gitops.git');
    const file = execFileSync('git', ['--git-dir', gitDir, 'show', 'main:clusters/default/internal/projects/projet-a/recette/application.yaml'], { encoding: 'utf8' });
    committed = parseAllDocuments(file).map((d) => d.toJS() as Json).find((o) => o.kind === 'Application')!;
    expect(committed).toMatchObject({ kind: 'Application', metadata: { name: 'projet-a-recette' }, spec: { source: { targetRevision: sha } } });
    url = `${base}/deployment-status`;
    ctx.system.services.config.gitops.argocd = { url: standIn.url, token };
    environmentsPage = `/projects/${ctx.world.projectId}/environments`;
  }, 120_000);
  afterAll(async () => {
    ctx.system.services.config.gitops.argocd = undefined;
    await standIn.close();
  });

  /** The deployment status as the team reads it, asked in French and in English. */
  async function seen(): Promise<DeploymentStatus> {
    const read = async (language: string) => {
      const response = await ctx.system.app.inject({ url, headers: { authorization: ctx.world.actors['read-only']!.authorization!, 'accept-language': language } });
      expect(response.statusCode).toBe(200);
      return JSON.parse(response.body) as DeploymentStatus & { observedAt: string };
    };
    const { observedAt: _fr, ...fr } = await read('fr-FR,fr;q=0.9');
    // Both languages get the same answer, both texts in it (read live at each request: only the time differs).
    const { observedAt: _en, ...en } = await read('en-GB,en;q=0.8');
    expect(en).toEqual(fr);
    expect(standIn.offContract).toEqual([]);
    return fr;
  }

  it('a revision ArgoCD synced and found healthy reads so, ArgoCD’s codes and the summary unchanged', async () => {
    answer = { status: { sync: { status: 'Synced', revision: sha }, health: { status: 'Healthy' }, operationState: { operation: { sync: { revision: sha } }, phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-12-06T09:41:22Z', finishedAt: '2026-12-06T09:41:30Z' } } };
    const status = await seen();
    expect(standIn.requests.at(-1)).toBe(`GET /api/v1/applications/projet-a-recette Bearer ${token}`);
    expect(status).toMatchObject({ summary: `Synced, Healthy at ${sha.slice(0, 12)}`, revision: sha, argocd: { sync: 'Synced', health: 'Healthy', revision: sha, message: null, reason: null, detail: null } });
    expect(status.argocd!.statusText).toEqual({ fr: 'Synchronisé, Sain', en: 'Synced, Healthy' });
    expect(status.summaryText).toEqual({ fr: `ArgoCD (révision ${sha.slice(0, 12)}) : Synchronisé, Sain`, en: `ArgoCD (revision ${sha.slice(0, 12)}): Synced, Healthy` });
  });

  it('when ArgoCD cannot read the deployment path, the status says so in French and English, with ArgoCD’s reason', async () => {
    const reason = `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = deploy: app path does not exist`;
    answer = {
      status: {
        sync: { status: 'Unknown', revision: sha },
        health: { status: 'Healthy' },
        conditions: [{ type: 'ComparisonError', message: reason, lastTransitionTime: '2026-12-06T10:21:07Z' }],
      },
    };
    const status = await seen();
    expect(status).toMatchObject({ summary: `Unknown, Healthy at ${sha.slice(0, 12)} (${reason})`, argocd: { sync: 'Unknown', health: 'Healthy', message: reason, reason } });
    expect(status.argocd!.detail).toEqual({ fr: 'ArgoCD ne peut pas lire ce qu’il doit déployer', en: 'ArgoCD cannot read what it must deploy' });
    expect(status.argocd!.statusText.fr).toBe(`Inconnu, Sain, ArgoCD ne peut pas lire ce qu’il doit déployer : ${reason}`);
    expect(status.argocd!.statusText.en).toBe(`Unknown, Healthy, ArgoCD cannot read what it must deploy: ${reason}`);
    expect(status.summaryText.fr).toBe(`ArgoCD (révision ${sha.slice(0, 12)}) : Inconnu, Sain, ArgoCD ne peut pas lire ce qu’il doit déployer : ${reason}`);
  });

  it('a failed sync says the last sync failed, quoting why', async () => {
    const reason = 'one or more objects failed to apply, reason: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value';
    answer = {
      status: {
        sync: { status: 'OutOfSync', revision: sha },
        health: { status: 'Degraded' },
        operationState: { operation: { sync: { revision: sha } }, phase: 'Failed', message: reason, retryCount: 5, startedAt: '2026-12-06T10:25:00Z', finishedAt: '2026-12-06T10:26:02Z' },
        conditions: [{ type: 'SyncError', message: `Failed sync attempt to ${sha}: one or more objects failed to apply (retried 5 times).`, lastTransitionTime: '2026-12-06T10:26:02Z' }],
      },
    };
    const status = await seen();
    expect(status.argocd).toMatchObject({ sync: 'OutOfSync', health: 'Degraded', reason });
    expect(status.argocd!.statusText).toEqual({ fr: `Désynchronisé, Dégradé, la dernière synchronisation a échoué : ${reason}`, en: `Out of sync, Degraded, the last sync failed: ${reason}` });
  });

  it('an application ArgoCD does not know yet is said so instead of « Inconnu, Inconnu »; the English note stays in message', async () => {
    answer = { code: 404, body: { error: 'applications.argoproj.io "projet-a-recette" not found', code: 5, message: 'applications.argoproj.io "projet-a-recette" not found' } };
    const status = await seen();
    expect(status.argocd).toMatchObject({ sync: 'Unknown', health: 'Unknown', reason: null, message: 'ArgoCD does not know the application "projet-a-recette" yet (not synced from the GitOps repository, or not visible to the token).' });
    expect(status.summary).toBe('Unknown, Unknown (ArgoCD does not know the application "projet-a-recette" yet (not synced from the GitOps repository, or not visible to the token).)');
    expect(status.argocd!.statusText).toEqual({ fr: 'ArgoCD ne connaît pas encore cette application (pas encore lue depuis le dépôt GitOps)', en: 'ArgoCD does not know this application yet (not read from the GitOps repository yet)' });
    expect(status.summaryText.fr).toBe('ArgoCD : ArgoCD ne connaît pas encore cette application (pas encore lue depuis le dépôt GitOps)');
  });

  it.skipIf(Boolean(chromiumMissing()) && !process.env.CI)('the console shows why under ArgoCD’s words, in French by default and in English on request', async () => {
    const reason = 'Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = deploy: app path does not exist';
    answer = { status: { sync: { status: 'Unknown', revision: sha }, health: { status: 'Healthy' }, conditions: [{ type: 'ComparisonError', message: reason, lastTransitionTime: '2026-12-06T10:21:07Z' }] } };
    const base = await ctx.system.listen();
    const chromium = await launchChromium();
    try {
      const read = async (lang: 'fr' | 'en') => {
        // Signed in as a member through a personal token: this page is about what ArgoCD says, not signing in.
        const context = await chromium.browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB', extraHTTPHeaders: { authorization: ctx.world.actors['read-only']!.authorization! } });
        await context.addInitScript((l) => localStorage.setItem('dso.locale', l), lang);
        const page = await context.newPage();
        await page.goto(`${base}${environmentsPage}`);
        await page.locator('#contenu table tr', { hasText: 'recette' }).locator('button[aria-pressed]').click();
        const words = await page.locator('[data-testid="argocd-status"]').innerText();
        const detail = page.locator('[data-testid="argocd-detail"]');
        const seenText = { words, detail: await detail.innerText(), quoted: await detail.locator('[lang="en"]').innerText() };
        await context.close();
        return seenText;
      };
      expect(await read('fr')).toEqual({ words: 'ArgoCD : Inconnu, Sain', detail: `ArgoCD ne peut pas lire ce qu’il doit déployer : ${reason}`, quoted: reason });
      expect(await read('en')).toEqual({ words: 'ArgoCD: Unknown, Healthy', detail: `ArgoCD cannot read what it must deploy: ${reason}`, quoted: reason });
    } finally {
      await chromium.close();
    }
  }, 120_000);

  it('when ArgoCD does not answer, the status says so in French and English', async () => {
    // A port where nothing listens: the connection is refused at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    ctx.system.services.config.gitops.argocd = { url: `http://127.0.0.1:${port}`, token };
    try {
      const status = await seen();
      expect(status.argocd).toMatchObject({ sync: 'Unknown', health: 'Unknown', reason: null, detail: { fr: 'ArgoCD ne répond pas : état inconnu pour l’instant', en: 'ArgoCD does not answer: state unknown for now' } });
      expect(status.argocd!.message).toMatch(/^ArgoCD did not answer/);
      expect(status.argocd!.statusText).toEqual({ fr: 'ArgoCD ne répond pas : état inconnu pour l’instant', en: 'ArgoCD does not answer: state unknown for now' });
    } finally {
      ctx.system.services.config.gitops.argocd = { url: standIn.url, token };
    }
  });
}, { DSO_WEB_DIR: path.join(repoRoot, 'web', 'dist') });
