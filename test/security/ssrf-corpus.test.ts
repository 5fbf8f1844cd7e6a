// Security suite, outbound URLs: a corpus of URLs that try to make the platform a client of itself, of the cloud
// metadata service or of an address a parser differential hides (encodings, IPv6 and mapped forms, backslashes,
// user info, controls, other schemes), given on each URL field a team sets: the repository URL, the webhook URL and
// the commit-status API URL. Every one is refused at the API (400 problem+json naming the field) and by the policy
// applied at use. The guard is tested by its decision: nothing here lets the product connect to those addresses.
// Then a loopback server whose 302 points at another loopback port: its own address is allow-listed, so git and
// the notification client do reach it — and do not follow the redirect.
import { createServer, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointUrlPolicy, repositoryUrlPolicy } from '../../src/chain/remote-access.ts';
import { checkRemoteUrl } from '../../src/integrations/git/remote-url.ts';
import { syncMirror } from '../../src/integrations/git/mirror.ts';
import { sendNotification } from '../../src/integrations/webhooks/outgoing.ts';
import { createPerson, createProject, type TestActor } from '../support/api-fixtures.ts';
import { createTestSystem, testConfig, type TestSystem } from '../support/server.ts';

const own = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((i) => !i.internal);
const ownV4 = own.find((i) => i.family === 'IPv4')?.address;
const ownV6 = own.find((i) => i.family === 'IPv6' && !i.address.startsWith('fe80'))?.address;

/** Each form is a complete URL; `198.51.100.7` stands for an outside address the form tries to hide behind. */
export const ssrfCorpus: string[] = [
  // Loopback, in every spelling an address parser accepts.
  'http://127.0.0.1/x.git',
  'http://127.1/x.git',
  'http://127.0.1/x.git',
  'http://0177.0.0.1/x.git',
  'http://0x7f.0.0.1/x.git',
  'http://0x7f000001/x.git',
  'http://2130706433/x.git',
  'http://017700000001/x.git',
  'http://127.0.0.1./x.git',
  'http://%31%32%37.0.0.1/x.git',
  'http://127.000.000.001/x.git',
  'http://0x7f.1/x.git',
  'http://localhost/x.git',
  'http://LOCALHOST:8080/x.git',
  'http://localhost./x.git',
  'HTTP://127.0.0.1:22/x.git',
  // IPv6, mapped and translated forms.
  'http://[::1]/x.git',
  'http://[0:0:0:0:0:0:0:1]/x.git',
  'http://[::ffff:127.0.0.1]/x.git',
  'http://[::ffff:7f00:1]/x.git',
  'http://[::127.0.0.1]/x.git',
  'http://[64:ff9b::7f00:1]/x.git',
  'http://[2002:7f00:1::]/x.git',
  'http://[::ffff:198.51.100.7]/x.git',
  // Unspecified.
  'http://0.0.0.0/x.git',
  'http://0/x.git',
  'http://[::]/x.git',
  // Cloud metadata and link-local.
  'http://169.254.169.254/latest/meta-data/',
  'http://0xa9fea9fe/latest/meta-data/',
  'http://2852039166/latest/meta-data/',
  'http://[::ffff:169.254.169.254]/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://100.100.100.200/latest/meta-data/',
  'http://168.63.129.16/machine',
  'http://169.254.1.1/x.git',
  'http://[fe80::1]/x.git',
  // Multicast, broadcast.
  'http://224.0.0.1/x.git',
  'http://255.255.255.255/x.git',
  // The platform's own interface addresses.
  ...(ownV4 ? [`http://${ownV4}:8080/api/v1/projects`] : []),
  ...(ownV6 ? [`http://[${ownV6}]:8080/api/v1/projects`] : []),
  // Backslashes: the parser differential of the finding, and its variants.
  'http://198.51.100.7\\@127.0.0.1:8080/x.git',
  'http://127.0.0.1\\@198.51.100.7/x.git',
  'http:\\\\127.0.0.1/x.git',
  'http://198.51.100.7\\.127.0.0.1/x.git',
  'http://198.51.100.7/\\..\\x.git',
  // User info (credentials have their own field).
  'http://user@198.51.100.7/x.git',
  'http://user:pass@198.51.100.7/x.git',
  'http://198.51.100.7@127.0.0.1/x.git',
  'http://:@127.0.0.1/x.git',
  'http://198.51.100.7%40127.0.0.1/x.git',
  'http://127.0.0.1#@198.51.100.7/x.git',
  'http://127.0.0.1?@198.51.100.7/x.git',
  // Whitespace, controls, bidi.
  'http://127.0.0.1 /x.git',
  'http://198.51.100.7\t@127.0.0.1/x.git',
  'http://198.51.100.7\n.example/x.git',
  'http://198.51.100.7\u0000.example/x.git',
  ' http://198.51.100.7/x.git',
  'http://198.51.100.7\u202e/x.git',
  // Other schemes.
  'gopher://127.0.0.1:25/_HELO',
  'file:///etc/passwd',
  'ftp://198.51.100.7/x.git',
  'ssh://git@198.51.100.7/x.git',
  'git@198.51.100.7:team/x.git',
  'dict://127.0.0.1:11211/stats',
];

describe('security: the SSRF corpus on every URL field a team sets', () => {
  let system: TestSystem;
  let owner: TestActor;
  let projectId: string;
  let repositoryId: string;

  beforeAll(async () => {
    system = await createTestSystem('pglite');
    owner = await createPerson(system.services.db, 'owner');
    projectId = (await createProject(system.services.db, 'ssrf', owner.userId!)).id;
    const repo = await system.app.inject({ method: 'POST', url: '/api/v1/repositories', headers: { authorization: owner.authorization! }, payload: { projectId, name: 'app', externalUrl: 'https://forge.example.org/team/app.git' } });
    // A name that does not resolve here is accepted at the API (the check at use decides).
    expect(repo.statusCode).toBe(201);
    repositoryId = JSON.parse(repo.body).id;
  }, 60_000);
  afterAll(() => system?.stop());

  it(`has at least 60 forms (${ssrfCorpus.length})`, () => {
    expect(ssrfCorpus.length).toBeGreaterThanOrEqual(60);
  });

  const fields = [
    { field: 'externalUrl', send: (url: string) => system.app.inject({ method: 'POST', url: '/api/v1/repositories', headers: { authorization: owner.authorization! }, payload: { projectId, name: 'evil', externalUrl: url } }) },
    { field: 'url', send: (url: string) => system.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/webhooks`, headers: { authorization: owner.authorization! }, payload: { url } }) },
  ];

  for (const { field, send } of fields) {
    it(`refuses every form on ${field} with a 400 problem naming the field`, async () => {
      const accepted: string[] = [];
      for (const url of ssrfCorpus) {
        const res = await send(url);
        const body = JSON.parse(res.body);
        if (res.statusCode !== 400 || !res.headers['content-type']?.toString().startsWith('application/problem+json') || !JSON.stringify(body.errors ?? []).includes(field)) {
          accepted.push(`${JSON.stringify(url)} → ${res.statusCode}`);
        }
      }
      console.log(`security suite (SSRF, ${field}): ${ssrfCorpus.length - accepted.length} of ${ssrfCorpus.length} refused`);
      expect(accepted).toEqual([]);
    });
  }

  it('refuses every form on the commit-status API URL with a 400 problem naming the field', async () => {
    const accepted: string[] = [];
    for (const url of ssrfCorpus) {
      const res = await system.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/repositories/${repositoryId}/commit-status`, headers: { authorization: owner.authorization! }, payload: { forge: 'github', apiUrl: url, project: 'team/app', token: 'ghs_0123456789abcdef' } });
      const body = JSON.parse(res.body);
      if (res.statusCode !== 400 || !JSON.stringify(body.errors ?? []).includes('apiUrl')) accepted.push(`${JSON.stringify(url)} → ${res.statusCode}`);
    }
    console.log(`security suite (SSRF, apiUrl): ${ssrfCorpus.length - accepted.length} of ${ssrfCorpus.length} refused`);
    expect(accepted).toEqual([]);
  });

  it('refuses every form again at use, with the policies the chain applies (repository, endpoints)', async () => {
    const config = testConfig();
    const resolve = async (host: string) => (host === 'localhost' || host === 'localhost.' ? ['127.0.0.1', '::1'] : ['198.51.100.7']);
    for (const policy of [repositoryUrlPolicy(config), endpointUrlPolicy(config)]) {
      for (const url of ssrfCorpus) expect((await checkRemoteUrl(url, { ...policy, resolve })).ok, url).toBe(false);
    }
    // The same policy lets an outside forge through: the refusals above are not a blanket "no".
    expect(await checkRemoteUrl('https://forge.example.org/team/app.git', { ...repositoryUrlPolicy(config), resolve })).toMatchObject({ ok: true, addresses: ['198.51.100.7'] });
    expect(await checkRemoteUrl('http://10.1.2.3:8080/team/app.git', repositoryUrlPolicy(config))).toMatchObject({ ok: true });
  });
});

describe('security: a redirect from an allow-listed server to another loopback port is not followed', () => {
  let target: Server;
  let redirector: Server;
  let targetHits = 0;
  let redirectorHits = 0;
  let redirectorUrl = '';
  let tmp: string;

  beforeAll(async () => {
    target = createServer((_req, res) => {
      targetHits++;
      res.writeHead(200).end('reached');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetPort = (target.address() as { port: number }).port;
    redirector = createServer((req, res) => {
      redirectorHits++;
      res.writeHead(302, { location: `http://127.0.0.1:${targetPort}${req.url}` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
    tmp = mkdtempSync(path.join(tmpdir(), 'dso-ssrf-'));
  });
  afterAll(async () => {
    await Promise.all([new Promise((r) => target.close(r)), new Promise((r) => redirector.close(r))]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('git reaches the allow-listed server, refuses its redirect, and never reaches the other port', async () => {
    const policy = { ...repositoryUrlPolicy(testConfig({ DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' })) };
    expect(await checkRemoteUrl(`${redirectorUrl}/team/app.git`, policy)).toMatchObject({ ok: true });
    const synced = await syncMirror(path.join(tmp, 'mirror.git'), { url: `${redirectorUrl}/team/app.git`, policy, timeoutMs: 20_000 });
    expect(synced.ok).toBe(false);
    expect(redirectorHits).toBeGreaterThan(0);
    expect(targetHits).toBe(0);
  });

  it('a webhook delivery reaches the allow-listed server, does not follow its redirect, and says it was not delivered', async () => {
    const before = redirectorHits;
    const report = await sendNotification({ url: `${redirectorUrl}/hook`, secret: 's', event: 'run.finished', payload: {}, maxAttempts: 1, urlPolicy: endpointUrlPolicy(testConfig({ DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' })) });
    expect(report.delivered).toBe(false);
    expect(report.attempts[0]?.status).toBe(302);
    expect(redirectorHits).toBe(before + 1);
    expect(targetHits).toBe(0);
  });
});
