// Benchmark of the advisory database (npm run bench:advisories [-- <runs>]):
//  1. import of a 50,000-record OSV zip in osv.dev's export layout (generated here, four ecosystems), each import
//     in a fresh process so that its peak memory (max RSS) is its own — targets < 30 s and < 500 MB;
//  2. matching a 2,000-package npm lockfile against that database as `dso check` does it (parse, look up, match) —
//     target < 1 s.
// Several runs each; print the load average with the numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { importAdvisories } from '../src/checks/advisories/import.ts';
import { openAdvisoryDatabase } from '../src/checks/advisories/store.ts';
import { matchComponents } from '../src/checks/dependencies/checker.ts';
import { parseNpmLock } from '../src/checks/dependencies/parsers/npm-lock.ts';

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

function writeZip(file: string): void {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  for (let i = 0; i < records; i++) {
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
  process.stdout.write(JSON.stringify({ ms, records: report.recordsImported, maxRssKb: process.resourceUsage().maxRSS, ecosystems: Object.keys(report.ecosystems) }));
  process.exit(0);
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
} finally {
  rmSync(work, { recursive: true, force: true });
}
