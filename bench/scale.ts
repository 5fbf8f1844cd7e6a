// Scale-out benchmark (npm run bench:scale; needs PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, a server URL on
// which it creates and drops its own database).
// Two worker processes (`dso start`, as `npm start` runs it) with separate data folders, as pods with an emptyDir
// have, share one database:
// 1. BENCH_RUNS (20) concurrent runs of distinct revisions: time until all are terminal, and how they spread.
// 2. The same again, and one worker is killed with kill -9 while it runs some of them: recovery time, from the kill
//    until the other worker has taken every interrupted run back (target ≤ DSO_RUN_STALE_SECONDS + 10 s), and time
//    until all are terminal. Every run must be certified, each revision once.
// The team's repository is served by git http-backend from its own process (bench/support/forge.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startForgeProcess } from './support/forge-process.ts';

const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.error('bench:scale needs PostgreSQL: set DATABASE_URL=postgres://… (a database is created and dropped on it)');
  process.exit(2);
}
const runsPerPhase = Number(process.env.BENCH_RUNS ?? 20);
const staleSeconds = Number(process.env.BENCH_STALE_SECONDS ?? 10);
const adminToken = `bench-scale-${randomBytes(16).toString('hex')}`;
const root = fileURLToPath(new URL('..', import.meta.url));

interface Worker {
  name: string;
  child: ChildProcess;
  baseUrl: string;
  dataDir: string;
  exited: Promise<unknown>;
}

async function startWorker(name: string, databaseUrl: string): Promise<Worker> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `dso-bench-scale-${name}-`));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [path.join(root, 'bin/dso.mjs'), 'start'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: databaseUrl,
      DSO_DATA_DIR: dataDir,
      PORT: String(port),
      DSO_HOST: '127.0.0.1',
      DSO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      DSO_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      DSO_ADMIN_TOKEN: adminToken,
      DSO_LOG_LEVEL: 'warn',
      DSO_WEB_DIR: path.join(dataDir, 'none'),
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_RUN_STALE_SECONDS: String(staleSeconds),
      DSO_RUN_RETRY_DELAY_SECONDS: '0',
      DSO_RUN_MAX_ATTEMPTS: '10',
      // Each worker can run the whole global allowance, so a survivor has room for what a dead one held.
      DSO_RUN_CONCURRENCY: '8',
      DSO_RUN_GLOBAL_LIMIT: '8',
      DSO_RUN_PROJECT_LIMIT: '8',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`worker ${name} stopped (${child.exitCode})`);
    try {
      if ((await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200) return { name, child, baseUrl, dataDir, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`worker ${name} not ready`);
}

async function main(): Promise<void> {
  const name = `dso_bench_scale_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const forge = await startForgeProcess({
    'hello.txt': 'bonjour\n',
    Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
    'server.js': "// serves /healthz and /metrics\nrequire('prom-client');\n",
    '.dso.yml': 'version: 1\ntest:\n  command: sleep 3 && echo ok\n',
  });
  const workers: Worker[] = [];
  try {
    workers.push(await startWorker('a', databaseUrl), await startWorker('b', databaseUrl));
    const [a, b] = workers as [Worker, Worker];
    const api = async (method: string, target: string, body?: unknown, via: Worker = a) => {
      const res = await fetch(`${via.baseUrl}${target}`, { method, headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const me = await db.query<{ id: string }>(`INSERT INTO users (subject, email, display_name) VALUES ('bench-owner', 'owner@bench.local', 'Owner') RETURNING id`);
    const project = await api('POST', '/api/v1/projects', { slug: 'scale', name: 'Scale', ownerId: me.rows[0]!.id });
    if (project.status !== 201) throw new Error(`project: ${JSON.stringify(project.body)}`);
    const repository = await api('POST', '/api/v1/repositories', { projectId: project.body.id, name: 'app', externalUrl: forge.url });
    if (repository.status !== 201) throw new Error(`repository: ${JSON.stringify(repository.body)}`);
    const runsUrl = `/api/v1/projects/${project.body.id}/repositories/${repository.body.id}/runs`;
    let revision = 0;
    const newRevision = () => forge.commit({ 'version.txt': `${++revision}\n` });

    const trigger = async (): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < runsPerPhase; i++) {
        const sha = await newRevision();
        const started = await api('POST', runsUrl, { revision: sha });
        if (started.status !== 202) throw new Error(`run: ${JSON.stringify(started.body)}`);
        ids.push(started.body.id);
      }
      return ids;
    };
    const states = async (ids: string[]) => (await db.query<{ id: string; status: string; owner: string | null }>('SELECT id, status, owner FROM runs WHERE id = ANY($1)', [ids])).rows;
    const untilTerminal = async (ids: string[]) => {
      for (;;) {
        const rows = await states(ids);
        if (rows.every((r) => ['certified', 'rejected', 'failed', 'cancelled'].includes(r.status))) return rows;
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    // 1. Twenty runs over two workers.
    let t0 = performance.now();
    const first = await trigger();
    await untilTerminal(first);
    const phase1 = (performance.now() - t0) / 1000;
    const certified1 = (await states(first)).filter((r) => r.status === 'certified').length;
    console.log(`1. ${runsPerPhase} concurrent runs over 2 workers (separate data folders): all terminal in ${phase1.toFixed(1)} s, ${certified1} certified`);

    // 2. Kill -9 of a worker in the middle.
    t0 = performance.now();
    const second = await trigger();
    const apid = `:${a.child.pid}:`;
    for (;;) {
      const rows = await states(second);
      if (rows.filter((r) => r.status === 'running' && r.owner?.includes(apid)).length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const interrupted = (await states(second)).filter((r) => r.status === 'running' && r.owner?.includes(apid)).map((r) => r.id);
    const killedAt = performance.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const bpid = `:${b.child.pid}:`;
    // Released: no interrupted run is held by the dead worker any more (the survivor noticed the silence).
    // Recovered: every interrupted run runs again on the survivor (or already ended there).
    let released = 0;
    let recovery = 0;
    for (;;) {
      const rows = await states(interrupted);
      if (!released && rows.every((r) => !r.owner?.includes(apid))) released = (performance.now() - killedAt) / 1000;
      if (rows.every((r) => (r.status === 'running' && r.owner?.includes(bpid)) || ['certified', 'rejected', 'failed', 'cancelled'].includes(r.status))) {
        recovery = (performance.now() - killedAt) / 1000;
        released ||= recovery;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows = await untilTerminal(second);
    const phase2 = (performance.now() - t0) / 1000;
    const certified2 = rows.filter((r) => r.status === 'certified').length;
    const duplicates = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT commit_sha FROM certified_revisions GROUP BY commit_sha HAVING count(*) > 1) d')).rows[0]!.n;
    console.log(
      `2. kill -9 of a worker running ${interrupted.length} of ${runsPerPhase} runs: released ${released.toFixed(1)} s after the kill, all running again on the other worker after ${recovery.toFixed(1)} s ` +
        `(target ≤ ${staleSeconds + 10} s: stale timeout ${staleSeconds} s + 10 s); all terminal in ${phase2.toFixed(1)} s, ${certified2} certified, ${duplicates} revision certified twice`,
    );
    if (certified1 !== runsPerPhase || certified2 !== runsPerPhase || duplicates > 0 || recovery > staleSeconds + 10)
      process.exitCode = 1;
  } finally {
    for (const w of workers) {
      if (w.child.exitCode === null && w.child.signalCode === null) {
        w.child.kill('SIGTERM');
        await w.exited;
      }
      rmSync(w.dataDir, { recursive: true, force: true });
    }
    await forge.stop();
    await db.end();
    const dropper = new pg.Client({ connectionString: serverUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  }
}

await main();
