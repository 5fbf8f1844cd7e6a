// Benchmark of the advisory database (npm run bench:advisories [-- <runs>]):
//  1. import of a 50,000-record OSV zip in osv.dev's export layout (generated here, four ecosystems), each import
//     in a fresh process so that its peak memory (max RSS) is its own — targets < 30 s and < 500 MB;
//  2. matching a 2,000-package npm lockfile against that database as `dso check` does it (parse, look up, match) —
//     target < 1 s;
//  3. the server's sync (DSO_ADVISORIES_URL) of the same 50,000 records from a mirror in osv.dev's layout on loopback
//     (one all.zip and modified_id.csv per ecosystem), in a fresh process: the first sync (exports), then an
//     incremental one after 200 records changed (modified_id.csv, then only those records) — same targets as 1.
// Several runs each; print the load average with the numbers.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { importAdvisories } from '../src/checks/advisories/import.ts';
import { openAdvisoryDatabase } from '../src/checks/advisories/store.ts';
import { matchComponents } from '../src/checks/dependencies/checker.ts';
import { parseNpmLock } from '../src/checks/dependencies/parsers/npm-lock.ts';
import { syncAdvisories } from '../src/integrations/advisories/osv-mirror-sync.ts';

const records = 50_000;
const packages = 2_000;
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 3);
const ecosystems = ['npm', 'PyPI', 'Go', 'Maven'] as const;

/** One record as osv.dev writes them: aliases, CVSS, ranges, a `versions` list, details. */
function record(i: number): object {
  const ecosystem = ecosystems[i % ecosystems.length]!;
  const name = ecosystem === 'Maven' ? `org.bench:pkg-${i % 9000}` : ecosystem === 'Go' ? `example.org/bench/pkg-${i % 9000}` : `pkg-${i % 9000}`;
  return {
    schema_version: '1.6.0',
    id: `BENCH-${ecosystem}-${i}`,
    modified: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    published: '2023-06-01T00:00:00Z',
    aliases: [`CVE-2023-${10000 + i}`, `GHSA-bnch-${(i % 10000).toString().padStart(4, '0')}-xxxx`],
    summary: `Synthetic advisory ${i} for ${name}`,
    details: 'A long description, as real records carry. '.repeat(20),
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: ecosystem === 'npm' || ecosystem === 'Go' ? 'SEMVER' : 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${1 + (i % 7)}.${i % 13}.0` }] }],
        versions: Array.from({ length: 1 + (i % 20) }, (_, k) => `${k % 7}.${k}.0`),
        database_specific: { severity: 'HIGH' },
      },
    ],
    references: [{ type: 'ADVISORY', url: `https://example.org/advisories/${i}` }],
  };
}

function writeZip(file: string, only?: string): void {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  for (let i = 0; i < records; i++) {
    if (only && ecosystems[i % ecosystems.length] !== only) continue;
    const r = record(i) as { id: string };
    const entry = new ZipDeflate(`${r.id}.json`, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(JSON.stringify(r)), true);
  }
  zip.end();
  writeFileSync(file, Buffer.concat(chunks));
}

function lockfile(): string {
  const entries: Record<string, object> = { '': { name: 'bench', dependencies: {} } };
  for (let i = 0; i < packages; i++) entries[`node_modules/pkg-${i * 4}`] = { version: `${i % 9}.${i % 11}.${i % 5}`, resolved: `https://registry.npmjs.org/pkg-${i * 4}/-/x.tgz` };
  return JSON.stringify({ name: 'bench', lockfileVersion: 3, packages: entries }, null, 2);
}

// Child mode: one import, then print its duration and this process's peak memory.
if (process.argv[2] === '--import-child') {
  const started = performance.now();
  const report = await importAdvisories(process.argv[3]!, { dataDir: process.argv[4]! });
  const ms = performance.now() - started;
  process.stdout.write(
    JSON.stringify({
      ms,
      records: report.recordsImported,
      maxRssKb: process.resourceUsage().maxRSS,
      ecosystems: Object.keys(report.ecosystems),
    }),
  );
  process.exit(0);
}

// Child mode: one sync of every ecosystem from a mirror folder served on loopback, then its duration and peak memory.
if (process.argv[2] === '--sync-child') {
  const mirror = process.argv[3]!;
  const server = createServer((req, res) => {
    const file = path.join(mirror, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (!file.startsWith(mirror) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': statSync(file).size, 'last-modified': statSync(file).mtime.toUTCString() });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const started = performance.now();
  const state = await syncAdvisories({ dataDir: process.argv[4]!, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ecosystems });
  const ms = performance.now() - started;
  server.close();
  const results = Object.fromEntries(
    ecosystems.map((e) => [e, state.ecosystems[e]?.error?.message ?? state.ecosystems[e]?.lastResult]),
  );
  process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, results }));
  process.exit(0);
}

/** The mirror: per ecosystem all.zip and modified_id.csv (`changed` records get a newer date and a <id>.json). */
function writeMirror(dir: string, changed: ReadonlySet<number>): void {
  for (const ecosystem of ecosystems) {
    mkdirSync(path.join(dir, ecosystem), { recursive: true });
    if (!existsSync(path.join(dir, ecosystem, 'all.zip'))) writeZip(path.join(dir, ecosystem, 'all.zip'), ecosystem);
    const lines: string[] = [];
    for (let i = 0; i < records; i++) {
      if (ecosystems[i % ecosystems.length] !== ecosystem) continue;
      const r = record(i) as { id: string; modified: string };
      if (changed.has(i)) {
        r.modified = '2026-12-01T00:00:00.000Z';
        writeFileSync(path.join(dir, ecosystem, `${r.id}.json`), JSON.stringify(r));
      }
      lines.push(`${r.modified},${r.id}`);
    }
    writeFileSync(path.join(dir, ecosystem, 'modified_id.csv'), `${lines.join('\n')}\n`);
  }
}

function syncRun(label: string, mirror: string, dataDir: string): void {
  const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--sync-child', mirror, dataDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(out) as { ms: number; maxRssKb: number; results: Record<string, unknown> };
  const summary = Object.entries(r.results).map(([e, res]) => `${e} ${typeof res === 'string' ? `error ${res}` : `${(res as { via: string }).via} +${(res as { added: number }).added} ~${(res as { updated: number }).updated} -${(res as { removed: number }).removed}`}`).join(', ');
  process.stdout.write(`${label}: ${records} records in ${(r.ms / 1000).toFixed(1)} s, peak memory ${(r.maxRssKb / 1024).toFixed(0)} MB (${summary}); load ${loadavg()[0]!.toFixed(2)}\n`);
}

const work = mkdtempSync(path.join(tmpdir(), 'dso-bench-advisories-'));
try {
  const zipFile = path.join(work, 'all.zip');
  const generated = performance.now();
  writeZip(zipFile);
  process.stdout.write(`generated a ${records}-record OSV zip in ${((performance.now() - generated) / 1000).toFixed(1)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  for (let run = 1; run <= runs; run++) {
    const dataDir = path.join(work, `data-${run}`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--import-child', zipFile, dataDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out) as { ms: number; records: number; maxRssKb: number };
    process.stdout.write(`import run ${run}: ${r.records} records in ${(r.ms / 1000).toFixed(1)} s, peak memory ${(r.maxRssKb / 1024).toFixed(0)} MB (targets < 30 s, < 500 MB); load ${loadavg()[0]!.toFixed(2)}\n`);
  }
  const lock = lockfile();
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const { components } = parseNpmLock('package-lock.json', lock);
    const db = await openAdvisoryDatabase(path.join(work, 'data-1'));
    const findings = matchComponents(components, db);
    db.close();
    process.stdout.write(`match run ${run}: ${components.length} packages, ${findings.length} findings in ${(performance.now() - started).toFixed(0)} ms (target < 1,000 ms)\n`);
  }
  const mirror = path.join(work, 'mirror');
  writeMirror(mirror, new Set());
  syncRun('server sync, first (exports)', mirror, path.join(work, 'synced'));
  writeMirror(mirror, new Set(Array.from({ length: 200 }, (_, k) => k * 250)));
  syncRun('server sync, 200 records changed (incremental)', mirror, path.join(work, 'synced'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
