// The status of a catalogue service as ArgoCD reports it, in the team's words. ArgoCD cannot run here, so a small
// server answers `GET /api/v1/applications/{name}` as ArgoCD's API does: each answer is the Application the GitOps
// writer committed for the service, completed with what ArgoCD adds (metadata, status: sync, health, operationState,
// conditions, resources, history), and checked against the v1alpha1Application definitions of ArgoCD's published
// API (test/data/argocd/application-swagger.json, from argoproj/argo-cd assets/swagger.json), with no field those
// definitions lack. The service's API answer keeps ArgoCD's codes and message, and says what they mean in French
// and English (the console shows the same words, and the detail below them).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stages } from '../src/db/schema.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { packageChart, storeChartVersion, testChartsDir } from './support/catalogue.ts';
import { applicationContract } from './support/argocd-contract.ts';
import { startArgocdStandIn, type ArgocdAnswer, type ArgocdStandIn } from './support/argocd-stand-in.ts';

type Json = Record<string, unknown>;

const token = 'argocd-read-token';

describeApiOnDatabases('services: status read back from ArgoCD', (ctx) => {
  const contract = applicationContract();
  let standIn: ArgocdStandIn;
  let url: string;
  let committed: Json;
  let commit: string;
  /** What ArgoCD answers next: an Application's status, or an error status and body. */
  let answer: ArgocdAnswer = { code: 403, body: {} };

  /** The committed Application as ArgoCD's API returns it, with the status ArgoCD computed. */
  function asArgocdReturnsIt(status: Json): Json {
    const metadata = committed.metadata as Json;
    const spec = committed.spec as { source: Json; destination: Json; project: string };
    return {
      metadata: { ...metadata, uid: '5f0e6a0e-8c1d-4b6a-9a7e-3f2b1c0d9e8f', resourceVersion: '48213', generation: 7, creationTimestamp: '2026-12-06T09:12:03Z' },
      spec,
      status: {
        resources: [
          { version: 'v1', kind: 'Service', namespace: 'projet-a-integration', name: 'store', status: (status.sync as Json).status, health: { status: 'Healthy' } },
          { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'projet-a-integration', name: 'store', status: (status.sync as Json).status, health: { status: (status.health as Json).status, ...((status.health as Json).message ? { message: (status.health as Json).message } : {}) } },
        ],
        reconciledAt: '2026-12-06T10:02:41Z',
        sourceType: 'Helm',
        summary: { images: ['docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine'] },
        controllerNamespace: 'argocd',
        history: [{ id: 3, revision: '1.0.0', deployedAt: '2026-12-06T09:14:10Z', deployStartedAt: '2026-12-06T09:14:02Z', source: spec.source, initiatedBy: { automated: true } }],
        ...status,
        sync: { comparedTo: { source: spec.source, destination: spec.destination }, ...(status.sync as Json) },
      },
    };
  }

  beforeAll(async () => {
    standIn = await startArgocdStandIn({ token, applicationName: () => (committed?.metadata as Json | undefined)?.name as string | undefined, answer: () => answer, application: asArgocdReturnsIt });

    const db = ctx.system.services.db;
    await storeChartVersion(db, await packageChart(path.join(testChartsDir, 'backed-store')));
    const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    const environment = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'integration', stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 1000, memoryMiB: 1024 });
    url = `/api/v1/projects/${ctx.world.projectId}/environments/${environment.body.id}/services`;
    const added = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { replicas: 1, backup: { destinationPath: 's3://platform-backups/projet-a/store' } } });
    expect(added.status).toBe(201);
    url = `${url}/${added.body.id}`;
    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);
    const gitDir = path.join(ctx.system.services.config.dataDir, 'git/_platform/gitops.git');
    commit = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
    committed = parse(execFileSync('git', ['--git-dir', gitDir, 'show', 'main:clusters/default/internal/projects/projet-a/integration/service-store.yaml'], { encoding: 'utf8' })) as Json;
    expect(committed).toMatchObject({ kind: 'Application', metadata: { name: 'projet-a-integration-store' } });
    ctx.system.services.config.gitops.argocd = { url: standIn.url, token };
  }, 120_000);
  afterAll(async () => {
    ctx.system.services.config.gitops.argocd = undefined;
    await standIn.close();
  });

  /** The service as the team reads it, in French and in English. */
  async function seen() {
    const read = async (language: 'fr' | 'en') => {
      const response = await ctx.system.app.inject({ url, headers: { authorization: ctx.world.actors.developer!.authorization!, 'accept-language': language } });
      expect(response.statusCode).toBe(200);
      return JSON.parse(response.body) as { status: string; gitopsCommit: string; argocd: { application: string; sync: string; health: string; message: string | null; detail: { fr: string; en: string } | null; statusText: { fr: string; en: string }; observedAt: string | null } };
    };
    const fr = await read('fr');
    // Both languages get the same state (read live at each request, so only the time of the read differs).
    expect({ ...(await read('en')).argocd, observedAt: null }).toEqual({ ...fr.argocd, observedAt: null });
    expect(standIn.offContract).toEqual([]);
    return fr;
  }

  it('a service ArgoCD synced and found healthy is up to date and healthy', async () => {
    answer = {
      status: {
        sync: { status: 'Synced', revision: '1.0.0' },
        health: { status: 'Healthy', lastTransitionTime: '2026-12-06T09:15:40Z' },
        operationState: {
          operation: { sync: { revision: '1.0.0', syncStrategy: { hook: {} } }, initiatedBy: { automated: true }, retry: { limit: 5 } },
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          syncResult: { revision: '1.0.0', resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'projet-a-integration', name: 'store', status: 'Synced', message: 'deployment.apps/store created', hookPhase: 'Running', syncPhase: 'Sync' }] },
          startedAt: '2026-12-06T09:14:02Z',
          finishedAt: '2026-12-06T09:14:10Z',
        },
      },
    };
    const service = await seen();
    expect(standIn.requests.at(-1)).toBe(`GET /api/v1/applications/projet-a-integration-store Bearer ${token}`);
    expect(service).toMatchObject({ status: 'ready', gitopsCommit: commit, argocd: { application: 'projet-a-integration-store', sync: 'Synced', health: 'Healthy', message: null, detail: null } });
    expect(service.argocd.statusText).toEqual({ fr: 'Synchronisé, Sain', en: 'Synced, Healthy' });
  });

  it('while ArgoCD applies a change, the service is said to be starting with a sync in progress', async () => {
    answer = {
      status: {
        sync: { status: 'OutOfSync', revision: '1.0.0' },
        health: { status: 'Progressing', message: 'Waiting for rollout to finish: 0 of 1 updated replicas are available...' },
        operationState: { operation: { sync: { revision: '1.0.0' }, initiatedBy: { automated: true } }, phase: 'Running', message: 'waiting for healthy state of apps/Deployment/store', startedAt: '2026-12-06T10:02:30Z' },
      },
    };
    const service = await seen();
    expect(service.argocd).toMatchObject({ sync: 'OutOfSync', health: 'Progressing', message: 'Waiting for rollout to finish: 0 of 1 updated replicas are available...' });
    expect(service.argocd.detail).toEqual({ fr: 'synchronisation en cours', en: 'sync in progress' });
    expect(service.argocd.statusText.fr).toBe('Désynchronisé, En cours, synchronisation en cours : Waiting for rollout to finish: 0 of 1 updated replicas are available...');
    expect(service.argocd.statusText.en).toBe('Out of sync, Progressing, sync in progress: Waiting for rollout to finish: 0 of 1 updated replicas are available...');
  });

  it('a failed sync says so, with the reason ArgoCD gives', async () => {
    const reason = 'one or more objects failed to apply, reason: Deployment.apps "store" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1';
    answer = {
      status: {
        sync: { status: 'OutOfSync', revision: '1.0.0' },
        health: { status: 'Degraded', message: 'Deployment "store" exceeded its progress deadline' },
        operationState: {
          operation: { sync: { revision: '1.0.0' }, initiatedBy: { automated: true }, retry: { limit: 5 } },
          phase: 'Failed',
          message: reason,
          retryCount: 5,
          syncResult: { revision: '1.0.0', resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'projet-a-integration', name: 'store', status: 'SyncFailed', message: 'Deployment.apps "store" is invalid', syncPhase: 'Sync' }] },
          startedAt: '2026-12-06T10:05:00Z',
          finishedAt: '2026-12-06T10:06:12Z',
        },
        conditions: [{ type: 'SyncError', message: 'Failed sync attempt to 1.0.0: one or more objects failed to apply (retried 5 times).', lastTransitionTime: '2026-12-06T10:06:12Z' }],
      },
    };
    const service = await seen();
    expect(service.argocd).toMatchObject({ sync: 'OutOfSync', health: 'Degraded', message: reason });
    expect(service.argocd.detail).toEqual({ fr: 'la dernière synchronisation a échoué', en: 'the last sync failed' });
    expect(service.argocd.statusText.fr).toBe(`Désynchronisé, Dégradé, la dernière synchronisation a échoué : ${reason}`);
    expect(service.argocd.statusText.en).toBe(`Out of sync, Degraded, the last sync failed: ${reason}`);
  });

  it('when ArgoCD cannot fetch the chart, the service says ArgoCD cannot read what it must deploy, and why', async () => {
    const reason = 'Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = chart "backed-store" version "1.0.0" not found in repository';
    answer = {
      status: {
        sync: { status: 'Unknown' },
        health: { status: 'Healthy' },
        conditions: [
          { type: 'ComparisonError', message: reason, lastTransitionTime: '2026-12-06T10:10:00Z' },
          { type: 'OrphanedResourceWarning', message: 'Application has 1 orphaned resources' },
        ],
      },
    };
    const service = await seen();
    expect(service.argocd).toMatchObject({ sync: 'Unknown', health: 'Healthy', message: reason });
    expect(service.argocd.detail).toEqual({ fr: 'ArgoCD ne peut pas lire ce qu’il doit déployer', en: 'ArgoCD cannot read what it must deploy' });
    expect(service.argocd.statusText.fr).toBe(`Inconnu, Sain, ArgoCD ne peut pas lire ce qu’il doit déployer : ${reason}`);
    expect(service.argocd.statusText.en).toBe(`Unknown, Healthy, ArgoCD cannot read what it must deploy: ${reason}`);
  });

  it('an Application ArgoCD does not show yet is said so, and the list shows the last state read', async () => {
    answer = { code: 403, body: { error: 'permission denied', code: 7, message: 'permission denied' } };
    const service = await seen();
    expect(service.argocd).toMatchObject({ sync: 'Unknown', health: 'Unknown', message: null });
    expect(service.argocd.statusText).toEqual({ fr: 'ArgoCD ne connaît pas encore cette application (pas encore lue depuis le dépôt GitOps)', en: 'ArgoCD does not know this application yet (not read from the GitOps repository yet)' });
    const list = await ctx.call('developer', 'GET', url.replace(/\/[^/]+$/, ''));
    expect(list.body.items[0].argocd.statusText).toEqual(service.argocd.statusText);
  });

  it('the answers this fake gives are ArgoCD’s: the contract refuses a field ArgoCD does not have', () => {
    const answer = asArgocdReturnsIt({ sync: { status: 'Synced' }, health: { status: 'Healthy' } }) as { status: Json };
    expect(contract.application(answer)).toBe(true);
    expect(contract.application({ ...answer, status: { ...answer.status, healthStatus: 'Healthy' } })).toBe(false);
    expect(contract.application({ ...answer, status: { ...answer.status, operationState: { phase: 'Failed', reason: 'x' } } })).toBe(false);
  });
});
