// Benchmark of the advisory database: import of the real shared data set and of a synthetic
// osv.dev-sized export (zip), then lookups as a `dso check` does them.
// Run: node --import tsx bench/advisories.ts [shared advisories folder]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { matchingEntries } from '../src/checks/advisories/affected.ts';
import { importAdvisories } from '../src/checks/advisories/import.ts';
import { openAdvisoryDatabase } from '../src/checks/advisories/store.ts';

const shared = process.argv[2] ?? path.resolve('../shared/data/advisories');
const work = mkdtempSync(path.join(tmpdir(), 'dso-bench-advisories-'));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function lookups(dataDir: string, names: string[], ecosystem: string, version: string): Promise<string> {
  const started = performance.now();
  const db = await openAdvisoryDatabase(dataDir);
  let records = 0;
  let affected = 0;
  for (const name of names) {
    for (const r of db.lookup(ecosystem, name)) {
      records++;
      if (matchingEntries(r, ecosystem, name, version).length) affected++;
    }
  }
  db.close();
  return `${names.length} lookups+matches (${records} records, ${affected} affected) in ${(performance.now() - started).toFixed(1)} ms`;
}

async function syntheticZip(file: string, count: number): Promise<void> {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  for (let i = 0; i < count; i++) {
    const record = {
      id: `GHSA-bench-${i}`,
      modified: '2024-01-01T00:00:00Z',
      aliases: [`CVE-2024-${i}`],
      summary: `Synthetic advisory ${i}`,
      details: 'x'.repeat(600),
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
      affected: [{ package: { ecosystem: 'npm', name: `pkg-${i % 40000}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `${i % 7}.${i % 13}.0` }] }] }],
    };
    const entry = new ZipDeflate(`GHSA-bench-${i}.json`, { level: 1 });
    zip.add(entry);
    entry.push(strToU8(JSON.stringify(record)), true);
  }
  zip.end();
  writeFileSync(file, Buffer.concat(chunks));
}

try {
  for (let run = 1; run <= 3; run++) {
    const dataDir = path.join(work, `shared-${run}`);
    const report = await importAdvisories(shared, { dataDir });
    const names = ['lxml', 'django', 'requests', 'jinja2', 'pyyaml', 'flask', 'pillow', 'urllib3', 'numpy', 'not-a-package'];
    process.stdout.write(
      `shared data, run ${run}: import ${report.recordsImported} records from ${report.filesRead} files in ${report.durationMs} ms; ` +
        `${await lookups(dataDir, names, 'PyPI', '1.0')}; rss ${mb(process.memoryUsage().rss)}\n`,
    );
  }
  const zipFile = path.join(work, 'npm.zip');
  const count = 60_000;
  await syntheticZip(zipFile, count);
  const started = performance.now();
  const report = await importAdvisories(zipFile, { dataDir: path.join(work, 'big') });
  process.stdout.write(`synthetic zip: import ${report.recordsImported} records in ${(performance.now() - started).toFixed(0)} ms; rss ${mb(process.memoryUsage().rss)}\n`);
  for (let run = 1; run <= 3; run++) {
    const names = Array.from({ length: 1000 }, (_, i) => `pkg-${i * 37}`);
    process.stdout.write(`synthetic zip, run ${run}: ${await lookups(path.join(work, 'big'), names, 'npm', '1.0.0')}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
