// `npm run bench:check [-- --root <dir>] [--runs N]`: throughput and peak memory of `dso check` on a large real tree
// (default: this repository's node_modules), against secretlint 12 + preset-recommend on the same files.
// Each measurement runs in its own child process so that peak RSS (worker threads included) is its own. The children
// run this file bundled into plain JavaScript, as `dso` runs its bundle (bin/bundle.mjs): loading the TypeScript
// sources through tsx would add ~0.1 s of module loading that no user pays.
//   dso      — the whole `dso check`: every registered checker, text scans on worker threads
//   secrets  — the secrets checker alone (same engine, same workers)
//   secretlint — @secretlint/core lintSource over the same text files, one after the other (its normal mode)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Measure {
  mode: string;
  ms: number;
  /** User + system CPU time of the whole process (worker threads included). */
  cpuMs: number;
  files: number;
  bytes: number;
  maxRssMb: number;
  findings: number;
}

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '../node_modules') },
    runs: { type: 'string', default: '1' },
    mode: { type: 'string' },
    list: { type: 'string' },
  },
});
const root = resolve(values.root as string);

if (values.mode) {
  process.stdout.write(JSON.stringify(await measure(values.mode, values.list as string)));
} else {
  await main();
}

async function main(): Promise<void> {
  const { walkTree } = await import('../src/checks/walk.ts');
  const { readSource } = await import('../src/checks/worker/read-source.ts');
  // The common file list: every text file of the tree (vendored trees and fixtures included, as the bench scans
  // a dependency tree on purpose).
  const walk = walkTree(root, { includeVendored: true, includeFixtures: true, useIgnoreFiles: false });
  const textFiles: string[] = [];
  let textBytes = 0;
  for (const f of walk.files) {
    const read = readSource(join(root, f.path));
    if ('text' in read) {
      textFiles.push(f.path);
      textBytes += read.bytes;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'dso-bench-'));
  const list = join(dir, 'files.json');
  writeFileSync(list, JSON.stringify(textFiles));
  console.log(`tree ${root}: ${walk.files.length} files, ${textFiles.length} text files, ${(textBytes / 1e6).toFixed(1)} MB of text`);
  // In bench/out (ignored by git), so that the bundle's packages resolve from this repository's node_modules.
  const bundleDir = join(import.meta.dirname, 'out', `check-${process.pid}`);
  const child = await bundleOfThisFile(bundleDir);
  if (!child) console.log('(could not bundle the bench: children load the TypeScript sources through tsx)');
  const runs = Number(values.runs);
  const rows: (Measure & { run: number })[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const mode of ['dso', 'secrets', 'secretlint']) {
      const script = child ? [child] : ['--import', 'tsx', import.meta.filename];
      const out = execFileSync(process.execPath, [...script, '--mode', mode, '--root', root, '--list', list], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const m = JSON.parse(out) as Measure;
      rows.push({ ...m, run });
      const mbps = textBytes / 1e6 / (m.ms / 1000);
      console.log(
        `run ${run}  ${mode.padEnd(10)} ${(m.ms / 1000).toFixed(2).padStart(7)} s  ${mbps.toFixed(1).padStart(6)} MB/s  ${Math.round(textFiles.length / (m.ms / 1000)).toString().padStart(6)} files/s  peak RSS ${m.maxRssMb.toFixed(0).padStart(4)} MB  CPU ${(m.cpuMs / 1000).toFixed(1).padStart(6)} s (${(textBytes / 1e6 / (m.cpuMs / 1000)).toFixed(1)} MB per CPU-second)  ${m.findings} findings`,
      );
    }
  }
  const median = (mode: string, key: 'ms' | 'cpuMs') => {
    const ms = rows.filter((r) => r.mode === mode).map((r) => r[key]).sort((a, b) => a - b);
    return ms[Math.floor(ms.length / 2)] as number;
  };
  // The targets are on throughput, what a user waits for (wall time, both cores used as the issue asks). CPU time is
  // printed beside it: it shows the work per byte, and stays meaningful when the machine is shared and busy.
  for (const key of ['ms', 'cpuMs'] as const) {
    const secretlint = median('secretlint', key);
    const [secrets, dso] = [(secretlint / median('secrets', key)).toFixed(1), (secretlint / median('dso', key)).toFixed(1)];
    console.log(
      key === 'ms'
        ? `\nthroughput (wall time): secrets pass ${secrets}× secretlint's (target ≥ 3×); whole dso check ${dso}× (target > 1×)`
        : `work per byte (CPU time, no target): secrets pass ${secrets}× less than secretlint; whole dso check ${dso}× less`,
    );
  }
  console.log(`peak RSS max: ${Math.max(...rows.filter((r) => r.mode !== 'secretlint').map((r) => r.maxRssMb)).toFixed(0)} MB for dso (target < 500 MB)`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
}

/**
 * This file and the sources it imports, bundled into plain JavaScript in `outdir` (packages stay external); the path
 * of the entry, or undefined when esbuild cannot build it. What measure() imports goes into chunks of its own
 * (splitting), so that loading it, packages included, still happens inside the measured time. Each source's
 * `import.meta` locations are pinned to the source itself, so that what it finds beside itself (the scan worker's
 * entry) is found from the bundle too.
 */
async function bundleOfThisFile(outdir: string): Promise<string | undefined> {
  try {
    const esbuild = await import('esbuild');
    // Imported here, not at the top: the bench's own bundle must not start with the product bundler's main.
    const { ownLocationPlugin } = await import('../bin/bundle.mjs');
    await esbuild.build({
      entryPoints: { check: import.meta.filename },
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
      plugins: [ownLocationPlugin(outdir)],
    });
    return join(outdir, 'check.mjs');
  } catch {
    return undefined;
  }
}

async function measure(mode: string, list: string): Promise<Measure> {
  const files = JSON.parse(readFileSync(list, 'utf8')) as string[];
  const started = performance.now();
  let findings = 0;
  let bytes = 0;
  if (mode === 'secretlint') {
    const { lintSource } = await import('@secretlint/core');
    const { secretLintProfiler } = await import('@secretlint/profiler');
    const { creator } = await import('@secretlint/secretlint-rule-preset-recommend');
    // Its profiler keeps every mark and is quadratic over a long run (see DESIGN.md): switch it off.
    (secretLintProfiler as unknown as { mark: () => void }).mark = () => {};
    const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
    for (const path of files) {
      const content = readFileSync(join(root, path), 'utf8');
      bytes += content.length;
      const result = await lintSource({ source: { content, filePath: join(root, path), contentType: 'text' }, options: { config, maskSecrets: true } });
      findings += result.messages.length;
    }
  } else {
    const { runChecks } = await import('../src/checks/engine.ts');
    const { secretsChecker } = await import('../src/checks/secrets/checker.ts');
    const report = await runChecks({
      root,
      options: { includeVendored: true, includeFixtures: true, ...(mode === 'secrets' ? { checkers: [secretsChecker] } : {}) },
    });
    findings = report.findings.length;
    bytes = report.summary.bytesScanned;
  }
  const ms = performance.now() - started;
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  return { mode, ms, cpuMs, files: files.length, bytes, maxRssMb: usage.maxRSS / 1024, findings };
}
