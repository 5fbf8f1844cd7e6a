// Durability of runs against the real server: `dso start` (node bin/dso.mjs start, as `npm start` runs it) on an
// existing data folder is killed with SIGKILL at random moments while runs started through its HTTP API go through
// their steps, and restarted on the same folder, ten times. Afterwards every run has reached a terminal state
// (resumed at its step, or failed after its last attempt), no revision was certified twice, and the API answers.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/db/client.ts';
import { certifiedRevisions, repositories, runs } from '../src/db/schema.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { createPerson, createProject, type TestActor } from './support/api-fixtures.ts';
import { startExternalRepository, terminal, type ExternalRepository } from './support/chain.ts';
import { freePort, startConsole, waitForReady, type StartedConsole } from './support/process.ts';

const kills = 10;
const revisions = 3;

describe('chain runs survive kill -9 of the server', () => {
  let external: ExternalRepository;
  let dataDir: string;
  let env: Record<string, string>;
  let server: StartedConsole | undefined;
  let owner: TestActor;
  let runsUrl: string;
  const commits: string[] = [];

  const start = async (): Promise<StartedConsole> => {
    const port = await freePort();
    server = startConsole({ ...env, PORT: String(port), DSO_PUBLIC_URL: `http://127.0.0.1:${port}` });
    await waitForReady(server, 60_000);
    return server;
  };
  const kill9 = async () => {
    server!.child.kill('SIGKILL');
    await server!.exited;
  };
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server!.baseUrl}${url}`, {
      method,
      headers: { authorization: owner.authorization!, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    external = await startExternalRepository({
      'hello.txt': 'bonjour\n',
      Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
      'server.js': "// serves /healthz and /metrics\nrequire('prom-client');\n",
      '.dso.yml': 'version: 1\ntest:\n  command: sleep 0.3 && echo ok\n',
    });
    // Distinct revisions, one run each: "certified twice" then means two certifications of one revision.
    for (let i = 0; i < revisions; i++) commits.push(external.commit({ 'version.txt': `${i}\n` }, `revision ${i}`));
    dataDir = fs.mkdtempSync(path.join(tmpdir(), 'dso-crash-'));
    env = {
      DSO_DATA_DIR: dataDir,
      DSO_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      DSO_ADMIN_TOKEN: 'crash-admin-token-0123456789abcdefghij',
      DSO_LOG_LEVEL: 'warn',
      DSO_WEB_DIR: path.join(dataDir, 'no-web'),
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_RUN_STALE_SECONDS: '1',
      DSO_RUN_RETRY_DELAY_SECONDS: '0',
      DSO_RUN_MAX_ATTEMPTS: '20',
      DSO_RUN_CONCURRENCY: '3',
      DSO_RUN_PROJECT_LIMIT: '3',
    };
    // An existing data folder: the team, its project and repository are there before the server starts.
    const database = await openDatabase({ dataDir });
    await seedReferenceData(database.db);
    owner = await createPerson(database.db, 'owner');
    const project = await createProject(database.db, 'crash', owner.userId!);
    const [repo] = await database.db.insert(repositories).values({ projectId: project.id, name: 'app', externalUrl: external.url }).returning();
    runsUrl = `/api/v1/projects/${project.id}/repositories/${repo!.id}/runs`;
    await database.close();
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await kill9();
    await external?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`every run reaches a terminal state after ${kills} kills of the server, no revision certified twice`, async () => {
    const runIds: string[] = [];
    const startedAt = Date.now();
    for (let i = 0; i < kills; i++) {
      await start();
      // Runs are started through the API of a server that is killed soon after.
      if (i < revisions) {
        const started = await api('POST', runsUrl, { revision: commits[i] });
        expect(started.status).toBe(202);
        runIds.push(started.body.id);
      }
      // Somewhere in the steps (a run takes a few seconds on this machine).
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1500));
      await kill9();
    }

    await start();
    const rows = await vi.waitFor(async () => {
      const seen: any[] = await Promise.all(runIds.map(async (id) => (await api('GET', `/api/v1/runs/${id}`)).body));
      expect(seen.filter((r) => !terminal.has(r.status)).map((r) => `${r.id} ${r.status} ${r.currentStep}`)).toEqual([]);
      return seen;
    }, { timeout: 60_000, interval: 300 });
    expect(rows.map((r) => r.status)).toContain('certified');
    // The API still answers after all this.
    expect((await fetch(`${server!.baseUrl}/readyz`)).status).toBe(200);
    const listed = await api('GET', `${runsUrl}?limit=20`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: any) => r.id).sort()).toEqual([...runIds].sort());

    // Stopped politely, then the database itself: at most one certification per revision, and only of certified runs.
    server!.child.kill('SIGTERM');
    await server!.exited;
    const database = await openDatabase({ dataDir });
    try {
      const certified = await database.db.select().from(certifiedRevisions);
      const perRevision = new Map<string, number>();
      for (const c of certified) perRevision.set(`${c.repositoryId} ${c.commitSha}`, (perRevision.get(`${c.repositoryId} ${c.commitSha}`) ?? 0) + 1);
      expect([...perRevision.values()].filter((n) => n > 1)).toEqual([]);
      const stored = await database.db.select().from(runs);
      for (const r of stored) expect(r.status === 'certified').toBe(certified.some((c) => c.runId === r.id));
      console.log(`crash test: ${kills} kills of the server in ${Math.round((Date.now() - startedAt) / 1000)} s; runs ${stored.map((r) => `${r.status}(attempt ${r.attempt})`).join(', ')}`);
    } finally {
      await database.close();
    }
  }, 300_000);
});
