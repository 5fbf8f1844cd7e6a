// Sandbox cost (npm run bench:sandbox): the test step of the reference run (`echo "1 test, 0 échec"` on the
// 204-file reference tree) executed by the bubblewrap executor and by a plain host process (DSO_SANDBOX=none),
// alternately, so both see the same machine load. Reports the median of each, the added time per run, and that
// added time against the reference run's wall time (bench:chain) — target ≤ 10 %.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { bubblewrapAvailable, bubblewrapExecutor } from '../src/chain/sandbox/bubblewrap.ts';
import { hostProcessExecutor } from '../src/chain/sandbox/host-process.ts';
import type { TestExecutor } from '../src/chain/sandbox/run-tests.ts';

const rounds = Number(process.env.BENCH_RUNS ?? 20);
const referenceRunMs = Number(process.env.BENCH_REFERENCE_RUN_MS ?? 0);

const available = bubblewrapAvailable();
if (!available.ok) throw new Error(`bubblewrap cannot start here: ${available.reason}`);
const tree = mkdtempSync(path.join(tmpdir(), 'dso-bench-sandbox-'));
mkdirSync(path.join(tree, 'src'));
writeFileSync(path.join(tree, '.dso.yml'), 'version: 1\ntest:\n  command: echo "1 test, 0 échec"\n');
for (let i = 0; i < 200; i++) writeFileSync(path.join(tree, 'src', `module-${i}.js`), `export const value${i} = ${i};\n`.repeat(20));

const limits = { cpuSeconds: 60, wallSeconds: 60, memoryBytes: 4 * 1024 ** 3, outputBytes: 64 * 1024 };
async function once(executor: TestExecutor): Promise<number> {
  const started = performance.now();
  const r = await executor.run({ command: 'echo "1 test, 0 échec"', tree, limits });
  await r.dispose();
  if (r.outcome !== 'passed') throw new Error(`${executor.kind}: ${r.outcome} ${r.output}`);
  return performance.now() - started;
}

const executors = { bubblewrap: bubblewrapExecutor(), none: hostProcessExecutor };
const times: Record<keyof typeof executors, number[]> = { bubblewrap: [], none: [] };
await once(executors.bubblewrap);
await once(executors.none);
for (let i = 0; i < rounds; i++) {
  for (const kind of (i % 2 ? ['none', 'bubblewrap'] : ['bubblewrap', 'none']) as (keyof typeof executors)[]) times[kind].push(await once(executors[kind]));
}
rmSync(tree, { recursive: true, force: true });
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const added = median(times.bubblewrap) - median(times.none);
console.log(`test step of the reference run, ${rounds} rounds each (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
console.log(`  bubblewrap: median ${median(times.bubblewrap).toFixed(0)} ms; host process (DSO_SANDBOX=none): median ${median(times.none).toFixed(0)} ms`);
console.log(`  added by the sandbox: ${added.toFixed(0)} ms per test command`);
if (referenceRunMs > 0) console.log(`  against a ${referenceRunMs} ms reference run: ${((100 * added) / referenceRunMs).toFixed(1)} % (target ≤ 10 %)`);
process.exit(0);
