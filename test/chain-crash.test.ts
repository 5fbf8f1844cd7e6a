// Durability of runs: the process executing them is killed with SIGKILL at random moments while runs go through
// their steps, then restarted, ten times. Afterwards every run has reached a terminal state (resumed at its step,
// or failed after its last attempt) and no run was certified twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { certifiedRevisions, repositories, runs } from '../src/db/schema.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { createRun } from '../src/chain/triggers.ts';
import { createPerson, createProject } from './support/api-fixtures.ts';
import { startExternalRepository, terminal, type ExternalRepository } from './support/chain.ts';
import { repoRoot } from './support/process.ts';

const kills = 10;

function startWorker(env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/support/chain-worker.ts')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error(`chain worker exited: ${err.slice(-2000)}`)));
  });
  return { child, ready, exited };
}

describe('chain runs survive kill -9', () => {
  let external: ExternalRepository;
  let env: Record<string, string>;
  let worker: ReturnType<typeof startWorker> | undefined;
  const runIds: string[] = [];

  beforeAll(async () => {
    external = await startExternalRepository({
      'hello.txt': 'bonjour\n',
      Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
      'server.js': "// serves /healthz and /metrics\nrequire('prom-client');\n",
      '.dso.yml': 'version: 1\ntest:\n  command: sleep 0.3 && echo ok\n',
    });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dso-crash-'));
    env = {
      DSO_DATA_DIR: dataDir,
      DSO_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_RUN_STALE_SECONDS: '1',
      DSO_RUN_RETRY_DELAY_SECONDS: '0',
      DSO_RUN_MAX_ATTEMPTS: '20',
      DSO_RUN_CONCURRENCY: '3',
      DSO_RUN_PROJECT_LIMIT: '3',
    };
    // Runs asked for before the first start (the worker then owns the data folder).
    const database = await openDatabase({ dataDir });
    await seedReferenceData(database.db);
    const owner = await createPerson(database.db, 'owner');
    const project = await createProject(database.db, 'crash', owner.userId!);
    const [repo] = await database.db.insert(repositories).values({ projectId: project.id, name: 'app', externalUrl: external.url }).returning();
    for (let i = 0; i < 3; i++) runIds.push((await createRun(database.db, loadConfig(env), { projectId: project.id, repositoryId: repo!.id, trigger: 'api' })).id);
    await database.close();
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await external?.stop();
  });

  it(`every run reaches a terminal state after ${kills} kills, none certified twice`, async () => {
    for (let i = 0; i < kills; i++) {
      worker = startWorker(env);
      await worker.ready;
      // Somewhere in the middle of the steps (a run takes a few seconds in all).
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1500));
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    worker = startWorker(env);
    await worker.ready;
    let database: Database | undefined;
    // Let the last worker finish everything, then read the outcome.
    const deadline = Date.now() + 120_000;
    for (;;) {
      worker.child.kill('SIGTERM');
      await worker.exited;
      database = await openDatabase({ dataDir: env.DSO_DATA_DIR! });
      const rows = await database.db.select().from(runs);
      if (rows.every((r) => terminal.has(r.status)) || Date.now() > deadline) break;
      await database.close();
      database = undefined;
      worker = startWorker(env);
      await worker.ready;
      await new Promise((r) => setTimeout(r, 4000));
    }
    try {
      const rows = await database.db.select().from(runs);
      expect(rows.filter((r) => !terminal.has(r.status)).map((r) => `${r.id} ${r.status} ${r.currentStep}`)).toEqual([]);
      expect(rows.map((r) => r.status)).toContain('certified');
      const certified = await database.db.select().from(certifiedRevisions);
      const perRun = new Map<string, number>();
      for (const c of certified) perRun.set(c.runId, (perRun.get(c.runId) ?? 0) + 1);
      expect([...perRun.values()].every((n) => n === 1)).toBe(true);
      for (const r of rows) expect(r.status === 'certified').toBe(perRun.has(r.id));
      console.log(`crash test: ${kills} kills; runs ${rows.map((r) => `${r.status}(attempt ${r.attempt})`).join(', ')}`);
    } finally {
      await database.close();
    }
  }, 300_000);
});
