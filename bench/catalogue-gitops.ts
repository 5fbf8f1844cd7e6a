// npm run bench:catalogue-gitops — part 2 of bench:catalogue (issue 17): the GitOps write for 1,000 projects with
// 3 catalogue services each (a chart in dev, an operator-managed database in staging, a chart in prod), against the
// same 1,000 projects without services (the bench:gitops workload): full reconcile into an empty repository
// (render + write), the same again with nothing changed (no commit), and the incremental reconcile of one project
// whose service is upgraded. CPU time includes git; wall times are inflated on a loaded machine.
// Options: BENCH_PROJECTS (default 1000), BENCH_ROUNDS (incremental rounds, default 5).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredState, EnvironmentService, Project } from '../src/integrations/gitops/model.ts';
import { renderDesiredState, renderProject } from '../src/integrations/gitops/render.ts';
import { sampleChartRepositoryUrl, samplePlatform, sampleProject } from '../src/integrations/gitops/sample-state.ts';
import { applyChanges, writeTree, type WriteResult } from '../src/integrations/gitops/writer.ts';
import { projectFolderOnAnyCluster } from '../src/integrations/gitops/layout.ts';
import { cpuSeconds } from './support/cpu.ts';

const projectCount = Number(process.env.BENCH_PROJECTS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const scratch = mkdtempSync(join(tmpdir(), 'dso-bench-catalogue-gitops-'));

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function check(result: WriteResult, expectChange: boolean): WriteResult {
  if (!result.ok) throw new Error(result.error.message.en);
  if (result.changed !== expectChange) throw new Error(`expected changed=${expectChange}`);
  return result;
}

/** Three services per project, one per environment; `siteVersion` lets a round upgrade the dev chart. */
function withThreeServices(project: Project, siteVersion = '1.2.0'): Project {
  const digest = `sha256:${'ab'.repeat(32)}`;
  const services: Record<string, EnvironmentService> = {
    dev: { kind: 'chart', name: 'docs', item: 'static-site', version: siteVersion, digest, chartRepositoryUrl: sampleChartRepositoryUrl, values: { replicas: 2, files: { 'index.html': `<h1>${project.slug}</h1>` } } },
    staging: {
      kind: 'operator',
      name: 'db',
      item: 'postgresql',
      version: '16.4.0',
      resources: [
        { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: { instances: 2, storage: { size: '5Gi' }, backup: { barmanObjectStore: { destinationPath: `s3://backups/${project.slug}/db` } } } },
        { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'db-daily' }, spec: { schedule: '0 0 3 * * *', cluster: { name: 'db' } } },
      ],
    },
    prod: { kind: 'chart', name: 'cache', item: 'redis', version: '7.4.1', digest, chartRepositoryUrl: sampleChartRepositoryUrl, values: { persistence: { size: '1Gi' } } },
  };
  return { ...project, environments: project.environments.map((e) => ({ ...e, services: [services[e.name]!] })) };
}

function state(projects: number, services: boolean): DesiredState {
  return {
    platform: samplePlatform,
    projects: Array.from({ length: projects }, (_, i) => {
      const project = sampleProject(`project-${String(i).padStart(5, '0')}`, i + 1);
      return services ? withThreeServices(project) : project;
    }),
  };
}

async function full(repository: string, services: boolean) {
  let start = performance.now();
  let cpu = cpuSeconds();
  const rendered = renderDesiredState(state(projectCount, services));
  if (rendered.failures.length) throw new Error(`render failed: ${JSON.stringify(rendered.failures[0])}`);
  const renderMs = ms(start);
  const renderCpu = cpuSeconds() - cpu;
  start = performance.now();
  cpu = cpuSeconds();
  check(await writeTree(repository, rendered.files), true);
  const writeMs = ms(start);
  const writeCpu = cpuSeconds() - cpu;
  start = performance.now();
  check(await writeTree(repository, renderDesiredState(state(projectCount, services)).files), false);
  return {
    files: rendered.files.size,
    renderMs,
    writeMs,
    cpu: Math.round((renderCpu + writeCpu) * 100) / 100,
    noopMs: ms(start),
  };
}

/** One project's dev service upgraded (a new version each round), reconciled alone. */
async function upgradeOne(repository: string) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const index = Math.floor(projectCount / 2);
    const project = withThreeServices(sampleProject(`project-${String(index).padStart(5, '0')}`, index + 1), `1.3.${round}`);
    const start = performance.now();
    const rendered = renderProject(samplePlatform, project);
    check(
      await applyChanges(repository, {
        remove: [projectFolderOnAnyCluster(project.slug)],
        upsert: [...rendered.folders].map(([path, files]) => ({ path, files })),
      }),
      true,
    );
    times.push(ms(start));
  }
  return { medianMs: median(times), times };
}

try {
  // Warm-up (JIT, caches) so that whichever runs first is not penalised.
  renderDesiredState(state(Math.min(200, projectCount), true));
  renderDesiredState(state(Math.min(200, projectCount), false));
  const without = await full(join(scratch, 'without.git'), false);
  const withServices = await full(join(scratch, 'with.git'), true);
  const upgrade = await upgradeOne(join(scratch, 'with.git'));
  console.log(`GitOps write with catalogue services (${projectCount} projects × 3 environments; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`  without services (bench:gitops workload): ${without.files} files, render ${without.renderMs} ms + write ${without.writeMs} ms, CPU ${without.cpu} s; no-op ${without.noopMs} ms`);
  console.log(`  with 3 services per project:              ${withServices.files} files, render ${withServices.renderMs} ms + write ${withServices.writeMs} ms, CPU ${withServices.cpu} s; no-op ${withServices.noopMs} ms`);
  console.log(`  CPU ratio with/without: ${(withServices.cpu / without.cpu).toFixed(2)}`);
  console.log(`  one project's service upgraded, incremental reconcile: median ${upgrade.medianMs} ms (${upgrade.times.join(', ')} ms)`);
  console.log(
    JSON.stringify({
      projects: projectCount,
      without,
      withServices,
      cpuRatio: Math.round((withServices.cpu / without.cpu) * 100) / 100,
      upgradeMedianMs: upgrade.medianMs,
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
