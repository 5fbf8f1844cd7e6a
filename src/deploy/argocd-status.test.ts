// ArgoCD cannot run here: a small HTTP server answers GET /api/v1/applications/{name} with the documented
// v1alpha1Application shape (status.sync.status/revision, status.health.status, status.operationState).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApplicationStatus } from './argocd-status.ts';

const token = 'argocd-test-token';
const applications: Record<string, unknown> = {
  'shop-dev': {
    metadata: { name: 'shop-dev', namespace: 'argocd' },
    spec: { project: 'shop', source: { repoURL: 'https://dso.example/git/shop/infra.git', targetRevision: 'a'.repeat(40) } },
    status: { sync: { status: 'Synced', revision: 'a'.repeat(40) }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded', message: 'successfully synced' } },
  },
  'shop-prod': {
    metadata: { name: 'shop-prod', namespace: 'argocd' },
    status: { sync: { status: 'OutOfSync', revision: 'b'.repeat(40) }, health: { status: 'Degraded', message: 'Deployment has minimum availability false' }, operationState: { phase: 'Failed', message: 'one or more objects failed to apply' } },
  },
};

let server: Server;
let url: string;
const seen: { path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid session","code":16}');
      return;
    }
    const match = /^\/api\/v1\/applications\/([^/?]+)/.exec(request.url ?? '');
    const app = match ? applications[decodeURIComponent(match[1]!)] : undefined;
    if (!app) {
      // ArgoCD answers 403 for applications the token cannot see, existing or not.
      response.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"permission denied","code":7}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(app));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ArgoCD status read-back', () => {
  it('reads sync and health of an Application with the token', async () => {
    expect(await readApplicationStatus({ url, token }, 'shop-dev', { appNamespace: 'argocd' })).toEqual({ ok: true, sync: 'Synced', health: 'Healthy', revision: 'a'.repeat(40), message: null, operation: 'Succeeded', errors: [] });
    expect(seen.at(-1)).toEqual({ path: '/api/v1/applications/shop-dev?appNamespace=argocd', authorization: `Bearer ${token}` });
  });

  it('shows why a failed sync failed', async () => {
    expect(await readApplicationStatus({ url, token }, 'shop-prod')).toMatchObject({ ok: true, sync: 'OutOfSync', health: 'Degraded', message: 'one or more objects failed to apply' });
  });

  it('says what to do when the application is unknown, the token is refused or ArgoCD is down', async () => {
    expect(await readApplicationStatus({ url, token }, 'shop-staging')).toMatchObject({ ok: false, code: 'argocd.not-found' });
    expect(await readApplicationStatus({ url, token: 'wrong' }, 'shop-dev')).toMatchObject({ ok: false, code: 'argocd.refused', message: expect.stringContaining('DSO_ARGOCD_TOKEN') });
    expect(await readApplicationStatus({ url: 'http://127.0.0.1:1', token }, 'shop-dev', { timeoutMs: 2000 })).toMatchObject({ ok: false, code: 'argocd.unreachable' });
    expect(await readApplicationStatus({ url, token }, '../admin')).toMatchObject({ ok: false });
  });
});
