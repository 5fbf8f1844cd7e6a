// Scale-out without a shared disk, against real servers (`dso start`, as `npm start` runs it) on one PostgreSQL
// database, each with its own data folder as pods with an emptyDir have:
// - a worker running 5 runs (tests that sleep) is killed with kill -9: another worker, which never mirrored the
//   repository, certifies every run, with no revision certified twice and a log that says the run was resumed;
// - the same when the worker is stopped politely (SIGTERM, a rolling upgrade);
// - an API replica that never mirrored anything serves clones of the repository and of the GitOps repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certifiedRevisions, clusters, runLogChunks, runs, stages } from '../src/db/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { createPerson, type TestActor } from './support/api-fixtures.ts';
import { startExternalRepository, terminal, type ExternalRepository } from './support/chain.ts';
import { freePort, startConsole, waitForReady, type StartedConsole } from './support/process.ts';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) console.log('scale-out suite skipped: set TEST_DATABASE_URL=postgres://… to run it (replicas share a PostgreSQL database)');

const adminToken = 'scale-out-admin-token-0123456789abcdef';
const runsPerWorker = 5;

describe.skipIf(!postgres)('replicas with separate data folders on one database', () => {
  let database: TestDatabase;
  let external: ExternalRepository;
  const folders: string[] = [];
  const started: StartedConsole[] = [];
  let owner: TestActor;
  let projectId: string;
  let projectSlug: string;
  let repositoryId: string;

  const replica = async (name: string, extra: Record<string, string> = {}): Promise<StartedConsole> => {
    const dataDir = fs.mkdtempSync(path.join(tmpdir(), `dso-scale-${name}-`));
    folders.push(dataDir);
    const port = await freePort();
    const server = startConsole({
      PORT: String(port),
      DSO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url!,
      DSO_DATA_DIR: dataDir,
      DSO_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      DSO_ADMIN_TOKEN: adminToken,
      DSO_LOG_LEVEL: 'warn',
      DSO_WEB_DIR: path.join(dataDir, 'no-web'),
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_RUN_STALE_SECONDS: '2',
      DSO_RUN_RETRY_DELAY_SECONDS: '0',
      DSO_RUN_MAX_ATTEMPTS: '10',
      DSO_RUN_CONCURRENCY: String(runsPerWorker),
      DSO_RUN_PROJECT_LIMIT: String(runsPerWorker),
      DSO_RUN_GLOBAL_LIMIT: String(2 * runsPerWorker),
      ...extra,
    });
    started.push(server);
    await waitForReady(server, 90_000);
    return server;
  };

  const api = async (server: StartedConsole, method: string, url: string, body?: unknown, authorization = `Bearer ${adminToken}`) => {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };

  const poll = <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> =>
    vi.waitFor(async () => {
      const value = await read();
      if (!done(value)) throw new Error(`${what}: still ${JSON.stringify(value).slice(0, 800)} after ${timeoutMs} ms`);
      return value;
    }, { timeout: timeoutMs, interval: 250 });

  /** Starts `runsPerWorker` runs of new revisions on `server` and waits until it runs them all, in their tests. */
  const startRunsOn = async (server: StartedConsole, label: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < runsPerWorker; i++) {
      const revision = external.commit({ 'version.txt': `${label} ${i}\n` }, `${label} ${i}`);
      const created = await api(server, 'POST', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`, { revision }, owner.authorization!);
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      ids.push(created.body.id);
    }
    const ownerPrefix = `:${server.child.pid}:`;
    await poll(
      `runs of ${label} testing on pid ${server.child.pid}`,
      () =>
        database.db
          .select({ status: runs.status, owner: runs.owner, step: runs.currentStep })
          .from(runs)
          .where(inArray(runs.id, ids)),
      (rows) =>
        rows.length === ids.length &&
        rows.every((r) => r.status === 'running' && r.owner?.includes(ownerPrefix) && r.step === 'tests'),
      120_000,
    );
    return ids;
  };

  /** The runs are still in their tests on `server` (the other replica's start must not have outlasted them). */
  const stillTestingOn = async (server: StartedConsole, ids: string[]) => {
    const rows = await database.db
      .select({ status: runs.status, owner: runs.owner, step: runs.currentStep })
      .from(runs)
      .where(inArray(runs.id, ids));
    expect(rows.map((r) => `${r.status} ${r.step} ${r.owner?.includes(`:${server.child.pid}:`)}`)).toEqual(ids.map(() => 'running tests true'));
  };

  const expectAllCertifiedOnce = async (ids: string[], label: string) => {
    const rows = await poll(
      `runs of ${label} terminal`,
      () =>
        database.db
          .select({ id: runs.id, status: runs.status, attempt: runs.attempt, message: runs.message })
          .from(runs)
          .where(inArray(runs.id, ids)),
      (r) => r.every((x) => terminal.has(x.status)),
      180_000,
    );
    expect(rows.filter((r) => r.status !== 'certified')).toEqual([]);
    const certified = await database.db.select().from(certifiedRevisions).where(inArray(certifiedRevisions.runId, ids));
    expect(certified).toHaveLength(ids.length);
    expect(new Set(certified.map((c) => c.commitSha)).size).toBe(ids.length);
    for (const id of ids) {
      const log = (await database.db.select({ text: runLogChunks.text }).from(runLogChunks).where(eq(runLogChunks.runId, id))).map((c) => c.text).join('');
      expect(log, log).toMatch(/Reprise après interruption \(tentative \d+\) sur /);
    }
    return rows;
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    external = await startExternalRepository({
      'hello.txt': 'bonjour\n',
      Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
      'server.js': "// serves /healthz and /metrics\nrequire('prom-client');\n",
      '.dso.yml': 'version: 1\ntest:\n  command: sleep 15 && echo ok\n',
    });
  }, 120_000);

  afterAll(async () => {
    for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(started.map((s) => s.exited));
    await external?.stop();
    await database?.close();
    for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
  });

  it('certifies every run of a worker killed with kill -9 on another worker that never mirrored the repository', async () => {
    const first = await replica('first');
    // After the first start: the usage policy the person accepts is seeded by it.
    owner = await createPerson(database.db, 'owner');
    // The project, its repository and an environment, created through the first replica (GitOps written there).
    projectSlug = 'scale';
    const project = await api(first, 'POST', '/api/v1/projects', { slug: projectSlug, name: 'Scale', ownerId: owner.userId });
    expect(project.status).toBe(201);
    projectId = project.body.id;
    const repository = await api(first, 'POST', '/api/v1/repositories', { projectId, name: 'app', externalUrl: external.url });
    expect(repository.status).toBe(201);
    repositoryId = repository.body.id;
    const [stage] = await database.db.select().from(stages).limit(1);
    const [cluster] = await database.db.select().from(clusters).limit(1);
    const environment = await api(first, 'POST', '/api/v1/environments', { projectId, name: 'dev', stageId: stage!.id, clusterId: cluster!.id, cpuMillicores: 500, memoryMiB: 512 });
    expect(environment.status).toBe(201);

    const ids = await startRunsOn(first, 'kill');
    const second = await replica('second');
    await stillTestingOn(first, ids);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    const rows = await expectAllCertifiedOnce(ids, 'kill');
    console.log(`scale-out: ${ids.length} runs of a killed worker certified by another in ${Math.round((Date.now() - killedAt) / 1000)} s (attempts ${rows.map((r) => r.attempt).join(', ')})`);
    expect(second.child.exitCode).toBe(null);
  }, 420_000);

  it('certifies every run of a worker stopped with SIGTERM (rolling upgrade) on a new worker', async () => {
    const second = started[1]!;
    const ids = await startRunsOn(second, 'term');
    const third = await replica('third');
    await stillTestingOn(second, ids);
    const stoppedAt = Date.now();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await expectAllCertifiedOnce(ids, 'term');
    console.log(`scale-out: ${ids.length} runs of a worker stopped with SIGTERM certified by a new one in ${Math.round((Date.now() - stoppedAt) / 1000)} s`);
    expect(third.child.exitCode).toBe(null);
  }, 420_000);

  it('serves clones of the repository and of the GitOps repository from a replica that never had them', async () => {
    const apiOnly = await replica('api-only', { DSO_WORKERS: 'false' });
    const host = new URL(apiOnly.baseUrl).host;
    const work = fs.mkdtempSync(path.join(tmpdir(), 'dso-scale-clone-'));
    folders.push(work);
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
    const auth = `x:${adminToken}@${host}`;
    execFileSync('git', ['clone', '--quiet', `http://${auth}/git/${projectSlug}/app.git`, path.join(work, 'app')], { env });
    expect(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: path.join(work, 'app'), env, encoding: 'utf8' }).trim()).toMatch(/^term \d$/);
    execFileSync('git', ['clone', '--quiet', `http://${auth}/git/_platform/gitops.git`, path.join(work, 'gitops')], { env });
    const files = execFileSync('git', ['ls-files'], { cwd: path.join(work, 'gitops'), env, encoding: 'utf8' });
    expect(files).toContain(`projects/${projectSlug}/dev/`);
    // The certified revisions' runs are visible too: nothing of the API depends on the replica's folder.
    const listed = await api(apiOnly, 'GET', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs?limit=20`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.filter((r: { status: string }) => r.status === 'certified')).toHaveLength(2 * runsPerWorker);
    const [gitopsRows] = (await database.database.rawQuery<{ n: number }>("SELECT count(*)::int AS n FROM git_snapshots WHERE repository_key = '_platform/gitops.git'")).rows;
    expect(gitopsRows!.n).toBeGreaterThan(0);
  }, 180_000);
});
