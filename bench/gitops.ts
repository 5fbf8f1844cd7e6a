// npm run bench:gitops — GitOps reconcile at scale.
// 1. Full reconcile of 1,000 projects × 3 environments into an empty repository: render, write, size on disk.
// 2. Full reconcile again with nothing changed (must make no commit).
// 3. Incremental reconcile of one changed project (render it, applyChanges) with 10 and with 1,000 projects in the
//    repository; the ratio must stay ≤ 2, i.e. the cost does not grow with the number of projects.
// Options: BENCH_PROJECTS (default 1000), BENCH_ROUNDS (incremental rounds, default 7).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDesiredState, renderProject } from '../src/integrations/gitops/render.ts';
import { samplePlatform, sampleProject, sampleState } from '../src/integrations/gitops/sample-state.ts';
import { applyChanges, writeTree, type WriteResult } from '../src/integrations/gitops/writer.ts';
import { projectFolderOnAnyCluster } from '../src/integrations/gitops/layout.ts';
import { cpuSeconds } from './support/cpu.ts';

const projectCount = Number(process.env.BENCH_PROJECTS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const scratch = mkdtempSync(join(tmpdir(), 'dso-bench-gitops-'));

function sizeOnDisk(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.blocks * 512;
  return readdirSync(path).reduce((sum, name) => sum + sizeOnDisk(join(path, name)), stat.blocks * 512);
}


function ms(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function check(result: WriteResult, expectChange: boolean): WriteResult {
  if (!result.ok) throw new Error(result.error.message.en);
  if (result.changed !== expectChange) throw new Error(`expected changed=${expectChange}`);
  return result;
}

async function fullReconcile(repository: string, projects: number) {
  const state = sampleState(projects);
  let start = performance.now();
  let cpu = cpuSeconds();
  const rendered = renderDesiredState(state);
  const renderMs = ms(start);
  const renderCpu = cpuSeconds() - cpu;
  cpu = cpuSeconds();
  if (rendered.failures.length) throw new Error(`render failed: ${JSON.stringify(rendered.failures[0])}`);
  start = performance.now();
  const result = check(await writeTree(repository, rendered.files), true);
  const writeMs = ms(start);
  const writeCpu = cpuSeconds() - cpu;
  return {
    renderMs,
    writeMs,
    renderCpu,
    writeCpu,
    files: rendered.files.size,
    stats: result.ok && result.changed ? result.stats : null,
  };
}

/** Changes one project's quota (a different value each round) and reconciles only that project. */
async function incremental(repository: string, projects: number) {
  const times: number[] = [];
  const cpu: number[] = [];
  const reads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const index = Math.floor(projects / 2);
    const project = sampleProject(`project-${String(index).padStart(5, '0')}`, index + 1);
    project.environments[0]!.quotas.cpuMillicores = 2000 + 100 * (round + 1);
    const start = performance.now();
    const cpuStart = cpuSeconds();
    const rendered = renderProject(samplePlatform, project);
    const result = check(
      await applyChanges(repository, {
        remove: [projectFolderOnAnyCluster(project.slug)],
        upsert: [...rendered.folders].map(([path, files]) => ({ path, files })),
      }),
      true,
    );
    times.push(ms(start));
    cpu.push(Math.round((cpuSeconds() - cpuStart) * 1000));
    if (result.ok && result.changed) reads.push(result.stats.treesRead);
  }
  return { medianMs: median(times), medianCpuMs: median(cpu), times, treesRead: reads };
}

try {
  const large = join(scratch, 'large.git');
  const full = await fullReconcile(large, projectCount);
  const sizeAfterFull = sizeOnDisk(large);
  const start = performance.now();
  const noop = check(await writeTree(large, renderDesiredState(sampleState(projectCount)).files), false);
  const noopMs = ms(start);

  const small = join(scratch, 'small.git');
  await fullReconcile(small, 10);
  const at10 = await incremental(small, 10);
  const atLarge = await incremental(large, projectCount);
  const ratio = Math.round((atLarge.medianMs / at10.medianMs) * 100) / 100;
  const cpuRatio = Math.round((atLarge.medianCpuMs / Math.max(1, at10.medianCpuMs)) * 100) / 100;

  console.log(`GitOps benchmark (${projectCount} projects × 3 environments, ${full.files} files; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`  full reconcile from scratch: render ${full.renderMs} ms + write ${full.writeMs} ms = ${Math.round(full.renderMs + full.writeMs)} ms wall; CPU ${full.renderCpu.toFixed(2)} s + ${full.writeCpu.toFixed(2)} s (git included)`);
  console.log(`    objects written: ${full.stats?.blobsWritten} blobs, ${full.stats?.treesWritten} trees (${JSON.stringify(full.stats?.phasesMs)}); repository size ${(sizeAfterFull / 1024 / 1024).toFixed(1)} MiB`);
  console.log(`  full reconcile, nothing changed (render + compare, no commit): ${noopMs} ms (${noop.ok ? 'no commit' : ''})`);
  console.log(`  incremental reconcile of one project, median of ${rounds}: ${at10.medianMs} ms at 10 projects, ${atLarge.medianMs} ms at ${projectCount}`);
  console.log(`    rounds at 10: ${at10.times.join(', ')} ms; at ${projectCount}: ${atLarge.times.join(', ')} ms; trees read at ${projectCount}: ${atLarge.treesRead.join(', ')}`);
  console.log(`    CPU per incremental reconcile (median, git included): ${at10.medianCpuMs} ms at 10, ${atLarge.medianCpuMs} ms at ${projectCount} (ratio ${cpuRatio})`);
  console.log(`  ratio ${projectCount}/10: ${ratio} (target ≤ 2) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);
  console.log(
    JSON.stringify({
      projects: projectCount,
      fullRenderMs: full.renderMs,
      fullWriteMs: full.writeMs,
      fullCpuSeconds: Math.round((full.renderCpu + full.writeCpu) * 100) / 100,
      repositoryBytes: sizeAfterFull,
      noopMs,
      incremental10Ms: at10.medianMs,
      incrementalLargeMs: atLarge.medianMs,
      ratio,
      cpuRatio,
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
