// Chain benchmark (npm run bench:chain).
// 1. Orchestration overhead: on a reference repository (tests, checks, image build when buildah is installed),
//    run time minus the sum of the steps' own work, for sequential runs (target ≤ 5 % of the run time).
// 2. Twenty concurrent runs: all must complete; API p99 latency (autocannon on GET run list and run detail)
//    while they execute, against the idle p99 (target ≤ 2×).
// Embedded setup: PGlite (or DATABASE_URL), embedded OCI layout registry, the reference repository served by
// its own git http-backend on 127.0.0.1.
import autocannon from 'autocannon';
import { createPerson, createProject } from '../test/support/api-fixtures.ts';
import { startExternalRepository, terminal } from '../test/support/chain.ts';
import { createTestSystem } from '../test/support/server.ts';

const sequentialRuns = Number(process.env.BENCH_RUNS ?? 5);
const concurrentRuns = Number(process.env.BENCH_CONCURRENT ?? 20);

async function main(): Promise<void> {
  const external = await startExternalRepository({
    'hello.txt': 'bonjour\n',
    Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
    'server.js': "// serves /healthz and /metrics (prom-client)\nrequire('prom-client');\n",
    '.dso.yml': 'version: 1\ntest:\n  command: echo "1 test, 0 échec"\n',
    ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`src/module-${i}.js`, `export const value${i} = ${i};\n`.repeat(20)])),
  });
  // DATABASE_URL names the PostgreSQL server; the run gets its own fresh database there (test/support/db.ts).
  if (process.env.DATABASE_URL) process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL;
  const system = await createTestSystem(process.env.DATABASE_URL ? 'postgres' : 'pglite', {
    DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
    DSO_RUN_CONCURRENCY: process.env.BENCH_WORKERS ?? '4',
    DSO_RUN_GLOBAL_LIMIT: '50',
    DSO_RUN_PROJECT_LIMIT: '50',
  });
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
  for (let i = 0; i < sequentialRuns; i++) {
    const started = await api('POST', runsUrl, { ref: 'main' });
    const [run] = await waitAll([started.id]);
    const total = new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime();
    const fromTrigger = new Date(run.finishedAt).getTime() - new Date(run.createdAt).getTime();
    const work = run.steps.reduce((sum: number, s: any) => sum + (s.workMs ?? 0), 0);
    const overhead = total - work;
    overheads.push(overhead / total);
    console.log(
      `  run ${i + 1}: ${run.status}, ${total} ms executing (${fromTrigger} ms from the request), steps' own work ${work} ms, overhead ${overhead} ms = ${((100 * overhead) / total).toFixed(1)} %  [${run.steps.map((s: any) => `${s.name} ${s.workMs}`).join(', ')}]`,
    );
  }
  overheads.sort((a, b) => a - b);
  console.log(`  median overhead ${(100 * overheads[Math.floor(overheads.length / 2)]!).toFixed(1)} % (target ≤ 5 %)`);

  const probe = { url: base, connections: 4, workers: 1, headers: { authorization: owner.authorization! }, requests: [{ method: 'GET' as const, path: `${runsUrl}?limit=20` }] };
  const idle = await autocannon({ ...probe, duration: 5 });
  console.log(`\nAPI idle: p50 ${idle.latency.p50} ms, p99 ${idle.latency.p99} ms, ${Math.round(idle.requests.average)} req/s`);

  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < concurrentRuns; i++) ids.push((await api('POST', runsUrl, { ref: 'main' })).id);
  const busy = await autocannon({ ...probe, duration: 8 });
  const runs = await waitAll(ids);
  const seconds = (performance.now() - t0) / 1000;
  const counts: Record<string, number> = {};
  for (const r of runs) counts[r.status] = (counts[r.status] ?? 0) + 1;
  console.log(`${concurrentRuns} concurrent runs: ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s`);
  console.log(`API during the runs: p50 ${busy.latency.p50} ms, p99 ${busy.latency.p99} ms, ${Math.round(busy.requests.average)} req/s; p99 ratio ${(busy.latency.p99 / idle.latency.p99).toFixed(2)}× (target ≤ 2×)`);

  await system.stop();
  await external.stop();
}

await main();
process.exit(0);
