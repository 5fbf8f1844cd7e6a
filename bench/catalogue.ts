// `npm run bench:catalogue [-- --versions N]` (part 1 of issue 17's benchmark): importing and checking chart versions
// into the component catalogue, as an administrator's import or a source pull does it — read the archive under
// limits, render with the bundled helm, run the Kubernetes and secrets checks, store archive, verdict and findings
// in the database (embedded PGlite in a temporary folder, or PostgreSQL with DATABASE_URL). The charts are what
// `helm create` generates (deployment, service, ingress, autoscaler, service account, test hook), one version each,
// packaged before timing starts. Reports the time per version (median, 90th percentile, worst) and the load average;
// run it on a quiet machine for figures worth quoting.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.ts';
import { locateRenderer } from '../src/integrations/renderers/index.ts';
import { packChartFolder } from '../src/component-catalogue/pack.ts';
import { importChartArchive } from '../src/component-catalogue/store.ts';

const { values } = parseArgs({ options: { versions: { type: 'string', default: '50' } } });
const count = Number(values.versions);

const helm = await locateRenderer('helm');
if ('missing' in helm) {
  console.log(`cannot bench the catalogue: ${helm.missing}`);
  process.exit(1);
}
const root = mkdtempSync(join(tmpdir(), 'dso-bench-catalogue-'));
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(root, 'data') });
try {
  const chartDir = join(root, 'web-app');
  execFileSync(helm.path, ['create', chartDir], { env: { PATH: '/usr/bin:/bin', HOME: root }, stdio: 'ignore' });
  const chartYaml = readFileSync(join(chartDir, 'Chart.yaml'), 'utf8');
  const archives: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    writeFileSync(join(chartDir, 'Chart.yaml'), chartYaml.replace(/^name: .*$/m, 'name: bench-web-app').replace(/^version: .*$/m, `version: 1.${Math.floor(i / 10)}.${i % 10}`));
    archives.push(packChartFolder(chartDir, 'bench-web-app'));
  }
  // One warm-up import outside the figures: the first render verifies the bundled binary and probes the sandbox.
  writeFileSync(join(chartDir, 'Chart.yaml'), chartYaml.replace(/^name: .*$/m, 'name: bench-warm-up'));
  await importChartArchive(database.db, packChartFolder(chartDir, 'bench-warm-up'));

  console.log(`${count} chart versions (helm create), ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; load average before ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const times: number[] = [];
  const verdicts: Record<string, number> = {};
  const started = performance.now();
  for (const archive of archives) {
    const t = performance.now();
    const result = await importChartArchive(database.db, archive);
    times.push(performance.now() - t);
    verdicts[result.version.verdict] = (verdicts[result.version.verdict] ?? 0) + 1;
  }
  const total = (performance.now() - started) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  console.log(`per version: median ${at(0.5)} ms, p90 ${at(0.9)} ms, worst ${sorted.at(-1)!.toFixed(0)} ms; total ${total.toFixed(1)} s (${(count / total).toFixed(2)} versions/s)`);
  console.log(`verdicts: ${Object.entries(verdicts).map(([v, n]) => `${v} ${n}`).join(', ')}; load average after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await database.close();
  rmSync(root, { recursive: true, force: true });
}
