// `npm run bench:large-inputs [-- --files N] [--packages N] [--runs N]`: how long `dso check` takes on inputs far
// larger than the unit suites use — a tree of N small files (default 100,001) listed and scanned on worker threads,
// and large npm and pnpm lockfiles parsed with their line numbers. These used to be wall-clock assertions inside the
// unit suites, where a loaded machine made them flaky and every `npm test` paid for them; the suites now check the
// same behaviour on small inputs, and this script measures the large ones. It also checks the results are right
// (files counted, the planted secret found, the last package's line), so a fast wrong answer is not a good figure.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configurationChecker } from '../src/checks/configuration/checker.ts';
import { manifestKind } from '../src/checks/dependencies/parsers/index.ts';
import { runChecks } from '../src/checks/engine.ts';
import { secretsChecker } from '../src/checks/secrets/checker.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '100000' },
    packages: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '1' },
  },
});
const fileCount = Number(values.files);
const packageCount = Number(values.packages);
const runs = Number(values.runs);
const token = ['ghp', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'].join('_');

function fail(message: string): never {
  process.stderr.write(`bench:large-inputs: ${message}\n`);
  process.exit(1);
}

async function tree(): Promise<number[]> {
  // Memory-backed when available: creating and deleting 100,000 files on a busy disk would dominate otherwise.
  const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'dso-bench-tree-'));
  try {
    const perFolder = 1000;
    for (let d = 0; d * perFolder < fileCount; d++) {
      mkdirSync(join(root, `m${d}`));
      for (let f = 0; f < perFolder && d * perFolder + f < fileCount; f++) writeFileSync(join(root, `m${d}`, `f${f}.ts`), 'export const n = 1;\n');
    }
    writeFileSync(join(root, 'm0', 'leak.ts'), `const t = "${token}";\n`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const report = await runChecks({
        root,
        options: { checkers: [secretsChecker, configurationChecker], workers: 2 },
      });
      times.push(performance.now() - started);
      if (report.summary.filesScanned !== fileCount + 1) fail(`scanned ${report.summary.filesScanned} files, expected ${fileCount + 1}`);
      const found = report.findings.map((f) => `${f.ruleId} ${f.location.file}`);
      if (found.join() !== 'secrets.github-token m0/leak.ts') fail(`unexpected findings: ${found.join(', ')}`);
    }
    return times;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function lockfiles(): number[] {
  const packages: Record<string, unknown> = { '': { name: 'big' } };
  for (let i = 0; i < packageCount; i++) packages[`node_modules/@scope${i % 50}/pkg-${i}`] = { version: `1.${i % 10}.0` };
  const npm = JSON.stringify({ lockfileVersion: 3, packages }, null, 2);
  const pnpmCount = Math.max(1, Math.round(packageCount / 5));
  const pnpm = ["lockfileVersion: '9.0'", '', 'packages:', ''];
  for (let i = 0; i < pnpmCount; i++) pnpm.push(`  '@scope${i % 50}/pkg-${i}@1.0.${i}':`, '    resolution: {integrity: sha512-x}', '');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const a = manifestKind('package-lock.json')!.parse('package-lock.json', npm);
    const b = manifestKind('pnpm-lock.yaml')!.parse('pnpm-lock.yaml', `${pnpm.join('\n')}\n`);
    times.push(performance.now() - started);
    if (a.components.length !== packageCount || b.components.length !== pnpmCount) fail(`read ${a.components.length} npm and ${b.components.length} pnpm packages`);
    if (b.components[pnpmCount - 1]?.line !== 5 + 3 * (pnpmCount - 1)) fail('wrong line for the last pnpm package');
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

process.stdout.write(`load average before: ${load()}\n`);
const treeTimes = await tree();
process.stdout.write(`tree of ${fileCount + 1} files, listed and scanned (secrets + configuration; 2 workers allowed, used above 8 MB of text): median ${(median(treeTimes) / 1000).toFixed(2)} s over ${runs} run(s)\n`);
const lockTimes = lockfiles();
process.stdout.write(`npm lockfile of ${packageCount} packages + pnpm lockfile of ${Math.round(packageCount / 5)}: median ${median(lockTimes).toFixed(0)} ms over ${runs} run(s)\n`);
process.stdout.write(`load average after: ${load()}\n`);
