// `helm template` over a chart of the repository: its values.yaml, then the values files asked for, then the values
// given. Dependencies vendored under charts/ are used as they are; local (file://) ones are assembled offline; remote
// ones are fetched only from the platform's chart repository, and without one the chart is not evaluated.
import { copyFile, cp, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { locateRenderer } from './binaries.ts';
import type { ChartRenderRequest, RenderedManifest, RenderFailure, RenderResult } from './model.ts';
import { bubblewrapUsable, runRenderer, type RendererRun } from './run-renderer.ts';

export const renderLimits = { timeoutMs: 60_000, maxOutputBytes: 32 * 1024 * 1024 } as const;

interface Dependency {
  name: string;
  repository: string;
}

/** The dependencies a chart declares (Chart.yaml for apiVersion v2, requirements.yaml for v1). */
async function dependenciesOf(chartDir: string): Promise<{ dependencies: Dependency[]; declaredIn: 'Chart.yaml' | 'requirements.yaml' }> {
  for (const file of ['Chart.yaml', 'requirements.yaml'] as const) {
    let text: string;
    try {
      text = await readFile(path.join(chartDir, file), 'utf8');
    } catch {
      continue;
    }
    const value: unknown = parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 50 });
    const list = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).dependencies : undefined;
    if (!Array.isArray(list) || list.length === 0) continue;
    const dependencies = list
      .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null && typeof (d as Record<string, unknown>).name === 'string')
      .map((d) => ({ name: String(d.name), repository: typeof d.repository === 'string' ? d.repository : '' }));
    return { dependencies, declaredIn: file };
  }
  return { dependencies: [], declaredIn: 'Chart.yaml' };
}

/** Names of the charts vendored under charts/ (folders with a Chart.yaml, or packaged .tgz archives). */
async function vendoredCharts(chartDir: string): Promise<{ folders: Set<string>; archives: string[] }> {
  const folders = new Set<string>();
  const archives: string[] = [];
  try {
    for (const entry of await readdir(path.join(chartDir, 'charts'), { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(path.join(chartDir, 'charts', entry.name, 'Chart.yaml'))) folders.add(entry.name);
      else if (entry.isFile() && entry.name.endsWith('.tgz')) archives.push(entry.name);
    }
  } catch {
    // No charts/ folder.
  }
  return { folders, archives };
}

const isVendored = (dependency: Dependency, vendored: { folders: Set<string>; archives: string[] }): boolean =>
  vendored.folders.has(dependency.name) || vendored.archives.some((a) => a.startsWith(`${dependency.name}-`) && /^\d/.test(a.slice(dependency.name.length + 1)));

const isInside = (folder: string, candidate: string): boolean =>
  candidate === folder || candidate.startsWith(folder + path.sep);

const isLocal = (repository: string): boolean => repository === '' || repository.startsWith('file://');

/** The renderer's error, without its noise: from its first `Error:` line on, hints left out, bounded. */
export function failureDetail(run: RendererRun, fallback: string): string {
  if (run.startError) return run.startError;
  if (run.timedOut) return fallback;
  const lines = run.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Use --debug/.test(l));
  const first = lines.findIndex((l) => /^error\b/i.test(l));
  const text = lines.slice(Math.max(0, first)).join(' ').replace(/^Error:\s*/i, '');
  return (text || fallback).slice(0, 600);
}

/** Splits `helm template` output into documents, each tied to the chart-relative template named by its `# Source:`. */
export function splitHelmOutput(output: string): RenderedManifest[] {
  const manifests: RenderedManifest[] = [];
  for (const text of output.split(/^---[ \t]*$/m)) {
    if (text.trim() === '') continue;
    const named = /^# Source: (.+)$/m.exec(text)?.[1]?.trim();
    // `<chart name>/templates/x.yaml`: the first segment is the chart's name, not a folder.
    const source = named === undefined || !named.includes('/') ? undefined : named.slice(named.indexOf('/') + 1);
    manifests.push({ source, text });
  }
  return manifests;
}

export async function renderChart(request: ChartRenderRequest): Promise<RenderResult> {
  const fail = (code: RenderFailure['code'], detail: string): RenderResult => ({ error: { code, renderer: 'helm', detail } });
  const helm = await locateRenderer('helm');
  if ('missing' in helm) return fail('renderer-missing', helm.missing);

  const work = await mkdtemp(path.join(tmpdir(), 'dso-chart-'));
  try {
    let chartDir = request.chartDir;
    if (request.boundary !== undefined && !bubblewrapUsable()) {
      // No sandbox to hide the machine: render a copy without the links that lead out of the repository.
      chartDir = path.join(work, 'confined');
      await copyInside(request.chartDir, chartDir, await realpath(request.boundary));
    }
    const { dependencies, declaredIn } = await dependenciesOf(chartDir);
    const vendored = await vendoredCharts(chartDir);
    const missing = dependencies.filter((d) => !isVendored(d, vendored));
    if (missing.length > 0) {
      const remote = missing.filter((d) => !isLocal(d.repository));
      if (remote.length > 0 && !request.chartRepository) {
        return {
          error: {
            code: 'remote-dependency',
            renderer: 'helm',
            detail: `dependencies ${remote.map((d) => `${d.name} (${d.repository.slice(0, 200)})`).join(', ')} are neither vendored under charts/ nor available: no platform chart repository is configured`,
            dependencies: remote.map((d) => ({ name: d.name.slice(0, 100), repository: d.repository.slice(0, 200) })),
          },
        };
      }
      const outside = missing.filter((d) => d.repository.startsWith('file://') && request.boundary !== undefined
        && !isInside(request.boundary, path.resolve(request.chartDir, d.repository.slice('file://'.length))));
      if (outside.length > 0) {
        return fail('dependency-failed', `local dependencies ${outside.map((d) => `${d.name} (${d.repository.slice(0, 200)})`).join(', ')} point outside the repository`);
      }
      // Assemble the dependencies in a copy: the repository's own tree is never written to.
      const copy = path.join(work, 'chart');
      await cp(chartDir, copy, { recursive: true, verbatimSymlinks: true, dereference: false });
      chartDir = copy;
      await pointDependencies(chartDir, declaredIn, request.chartDir, request.chartRepository);
      const args = ['dependency', 'update', chartDir];
      if (remote.length === 0) args.push('--skip-refresh');
      // Local dependencies are read where they are (inside the repository); the copy is written.
      const update = await runRenderer(helm.path, args, {
        cwd: work,
        ...renderLimits,
        network: remote.length > 0,
        readable: [request.boundary ?? request.chartDir],
        signal: request.signal,
      });
      if (!update.ok) {
        return fail(update.timedOut ? 'timeout' : 'dependency-failed', failureDetail(update, `helm dependency update did not finish within ${renderLimits.timeoutMs / 1000} s`));
      }
    }

    const args = ['template', request.releaseName ?? 'release', chartDir, '--namespace', request.namespace ?? 'default'];
    for (const file of request.valuesFiles ?? []) args.push('--values', file);
    if (request.values && Object.keys(request.values).length > 0) {
      const file = path.join(work, 'values.json');
      await writeFile(file, JSON.stringify(request.values));
      args.push('--values', file);
    }
    const readable = [
      request.boundary ?? request.chartDir,
      ...(request.valuesFiles ?? []).filter((f) => request.boundary === undefined || !isInside(request.boundary, f)),
    ];
    const run = await runRenderer(helm.path, args, { cwd: work, ...renderLimits, readable, signal: request.signal });
    if (run.outputTooLarge) return fail('output-too-large', `the chart renders more than ${renderLimits.maxOutputBytes / 1024 / 1024} MiB of manifests`);
    if (run.timedOut) return fail('timeout', `helm template did not finish within ${renderLimits.timeoutMs / 1000} s`);
    if (!run.ok) return fail('render-failed', failureDetail(run, 'helm template failed'));
    return { manifests: splitHelmOutput(run.stdout) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Rewrites, in the copy, local dependency paths to absolute ones (they were relative to the original folder) and
 * remote repositories to the platform's chart repository, the only remote source allowed.
 */
async function pointDependencies(
  copyDir: string,
  file: string,
  originalDir: string,
  chartRepository: string | undefined,
): Promise<void> {
  const target = path.join(copyDir, file);
  const document = parseDocument(await readFile(target, 'utf8'), { uniqueKeys: false });
  const value = document.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  const list = Array.isArray(value.dependencies) ? value.dependencies : [];
  for (const dependency of list as Record<string, unknown>[]) {
    if (typeof dependency !== 'object' || dependency === null) continue;
    const repository = typeof dependency.repository === 'string' ? dependency.repository : '';
    if (repository.startsWith('file://'))
      dependency.repository = `file://${path.resolve(originalDir, repository.slice('file://'.length))}`;
    else if (repository !== '' && chartRepository) dependency.repository = chartRepository;
  }
  await writeFile(target, stringify(value));
}

/** Copies a folder, following only the symbolic links that resolve inside `boundary` (others are left out). */
async function copyInside(source: string, target: string, boundary: string, depth = 0): Promise<void> {
  if (depth > 32) return;
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    let real = from;
    if (entry.isSymbolicLink()) {
      try {
        real = await realpath(from);
      } catch {
        continue; // dangling
      }
      if (!isInside(boundary, real)) continue;
    }
    const info = entry.isSymbolicLink() ? await stat(real) : await lstat(from);
    if (info.isDirectory()) await copyInside(real, to, boundary, depth + 1);
    else if (info.isFile()) await copyFile(real, to);
  }
}
