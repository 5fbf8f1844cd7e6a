import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubStatusClient, GitLabStatusClient } from './commit-status.ts';
import { InMemoryDeliveryLog } from './delivery-log.ts';
import { receivePushWebhook } from './inbound.ts';
import { sendNotification, signBody } from './outgoing.ts';

const SHA = 'a'.repeat(40);
const BEFORE = 'b'.repeat(40);

/** A real HTTP receiver on loopback that records what it gets and answers from a script. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let base: string;
let received: Received[] = [];
let answers: number[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(answers.shift() ?? 201, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  received = [];
  answers = [];
});
const loopback = { schemes: ['http' as const], allowList: ['127.0.0.1'] };

describe('incoming push webhooks', () => {
  const githubBody = Buffer.from(
    JSON.stringify({
      ref: 'refs/heads/main',
      before: BEFORE,
      after: SHA,
      repository: { name: 'api', full_name: 'team/api', clone_url: 'https://github.com/team/api.git', ssh_url: 'git@github.com:team/api.git' },
    }),
  );
  const sign = (body: Buffer, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts a signed GitHub push once, and refuses its replay', async () => {
    const deliveries = new InMemoryDeliveryLog();
    const headers = { 'x-github-event': 'push', 'x-github-delivery': 'd-1', 'x-hub-signature-256': sign(githubBody, 's3cret') };
    const first = await receivePushWebhook({ forge: 'github', headers, rawBody: githubBody, secret: 's3cret', deliveries });
    expect(first).toEqual({
      status: 202,
      kind: 'push',
      event: {
        forge: 'github',
        deliveryId: 'github:d-1',
        ref: 'refs/heads/main',
        branch: 'main',
        after: SHA,
        before: BEFORE,
        deleted: false,
        repository: { name: 'api', fullName: 'team/api', cloneUrls: ['https://github.com/team/api.git', 'git@github.com:team/api.git'] },
      },
    });
    const replay = await receivePushWebhook({ forge: 'github', headers, rawBody: githubBody, secret: 's3cret', deliveries });
    expect(replay).toMatchObject({ status: 409, reason: 'replayed' });
  });

  it('refuses a wrong or missing signature, and a body altered after signing', async () => {
    const deliveries = new InMemoryDeliveryLog();
    const base = { forge: 'github' as const, rawBody: githubBody, secret: 's3cret', deliveries };
    for (const signature of [undefined, sign(githubBody, 'other'), 'sha256=00', sign(Buffer.from(githubBody.toString().replace('main', 'prod')), 's3cret')]) {
      const r = await receivePushWebhook({ ...base, headers: { 'x-github-event': 'push', 'x-github-delivery': 'x', 'x-hub-signature-256': signature } });
      expect(r).toMatchObject({ status: 401, kind: 'refused' });
    }
    // A refused request must not burn the delivery id of the genuine one.
    const genuine = await receivePushWebhook({ ...base, headers: { 'x-github-event': 'push', 'x-github-delivery': 'x', 'x-hub-signature-256': sign(githubBody, 's3cret') } });
    expect(genuine.status).toBe(202);
  });

  it('checks the GitLab token and reads its push payload', async () => {
    const deliveries = new InMemoryDeliveryLog();
    const body = Buffer.from(
      JSON.stringify({
        object_kind: 'push',
        ref: 'refs/heads/feature/x',
        before: BEFORE,
        after: SHA,
        project: { name: 'api', path_with_namespace: 'team/api', git_http_url: 'https://gitlab.example/team/api.git', git_ssh_url: 'git@gitlab.example:team/api.git' },
      }),
    );
    const headers = { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'tok', 'x-gitlab-event-uuid': 'u-1' };
    const ok = await receivePushWebhook({ forge: 'gitlab', headers, rawBody: body, secret: 'tok', deliveries });
    expect(ok).toMatchObject({ status: 202, event: { branch: 'feature/x', after: SHA, repository: { fullName: 'team/api' } } });
    expect((await receivePushWebhook({ forge: 'gitlab', headers: { ...headers, 'x-gitlab-token': 'tok2' }, rawBody: body, secret: 'tok', deliveries })).status).toBe(401);
    expect((await receivePushWebhook({ forge: 'gitlab', headers, rawBody: body, secret: 'tok', deliveries })).status).toBe(409);
    // Without a delivery id, an identical body is the replay.
    const noId = { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'tok' };
    expect((await receivePushWebhook({ forge: 'gitlab', headers: noId, rawBody: body, secret: 'tok', deliveries })).status).toBe(202);
    expect((await receivePushWebhook({ forge: 'gitlab', headers: noId, rawBody: body, secret: 'tok', deliveries })).status).toBe(409);
  });

  it('refuses malformed payloads with 400, ignores other events, bounds the size', async () => {
    const deliveries = new InMemoryDeliveryLog();
    const gl = (rawBody: Buffer, event = 'Push Hook') =>
      receivePushWebhook({ forge: 'gitlab', headers: { 'x-gitlab-event': event, 'x-gitlab-token': 't' }, rawBody, secret: 't', deliveries });
    expect((await gl(Buffer.from('{not json'))).status).toBe(400);
    expect((await gl(Buffer.from(JSON.stringify({ ref: 'main', after: SHA })))).status).toBe(400);
    expect((await gl(Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: '--upload-pack=x' })))).status).toBe(400);
    expect(await gl(Buffer.from('{}'), 'Merge Request Hook')).toMatchObject({ status: 200, kind: 'ignored' });
    expect((await gl(Buffer.alloc(2 * 1024 * 1024, 32))).status).toBe(413);
  });

  it('forgets delivery ids after their time to live', async () => {
    const log = new InMemoryDeliveryLog(1000, 3);
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(await log.remember('a', t0)).toBe('new');
    expect(await log.remember('a', new Date(t0.getTime() + 500))).toBe('seen');
    expect(await log.remember('a', new Date(t0.getTime() + 1500))).toBe('new');
    for (const id of ['b', 'c', 'd', 'e']) await log.remember(id, new Date(t0.getTime() + 1600));
    expect(await log.remember('e', new Date(t0.getTime() + 1700))).toBe('seen');
  });
});

describe('outgoing notifications', () => {
  it('delivers a signed JSON payload the receiver can verify', async () => {
    const report = await sendNotification({ url: `${base}/hook`, secret: 'team-secret', event: 'run.finished', payload: { verdict: 'certified' }, urlPolicy: loopback });
    expect(report).toMatchObject({ delivered: true, attempts: [{ attempt: 1, status: 201 }] });
    const [req] = received;
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-dso-signature']).toBe(signBody(req!.body, 'team-secret'));
    expect(JSON.parse(req!.body)).toMatchObject({ event: 'run.finished', deliveryId: report.deliveryId, data: { verdict: 'certified' } });
  });

  it('retries with exponential backoff until the receiver recovers', async () => {
    answers = [503, 500, 429, 200];
    const slept: number[] = [];
    const report = await sendNotification({
      url: `${base}/hook`, secret: 's', event: 'e', payload: {}, urlPolicy: loopback,
      baseDelayMs: 100, sleep: async (ms) => void slept.push(ms),
    });
    expect(report.delivered).toBe(true);
    expect(report.attempts.map((a) => a.status)).toEqual([503, 500, 429, 200]);
    expect(slept).toEqual([100, 200, 400]);
    expect(new Set(received.map((r) => r.headers['x-dso-delivery'])).size).toBe(1); // same delivery, retried
  });

  it('gives up after the last attempt, and never retries a refusal', async () => {
    answers = [503, 503, 503];
    const slept: number[] = [];
    const gaveUp = await sendNotification({ url: `${base}/h`, secret: 's', event: 'e', payload: {}, urlPolicy: loopback, maxAttempts: 3, sleep: async (ms) => void slept.push(ms) });
    expect(gaveUp).toMatchObject({ delivered: false, message: { en: 'Notification not delivered after 3 attempts.' } });
    expect(slept).toHaveLength(2);
    answers = [404];
    const refused = await sendNotification({ url: `${base}/h`, secret: 's', event: 'e', payload: {}, urlPolicy: loopback, sleep: async () => {} });
    expect(refused.attempts).toHaveLength(1);
    expect(refused.delivered).toBe(false);
  });

  it('refuses internal addresses unless allow-listed', async () => {
    const r = await sendNotification({ url: 'https://169.254.169.254/latest', secret: 's', event: 'e', payload: {} });
    expect(r).toMatchObject({ delivered: false, attempts: [] });
    expect(received).toEqual([]);
  });
});

describe('commit statuses', () => {
  it('posts a GitLab status with the documented path, token header and fields', async () => {
    const client = new GitLabStatusClient(base, 'team/api', { token: 'glpat-x', urlPolicy: loopback });
    const r = await client.setStatus({ sha: SHA, state: 'failure', context: 'dso/chain', description: 'Vulnérabilité critique', targetUrl: 'https://dso.example/runs/1', ref: 'main' });
    expect(r).toEqual({ ok: true, status: 201 });
    const [req] = received;
    expect(req!.url).toBe(`/api/v4/projects/team%2Fapi/statuses/${SHA}`);
    expect(req!.headers['private-token']).toBe('glpat-x');
    expect(JSON.parse(req!.body)).toEqual({ state: 'failed', name: 'dso/chain', description: 'Vulnérabilité critique', target_url: 'https://dso.example/runs/1', ref: 'main' });
  });

  it('posts a GitHub status with the documented path, headers and fields', async () => {
    const client = new GitHubStatusClient(base, 'team', 'api', { token: 'ghp_x', urlPolicy: loopback });
    const r = await client.setStatus({ sha: SHA, state: 'running', context: 'dso/chain', description: 'x'.repeat(300) });
    expect(r.ok).toBe(true);
    const [req] = received;
    expect(req!.url).toBe(`/repos/team/api/statuses/${SHA}`);
    expect(req!.headers.authorization).toBe('Bearer ghp_x');
    expect(req!.headers.accept).toBe('application/vnd.github+json');
    expect(JSON.parse(req!.body)).toEqual({ state: 'pending', context: 'dso/chain', description: 'x'.repeat(140) });
  });

  it('explains a refused token', async () => {
    answers = [401];
    const client = new GitHubStatusClient(base, 'team', 'api', { token: 'bad', urlPolicy: loopback });
    expect(await client.setStatus({ sha: SHA, state: 'success', context: 'dso' })).toMatchObject({ ok: false, status: 401, message: { en: expect.stringMatching(/token refused/) } });
  });
});
