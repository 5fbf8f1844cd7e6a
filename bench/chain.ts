// Chain benchmark (npm run bench:chain).
// 1. Orchestration overhead: on a reference repository (tests, checks, image build when buildah is installed),
//    run time minus the sum of the steps' own work, for sequential runs (target ≤ 5 % of the run time).
// 2. Twenty concurrent runs: all must complete; API p99 latency (autocannon on GET run list and run detail)
//    while they execute, against the idle p99 (target ≤ 2×).
// Embedded setup: PGlite (or PostgreSQL with DATABASE_URL), embedded OCI layout registry, the reference repository
// served by git http-backend from its own process (bench/support/forge.ts), as a forge would. BENCH_TOPOLOGY=split
// (PostgreSQL) runs the workers in a second process; BENCH_WORKERS runs executing at once per process (default:
// the product's own default, DSO_RUN_CONCURRENCY). BENCH_SANDBOX=none runs the test commands and builds without the
// bubblewrap sandbox (DSO_SANDBOX=none), to measure what the sandbox costs; BENCH_CONCURRENT=0 skips part 2.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startForgeProcess } from './support/forge-process.ts';
import { createPerson, createProject } from '../test/support/api-fixtures.ts';
import { terminal } from '../test/support/chain.ts';
import { createTestSystem } from '../test/support/server.ts';

const sequentialRuns = Number(process.env.BENCH_RUNS ?? 5);
const concurrentRuns = Number(process.env.BENCH_CONCURRENT ?? 20);

/** `dso start` on the same database with workers on, at a lower CPU priority (docs/deployment.md): the process that
 * executes the runs in the split topology. */
async function startWorkerProcess(
  databaseUrl: string,
  settings: Record<string, string>,
): Promise<{ stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dso-bench-worker-'));
  const child = spawn(
    'nice',
    ['-n', '10', process.execPath, fileURLToPath(new URL('../bin/dso.mjs', import.meta.url)), 'start'],
    {
      env: {
        ...process.env,
        ...settings,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        DSO_DATA_DIR: dataDir,
        DSO_WORKERS: 'true',
        PORT: '0',
        DSO_HOST: '127.0.0.1',
        DSO_LOG_LEVEL: 'warn',
        DSO_WEB_DIR: path.join(dataDir, 'none'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  // Ready when its reconcile queue and chain workers have started: give it the time a start takes.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  if (child.exitCode !== null) throw new Error(`the worker process stopped (${child.exitCode})`);
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const external = await startForgeProcess({
    'hello.txt': 'bonjour\n',
    Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
    'server.js': "// serves /healthz and /metrics (prom-client)\nrequire('prom-client');\n",
    '.dso.yml': 'version: 1\ntest:\n  command: echo "1 test, 0 échec"\n',
    ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`src/module-${i}.js`, `export const value${i} = ${i};\n`.repeat(20)])),
  });
  // DATABASE_URL names the PostgreSQL server; the run gets its own fresh database there (test/support/db.ts).
  if (process.env.DATABASE_URL) process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL;
  // BENCH_TOPOLOGY=split (PostgreSQL only): the API process runs no workers (DSO_WORKERS=false) and a second
  // process (`dso start`) executes the runs, as a production deployment with API replicas would.
  const split = process.env.BENCH_TOPOLOGY === 'split';
  if (split && !process.env.DATABASE_URL) throw new Error('BENCH_TOPOLOGY=split needs DATABASE_URL (PostgreSQL).');
  const chainSettings = {
    DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
    ...(process.env.BENCH_WORKERS ? { DSO_RUN_CONCURRENCY: process.env.BENCH_WORKERS } : {}),
    DSO_RUN_GLOBAL_LIMIT: '50',
    DSO_RUN_PROJECT_LIMIT: '50',
    ...(process.env.BENCH_SANDBOX ? { DSO_SANDBOX: process.env.BENCH_SANDBOX } : {}),
  };
  const system = await createTestSystem(process.env.DATABASE_URL ? 'postgres' : 'pglite', { ...chainSettings, ...(split ? { DSO_WORKERS: 'false' } : {}) });
  const workerProcess = split ? await startWorkerProcess(system.testDatabase.url!, { ...chainSettings, DSO_ENCRYPTION_KEY: system.services.config.encryptionKey?.toString('base64') ?? '' }) : undefined;
  console.log(`sandbox of test commands and image builds: ${system.services.config.chain.sandbox.mode}`);
  console.log(`topology: ${split ? 'API process without workers + a worker process (dso start)' : 'one process (API and workers)'}, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, ${system.services.config.chain.concurrency} runs executing at once per process`);
  const base = await system.listen();
  const db = system.services.db;
  const owner = await createPerson(db, 'bench');
  const project = await createProject(db, 'bench-chain', owner.userId!);
  const headers = { authorization: owner.authorization!, 'content-type': 'application/json' };
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as any;
  };
  const repo = await api('POST', '/api/v1/repositories', { projectId: project.id, name: 'reference', externalUrl: external.url });
  const runsUrl = `/api/v1/projects/${project.id}/repositories/${repo.id}/runs`;
  const waitAll = async (ids: string[]) => {
    for (;;) {
      const runs = await Promise.all(ids.map((id) => api('GET', `/api/v1/runs/${id}`)));
      if (runs.every((r) => terminal.has(r.status))) return runs;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  console.log(`Orchestration overhead (${sequentialRuns} sequential runs of a ${200 + 4}-file repository)`);
  const overheads: number[] = [];
  const walls: number[] = [];
  const sandboxed: number[] = [];
  for (let i = 0; i < sequentialRuns; i++) {
    const started = await api('POST', runsUrl, { ref: 'main' });
    const [run] = await waitAll([started.id]);
    const total = new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime();
    const fromTrigger = new Date(run.finishedAt).getTime() - new Date(run.createdAt).getTime();
    const work = run.steps.reduce((sum: number, s: any) => sum + (s.workMs ?? 0), 0);
    const overhead = total - work;
    overheads.push(overhead / total);
    walls.push(total);
    sandboxed.push(run.steps.filter((s: any) => s.name === 'tests' || s.name === 'build').reduce((sum: number, s: any) => sum + (s.workMs ?? 0), 0));
    console.log(
      `  run ${i + 1}: ${run.status}, ${total} ms executing (${fromTrigger} ms from the request), steps' own work ${work} ms, overhead ${overhead} ms = ${((100 * overhead) / total).toFixed(1)} %  [${run.steps.map((s: any) => `${s.name} ${s.workMs}`).join(', ')}]`,
    );
  }
  overheads.sort((a, b) => a - b);
  console.log(`  median overhead ${(100 * overheads[Math.floor(overheads.length / 2)]!).toFixed(1)} % (target ≤ 5 %)`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`  median run wall time ${median(walls)} ms; median tests + build steps ${median(sandboxed)} ms (sandbox: ${system.services.config.chain.sandbox.mode})`);
  if (concurrentRuns === 0) {
    await system.stop();
    await workerProcess?.stop();
    await external.stop();
    return;
  }

  const probe = { url: base, connections: 4, workers: 1, headers: { authorization: owner.authorization! }, requests: [{ method: 'GET' as const, path: `${runsUrl}?limit=20` }] };
  const idle = await autocannon({ ...probe, duration: 5 });
  console.log(`\nAPI idle: p50 ${idle.latency.p50} ms, p99 ${idle.latency.p99} ms, ${Math.round(idle.requests.average)} req/s`);

  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < concurrentRuns; i++) ids.push((await api('POST', runsUrl, { ref: 'main' })).id);
  // How late the API process's event loop runs meanwhile: what the runs cost the console's own thread.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const busy = await autocannon({ ...probe, duration: 8 });
  loopDelay.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`API event loop delay during the runs: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`);
  const runs = await waitAll(ids);
  const seconds = (performance.now() - t0) / 1000;
  const counts: Record<string, number> = {};
  for (const r of runs) counts[r.status] = (counts[r.status] ?? 0) + 1;
  console.log(`${concurrentRuns} concurrent runs: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);
  console.log(`API during the runs: p50 ${busy.latency.p50} ms, p99 ${busy.latency.p99} ms, ${Math.round(busy.requests.average)} req/s; p99 ratio ${(busy.latency.p99 / idle.latency.p99).toFixed(2)}× (target ≤ 2×)`);

  await system.stop();
  await workerProcess?.stop();
  await external.stop();
}

await main();
process.exit(0);
