// npm run bench:start — cold start of `dso start` (exactly as `npm start` runs it) to /readyz = 200, on an empty
// and on an existing data folder, and the idle RSS of the process; then the SIGTERM stop time.
// Options: --runs N (default 3), --idle-seconds S (default 5), --first-ever (empty template cache: measures the
// very first start on a machine, which builds the migrated PGlite template).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startConsole, waitForReady } from '../test/support/process.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const runs = option('--runs', 3);
const idleSeconds = option('--idle-seconds', 5);
const firstEver = process.argv.includes('--first-ever');

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU time (user + system) the process used so far: on a machine shared with other work, the wall-clock
 * start time mostly measures the others; the CPU time is what the start itself costs. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Math.round((ticks * 1000) / 100);
}

interface Measure {
  readyMs: number;
  readyCpuMs: number;
  idleRssMiB: number;
  stopMs: number;
}

async function startOnce(dataDir: string, templateDir: string | undefined): Promise<Measure> {
  const port = await freePort();
  const started = startConsole({
    PORT: String(port),
    DSO_DATA_DIR: dataDir,
    DSO_LOG_LEVEL: 'warn',
    ...(templateDir ? { DSO_PGLITE_TEMPLATE_DIR: templateDir } : {}),
  });
  const readyMs = await waitForReady(started, 120_000);
  const readyCpuMs = cpuMs(started.child.pid!);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const idleRssMiB = rssMiB(started.child.pid!);
  const t0 = performance.now();
  started.child.kill('SIGTERM');
  await started.exited;
  return { readyMs: Math.round(readyMs), readyCpuMs, idleRssMiB, stopMs: Math.round(performance.now() - t0) };
}

const results: { run: number; empty: Measure; existing: Measure }[] = [];
for (let run = 1; run <= runs; run++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-bench-start-'));
  const templateDir = firstEver ? fs.mkdtempSync(path.join(os.tmpdir(), 'dso-bench-template-')) : undefined;
  const empty = await startOnce(dataDir, templateDir);
  const existing = await startOnce(dataDir, templateDir);
  results.push({ run, empty, existing });
  process.stdout.write(
    `run ${run}: empty folder ready in ${empty.readyMs} ms (CPU ${empty.readyCpuMs} ms, idle RSS ${empty.idleRssMiB} MiB, stop ${empty.stopMs} ms); ` +
      `existing folder ready in ${existing.readyMs} ms (CPU ${existing.readyCpuMs} ms, idle RSS ${existing.idleRssMiB} MiB, stop ${existing.stopMs} ms)\n`,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (templateDir) fs.rmSync(templateDir, { recursive: true, force: true });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const summary = {
  machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0], node: process.version },
  firstEver,
  runs,
  medianEmptyReadyMs: median(results.map((r) => r.empty.readyMs)),
  medianExistingReadyMs: median(results.map((r) => r.existing.readyMs)),
  medianEmptyReadyCpuMs: median(results.map((r) => r.empty.readyCpuMs)),
  medianExistingReadyCpuMs: median(results.map((r) => r.existing.readyCpuMs)),
  medianIdleRssMiB: median(results.flatMap((r) => [r.empty.idleRssMiB, r.existing.idleRssMiB])),
  maxStopMs: Math.max(...results.flatMap((r) => [r.empty.stopMs, r.existing.stopMs])),
  targets: { emptyReadyMs: 8000, existingReadyMs: 3000, idleRssMiB: 400, stopMs: 10000 },
  results,
};
fs.mkdirSync(path.join(import.meta.dirname, 'out'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'out', 'start.json'), `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(
  `\nmedian: empty ${summary.medianEmptyReadyMs} ms (target ≤ 8000), existing ${summary.medianExistingReadyMs} ms (target ≤ 3000), ` +
    `CPU to ready: empty ${summary.medianEmptyReadyCpuMs} ms, existing ${summary.medianExistingReadyCpuMs} ms; idle RSS ${summary.medianIdleRssMiB} MiB (target ≤ 400), slowest stop ${summary.maxStopMs} ms (≤ 10000); load average ${(summary.machine.loadAverage1m ?? 0).toFixed(1)} on ${summary.machine.cpus} CPUs\n`,
);
