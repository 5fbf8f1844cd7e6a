// The secondary chain end to end, with real components: a team's repository served by its own git http-backend,
// the console mirroring it and serving the mirror on its git endpoint, the checks, the test command in the
// sandbox, buildah (when installed) and a real registry (Debian docker-registry), the gate, certification, and
// notifications to a local HTTP receiver. Also: a committed secret refused by the gate, forge webhooks with bad
// signatures, payloads and replays, and a repository URL pointing at a forbidden address.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifiedRevisions, repositories } from '../src/db/schema.ts';
import { builderAvailable } from '../src/integrations/builder/buildah.ts';
import { createPerson, createProject, createServiceAccount, type TestActor } from './support/api-fixtures.ts';
import { registrySkipReason, startRegistry, type TestRegistry } from './support/registry.ts';
import { asActor, runCommand } from './support/cli.ts';
import { createTestSystem, type TestSystem } from './support/server.ts';
import { run as runsCommand } from '../src/cli/runs.ts';
import { startExternalRepository, startReceiver, waitForRun, type ExternalRepository, type Receiver } from './support/chain.ts';

const run = promisify(execFile);
const skip = registrySkipReason();
const buildah = builderAvailable();
if (!buildah) {
  const reason = 'buildah is not installed: the image build step is checked as skipped (apt-get install -y buildah)';
  if (process.env.CI === 'true') throw new Error(reason);
  console.log(`SKIP ${reason}`);
}

const referenceFiles = {
  'README.md': '# Application de référence\n',
  'hello.txt': 'bonjour\n',
  Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
  'server.js': "const http = require('node:http');\nconst client = require('prom-client');\nhttp.createServer((req, res) => {\n  if (req.url === '/healthz') return res.end('ok');\n  if (req.url === '/metrics') return client.register.metrics().then((m) => res.end(m));\n  res.end('bonjour');\n}).listen(8080);\n",
  '.dso.yml': 'version: 1\ntest:\n  command: test -f hello.txt && echo "1 test, 0 échec"\n  limits:\n    wallSeconds: 30\n',
};

describe.skipIf(skip !== null)('secondary chain, end to end', () => {
  let registry: TestRegistry;
  let external: ExternalRepository;
  let receiver: Receiver;
  let forge: Receiver;
  let system: TestSystem;
  let base: string;
  let owner: TestActor;
  let ci: TestActor;
  let outsider: TestActor;
  let projectId: string;
  let repositoryId: string;
  let webhookId: string;
  let webhookSecret: string;

  const call = async (actor: TestActor | undefined, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await system.app.inject({
      method,
      url,
      headers: { ...(actor?.authorization ? { authorization: actor.authorization } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    let body: any = res.body;
    try {
      body = JSON.parse(res.body);
    } catch {
      // text
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  const get = (url: string) => call(owner, 'GET', url);

  beforeAll(async () => {
    registry = await startRegistry();
    external = await startExternalRepository(referenceFiles);
    receiver = await startReceiver([503]);
    forge = await startReceiver();
    system = await createTestSystem('pglite', {
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_REGISTRY_URL: registry.url,
      DSO_RUN_RETRY_DELAY_SECONDS: '1',
      DSO_RUN_STALE_SECONDS: '5',
    });
    base = await system.listen();
    const db = system.services.db;
    owner = await createPerson(db, 'owner');
    outsider = await createPerson(db, 'outsider');
    const project = await createProject(db, 'projet-chaine', owner.userId!);
    projectId = project.id;
    ci = await createServiceAccount(db, 'ci', projectId, 'devops');
    const repo = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'app', externalUrl: external.url });
    expect(repo.status).toBe(201);
    repositoryId = repo.body.id;
    const hook = await call(owner, 'POST', `/api/v1/projects/${projectId}/webhooks`, { url: receiver.url });
    expect(hook.status).toBe(201);
    webhookId = hook.body.id;
    webhookSecret = hook.body.secret;
    // The team's GitHub (a local stand-in answering its commit-status API).
    const status = await call(owner, 'PUT', `/api/v1/projects/${projectId}/repositories/${repositoryId}/commit-status`, { forge: 'github', apiUrl: forge.url.replace('/hook', ''), project: 'team/app', token: 'ghs_status_token_0123456789' });
    expect(status.status).toBe(204);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await Promise.all([registry?.stop(), external?.stop(), receiver?.stop(), forge?.stop()]);
  });

  let certifiedRun: any;

  it('certifies a clean revision asked for by the primary chain, publishes its image and notifies the team', async () => {
    const started = await call(ci, 'POST', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`, { ref: 'main' });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('queued');
    const run = await waitForRun(get, started.body.id);
    certifiedRun = run;
    if (process.env.DSO_DEBUG_TIMES) console.log('TIMES', run.createdAt, run.startedAt, run.finishedAt, JSON.stringify(run.steps.map((x: any) => [x.name, x.workMs, x.startedAt?.slice(17), x.finishedAt?.slice(17)])));
    expect({ status: run.status, message: run.message, blocking: run.verdict?.reasons.filter((r: any) => r.blocking) }).toEqual({ status: 'certified', message: null, blocking: [] });
    expect(run.commitSha).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: external.work, encoding: 'utf8' }).trim());
    const steps = Object.fromEntries(run.steps.map((s: any) => [s.name, s.status]));
    expect(steps).toMatchObject({ sync: 'succeeded', checkout: 'succeeded', checks: 'succeeded', tests: 'succeeded', gate: 'succeeded', certify: 'succeeded', notify: 'succeeded' });
    // What each step says comes as a code with both texts: the console shows the reader's language.
    const gate = run.steps.find((s: any) => s.name === 'gate');
    expect(gate.note).toEqual({ code: 'gate.certifiable', text: { fr: 'certifiable', en: 'certifiable' } });
    expect(run.steps.find((s: any) => s.name === 'tests').note.text.en).toMatch(/^tests passed in \d+ ms$/);
    for (const s of run.steps) expect(s.workMs).toBeGreaterThanOrEqual(0);
    if (buildah) {
      expect(steps.build).toBe('succeeded');
      expect(run.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      // The registry serves the image under the project's namespace, tagged with the commit.
      const manifest = await fetch(`${registry.url}/v2/projet-chaine/app/manifests/sha-${run.commitSha}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(manifest.status).toBe(200);
      expect(manifest.headers.get('docker-content-digest')).toBe(run.imageDigest);
    } else {
      expect(steps.build).toBe('skipped');
    }
    const [certified] = await system.services.db
      .select()
      .from(certifiedRevisions)
      .where(eq(certifiedRevisions.runId, run.id));
    expect(certified).toMatchObject({ repositoryId, commitSha: run.commitSha, imageDigest: run.imageDigest });

    // The team's endpoint: refused once (503), delivered on the retry, signed with the webhook's secret.
    expect(receiver.received.length).toBe(2);
    const delivered = receiver.received[1]!;
    expect(delivered.headers['x-dso-signature']).toBe(`sha256=${createHmac('sha256', webhookSecret).update(delivered.body).digest('hex')}`);
    expect(JSON.parse(delivered.body).data.run).toMatchObject({ id: run.id, status: 'certified', commitSha: run.commitSha });
    const deliveries = await get(`/api/v1/projects/${projectId}/webhooks/${webhookId}/deliveries`);
    expect(deliveries.body.items[0]).toMatchObject({ runId: run.id, delivered: true });
    expect(deliveries.body.items[0].attempts.map((a: any) => a.status)).toEqual([503, 200]);
    // The commit status went to the forge's documented API, with the token.
    const statusCall = forge.received.find((r) => r.url === `/repos/team/app/statuses/${run.commitSha}`);
    expect(statusCall?.headers.authorization).toBe('Bearer ghs_status_token_0123456789');
    expect(JSON.parse(statusCall!.body)).toMatchObject({ state: 'success', context: 'dso/chain' });
    // …and the delivery is kept for the team (and for EX16), never with the token.
    const statuses = await get(`/api/v1/projects/${projectId}/commit-status-deliveries`);
    expect(statuses.body.items[0]).toMatchObject({ runId: run.id, forge: 'github', commitSha: run.commitSha, state: 'success', delivered: true, httpStatus: 200 });
    expect(JSON.stringify(statuses.body)).not.toContain('ghs_status_token');
    // The chain tried to start the image it built: it has no command, so EX50 and EX51 await evidence and say why.
    const runtime = await get(`/api/v1/runs/${run.id}/artifacts/runtime`);
    expect(runtime.body).toMatchObject({ status: 'not-started', reason: { code: 'no-command' } });
    const conformity = await get(`/api/v1/projects/${projectId}/conformity`);
    for (const id of ['EX50', 'EX51']) {
      const requirement = conformity.body.requirements.find((r: any) => r.id === id);
      expect(requirement.state, id).toBe('awaiting-evidence');
      expect(JSON.stringify(requirement.targets)).toContain('ni ENTRYPOINT ni CMD');
    }
  }, 60_000);

  it('gives the run results: logs, findings, SARIF, SBOM and an evidence manifest with checksums', async () => {
    const id = certifiedRun.id;
    const logs = await get(`/api/v1/runs/${id}/logs`);
    expect(logs.headers['content-type']).toContain('text/plain');
    expect(logs.body).toContain('1 test, 0 échec');
    const findings = await get(`/api/v1/runs/${id}/findings?severity=critical`);
    expect(findings.status).toBe(200);
    expect(findings.body.items).toEqual([]);
    const sarif = await get(`/api/v1/runs/${id}/sarif`);
    expect(sarif.body.version).toBe('2.1.0');
    const evidence = await get(`/api/v1/runs/${id}/evidence`);
    expect(evidence.body.source.commit).toBe(certifiedRun.commitSha);
    expect(evidence.body.image.digest).toBe(certifiedRun.imageDigest);
    const kinds = evidence.body.artifacts.map((a: any) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['check-report', 'sarif', 'gate', 'tests']));
    for (const a of evidence.body.artifacts) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.body.rules.count).toBeGreaterThan(10);
    const list = await get(`/api/v1/projects/${projectId}/repositories/${repositoryId}/runs?limit=1`);
    expect(list.body.items[0].id).toBe(id);
    // Other projects' people do not see the run at all.
    expect((await call(outsider, 'GET', `/api/v1/runs/${id}`)).status).toBe(404);
  });

  it('serves the mirror on the console git endpoint to members with a token, never to pushes or strangers', async () => {
    const token = ci.authorization!.replace('Bearer ', '');
    const clone = path.join(mkdtempSync(path.join(tmpdir(), 'dso-clone-')), 'app');
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_GLOBAL: '/dev/null' };
    const url = new URL(`${base}/git/projet-chaine/app.git`);
    url.username = 'ci';
    url.password = token;
    // Asynchronous: the console answering the clone runs in this very process.
    await run('git', ['clone', '--quiet', url.toString(), clone], { env });
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim()).toBe(certifiedRun.commitSha);
    execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '--allow-empty', '-m', 'push attempt'], { cwd: clone, env });
    await expect(run('git', ['push', '--quiet', 'origin', 'HEAD:main'], { cwd: clone, env })).rejects.toThrow(/403|platform only/);
    expect((await fetch(`${base}/git/projet-chaine/app.git/info/refs?service=git-upload-pack`)).status).toBe(401);
    const stranger = await fetch(`${base}/git/projet-chaine/app.git/info/refs?service=git-upload-pack`, { headers: { authorization: outsider.authorization! } });
    expect(stranger.status).toBe(404);
  }, 30_000);

  it('refuses forged, malformed and replayed push webhooks without queueing anything', async () => {
    const secret = await call(owner, 'POST', `/api/v1/projects/${projectId}/repositories/${repositoryId}/webhook-secret`);
    expect(secret.status).toBe(201);
    const body = JSON.stringify({ ref: 'refs/heads/main', after: certifiedRun.commitSha, repository: { clone_url: external.url } });
    const sign = (b: string, key = secret.body.secret) => `sha256=${createHmac('sha256', key).update(b).digest('hex')}`;
    const hook = (b: string, headers: Record<string, string>) => call(undefined, 'POST', `/api/v1/hooks/github/${repositoryId}`, b, { 'content-type': 'application/json', 'x-github-event': 'push', ...headers });
    const before = (await get(`/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`)).body.items.length;
    expect((await hook(body, { 'x-hub-signature-256': sign(body, 'not-the-secret'), 'x-github-delivery': 'd-1' })).status).toBe(401);
    expect((await hook('{"ref": 42}', { 'x-hub-signature-256': sign('{"ref": 42}'), 'x-github-delivery': 'd-2' })).status).toBe(400);
    const gitlab = await call(undefined, 'POST', `/api/v1/hooks/gitlab/${repositoryId}`, body, { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'wrong' });
    expect(gitlab.status).toBe(401);
    expect((await get(`/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`)).body.items.length).toBe(before);
    // A genuine delivery is accepted once; its replay is refused.
    const ok = await hook(body, { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'd-3' });
    expect(ok.status).toBe(202);
    expect((await hook(body, { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'd-3' })).status).toBe(409);
    const run = await waitForRun(get, ok.body.runId);
    expect(run.trigger).toBe('webhook');
    expect(run.status).toBe('certified');
  }, 60_000);

  it('refuses to certify a revision with a committed secret, and says why', async () => {
    const token = `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'a').slice(0, 36)}`;
    const sha = external.commit({ 'config/deploy.env': `GITHUB_TOKEN=${token}\n` }, 'oops');
    const started = await call(owner, 'POST', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`, { revision: sha });
    expect(started.status).toBe(202);
    const run = await waitForRun(get, started.body.id);
    expect(run.status).toBe('rejected');
    expect(run.commitSha).toBe(sha);
    expect(run.verdict.certified).toBe(false);
    expect(run.verdict.reasons.find((r: any) => r.blocking).code).toBe('secret');
    const findings = await get(`/api/v1/runs/${run.id}/findings?new=true`);
    expect(findings.body.items.some((f: any) => f.ruleId.startsWith('secrets.'))).toBe(true);
    const logs = await get(`/api/v1/runs/${run.id}/logs`);
    expect(logs.body).not.toContain(token);
    const rows = await system.services.db.select().from(certifiedRevisions).where(eq(certifiedRevisions.runId, run.id));
    expect(rows).toEqual([]);
    const last = receiver.received.at(-1)!;
    expect(JSON.parse(last.body).data.run.status).toBe('rejected');
  }, 60_000);

  it('dso runs start --watch follows a run to its verdict; list and get show it', async () => {
    const env = asActor(base, ci.authorization!, { DSO_LANG: 'en' });
    // The last commit holds a secret: the CLI exits 1 with the gate's reason, as a CI job would.
    const watched = await runCommand(runsCommand, ['start', '--project', 'projet-chaine', '--repo', 'app', '--ref', 'main', '--watch'], env);
    expect(watched.code).toBe(1);
    const said = watched.out + watched.err;
    expect(said).toContain('rejected by the gate');
    expect(said).toMatch(/✗ .*secret/i);
    const id = /^([0-9a-f-]{36}) {2}rejected/m.exec(said)![1]!;
    const listed = await runCommand(runsCommand, ['list', '--project', 'projet-chaine', '--repo', 'app', '--limit', '2'], env);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(id);
    const got = await runCommand(runsCommand, ['get', id, '--json'], env);
    expect(got.code, got.err).toBe(0);
    expect(JSON.parse(got.out)).toMatchObject({ id, status: 'rejected' });
  }, 60_000);

  it('refuses a repository URL pointing at a forbidden internal address at the API, and again at use without retrying', async () => {
    const refused = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'metadata', externalUrl: 'http://169.254.169.254/latest.git' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'externalUrl', message: expect.stringMatching(/adresse interdite \(169\.254\.169\.254, service de métadonnées du nuage\)/) })]);
    // A URL stored before this check (or whose name now resolves elsewhere) is refused again when the run uses it.
    const [repo] = await system.services.db.insert(repositories).values({ projectId, name: 'metadata', externalUrl: 'http://169.254.169.254/latest.git' }).returning();
    const started = await call(owner, 'POST', `/api/v1/projects/${projectId}/repositories/${repo!.id}/runs`, {});
    const run = await waitForRun(get, started.body.id);
    expect(run.status).toBe('failed');
    expect(run.attempt).toBe(1);
    expect(run.message).toMatch(/interdite|forbidden/);
    expect(run.note.text.en).toMatch(/forbidden address/);
    expect(run.steps.find((s: any) => s.name === 'checkout').note.text).toEqual({ fr: 'non exécutée', en: 'not run' });
    expect(run.steps.find((s: any) => s.name === 'checkout').status).toBe('skipped');
  }, 30_000);
});
