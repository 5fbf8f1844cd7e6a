// npm run bench:api — API latency against the bare SQL it runs, on PostgreSQL with 10,000 projects and
// 30,000 environments. Same run, same concurrency (50): autocannon (loopback, in a worker thread) on
// GET /api/v1/projects (keyset pages) and GET /api/v1/projects/{id}, then 50 concurrent pg clients running the same
// queries. Target: API p99 ≤ 3 × bare SQL p99.
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): server where a dedicated database
//   `dso_bench_api` is (re)created. BENCH_SECONDS (default 10) per measurement. BENCH_TOKEN=pat uses a platform-admin
//   personal access token (one more query per request) instead of the bootstrap admin token.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { composeSystem } from '../src/api/compose.ts';
import { generateToken } from '../src/api/auth/tokens.ts';
import { projectList } from '../src/api/prepared-queries.ts';
import { projects } from '../src/db/schema.ts';
import { and, asc, eq, gt } from 'drizzle-orm';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 50;
const pageSize = 50;
const dbName = 'dso_bench_api';
const adminToken = 'bench-admin-token-0123456789abcdef';

interface Figures {
  p50: number;
  p99: number;
  rps: number;
}

async function recreateDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

async function seed(url: string): Promise<{ patToken: string }> {
  const database = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 2 });
  await seedReferenceData(database.db);
  const q = database.rawQuery;
  const [owner] = (await q<{ id: string }>(`insert into users (kind, subject, email, display_name, admin_roles) values ('human', 'bench|admin', 'admin@bench.local', 'Bench admin', '{platform-admin}') returning id`)).rows;
  const pat = generateToken('pat');
  await q(`insert into access_tokens (user_id, name, token_hash, prefix, expires_at) values ($1, 'bench', $2, $3, now() + interval '1 day')`, [owner!.id, pat.hash, pat.prefix]);
  const started = performance.now();
  await q(
    `insert into projects (slug, name, description, owner_id, data_sensitivity, status, generation, observed_generation)
     select 'bench-' || lpad(g::text, 5, '0'), 'Projet de mesure ' || g, 'Description du projet ' || g, $1,
            (array['public','internal','sensitive'])[1 + g % 3], 'ready', 1, 1
     from generate_series(1, 10000) g`,
    [owner!.id],
  );
  await q(`insert into members (project_id, user_id, role) select id, $1, 'owner' from projects`, [owner!.id]);
  await q(
    `insert into environments (project_id, name, stage_id, cluster_id, cpu_millicores, memory_mib, status, generation, observed_generation)
     select p.id, s.slug, s.id, c.id, 100, 128, 'ready', 1, 1 from projects p cross join stages s cross join (select id from clusters limit 1) c`,
  );
  // Three conformity points per project (58 requirement states each), as after a few days of sweeps…
  await q(
    `insert into conformity_snapshots (project_id, evaluated_at, catalogue_version, digest, snapshot)
     select p.id, now() - (d || ' days')::interval, 'cct-v1', md5(p.id::text || d),
            jsonb_build_object(
              'P', jsonb_build_object('ratio', 0.4 + d / 10.0), 'I', jsonb_build_object('ratio', 0.2),
              'states', (select jsonb_object_agg('EX' || r, (array['satisfied','not-satisfied','awaiting-attestation','derogated'])[1 + (r + d) % 4]) from generate_series(1, 58) r))
     from projects p cross join generate_series(0, 2) d`,
  );
  // …and the current conformity each evaluation keeps beside them, with the summary the lists read.
  await q(
    `insert into conformity_current (project_id, catalogue_version, digest, evaluated_at, summary)
     select p.id, 'cct-v1', md5(p.id::text), now(),
            jsonb_build_object('scores', jsonb_build_object('P', 0.4, 'I', 0.2),
              'counts', jsonb_build_object('satisfied', 15, 'not-satisfied', 15, 'derogated', 14, 'awaiting-attestation', 14, 'not-applicable', 0))
     from projects p`,
  );
  await q('analyze');
  const counts = (await q<{ p: number; e: number; c: number }>(`select (select count(*) from projects)::int p, (select count(*) from environments)::int e, (select count(*) from conformity_snapshots)::int c`)).rows[0]!;
  console.log(`seeded ${counts.p} projects, ${counts.e} environments and ${counts.c} conformity points in ${Math.round(performance.now() - started)} ms`);
  await database.close();
  return { patToken: pat.token };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** 50 concurrent clients, each running `next()`'s query back to back for `seconds`. */
async function bareSql(url: string, next: () => { name: string; text: string; values: unknown[] }): Promise<Figures> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  // Warm the pool so connection set-up is not measured.
  await Promise.all(Array.from({ length: connections }, () => pool.query('select 1')));
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const query = next();
        const t0 = performance.now();
        await pool.query(query);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: latencies.length / seconds };
}

async function http(baseUrl: string, token: string, paths: string[]): Promise<Figures> {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    workers: 1,
    headers: { authorization: `Bearer ${token}` },
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  if (result.non2xx > 0 || result.errors > 0) console.warn(`  warning: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

const fmt = (f: Figures) => `p50 ${f.p50.toFixed(2).padStart(7)} ms   p99 ${f.p99.toFixed(2).padStart(7)} ms   ${Math.round(f.rps).toString().padStart(6)} req/s`;

async function main(): Promise<void> {
  const url = await recreateDatabase();
  const { patToken } = await seed(url);
  const token = process.env.BENCH_TOKEN === 'pat' ? patToken : adminToken;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DSO_DATA_DIR: dataDir,
    DSO_LOG_LEVEL: 'silent',
    DSO_ADMIN_TOKEN: adminToken,
    DSO_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    DSO_WORKERS: 'false',
    DSO_WEB_DIR: path.join(dataDir, 'none'),
    PORT: '0',
    DSO_HOST: '127.0.0.1',
  });
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: connections });
  const system = await composeSystem(config, { database });
  const baseUrl = await system.listen();

  // The pages a user walks through (first 40 pages), and 2,000 project ids spread over the table.
  const boundaries = (await database.rawQuery<{ slug: string }>(`select slug from projects where archived = false order by slug limit 40 * ${pageSize}`)).rows
    .filter((_, i) => (i + 1) % pageSize === 0)
    .map((r) => r.slug);
  const cursors = [undefined, ...boundaries.slice(0, 39).map((slug) => Buffer.from(JSON.stringify([slug])).toString('base64url'))];
  const ids = (await database.rawQuery<{ id: string }>(`select id from projects order by random() limit 2000`)).rows.map((r) => r.id);

  const listPaths = cursors.map((c) => `/api/v1/projects?limit=${pageSize}${c ? `&cursor=${c}` : ''}`);
  const detailPaths = ids.map((id) => `/api/v1/projects/${id}`);
  // The queries the routes run (src/api/prepared-queries.ts: the list joins each project's latest conformity
  // point), their SQL taken from the same builders, as named prepared statements too: the baseline is the
  // cheapest round trip pg can do for the same work.
  const firstPage = projectList(database.db)
    .where(eq(projects.archived, false))
    .orderBy(asc(projects.slug))
    .limit(pageSize + 1)
    .toSQL();
  const afterSlug = '\u0000after';
  const afterPage = projectList(database.db)
    .where(and(eq(projects.archived, false), gt(projects.slug, afterSlug)))
    .orderBy(asc(projects.slug))
    .limit(pageSize + 1)
    .toSQL();
  let i = 0;
  const listSql = () => {
    const slug = boundaries[i++ % boundaries.length];
    return i % 40 === 0 || !slug
      ? { name: 'first', text: firstPage.sql, values: firstPage.params }
      : { name: 'after', text: afterPage.sql, values: afterPage.params.map((v) => (v === afterSlug ? slug : v)) };
  };
  const detailSql = () => ({ name: 'by-id', text: `select * from projects where id = $1 limit $2`, values: [ids[i++ % ids.length], 1] });

  // Warm-up: JIT, pool, plan cache.
  await http(baseUrl, token, listPaths.slice(0, 3)).catch(() => undefined);

  console.log(`\n${connections} connections, ${seconds} s each, token: ${token === adminToken ? 'DSO_ADMIN_TOKEN' : 'platform-admin PAT'}`);
  const rows: [string, Figures, Figures][] = [];
  const listApi = await http(baseUrl, token, listPaths);
  const listBare = await bareSql(url, listSql);
  rows.push([`GET /api/v1/projects?limit=${pageSize}`, listApi, listBare]);
  const detailApi = await http(baseUrl, token, detailPaths);
  const detailBare = await bareSql(url, detailSql);
  rows.push(['GET /api/v1/projects/{id}', detailApi, detailBare]);
  for (const [name, api, bare] of rows) {
    const ratio = api.p99 / bare.p99;
    console.log(`\n${name}\n  API       ${fmt(api)}\n  bare SQL  ${fmt(bare)}\n  p99 ratio ${ratio.toFixed(2)}× (target ≤ 3×) ${ratio <= 3 ? 'OK' : 'ABOVE TARGET'}`);
  }
  await system.stop();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
