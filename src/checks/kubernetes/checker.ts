// The Kubernetes manifest checker: plain manifests as they are, Helm charts and Kustomize overlays as they render.
// Chart templates are not YAML and kustomize patches are fragments, so neither is checked alone: each chart is
// rendered with helm (its values.yaml, each ci/*-values.yaml, the values files `.dso.yml` declares), each overlay
// with kubectl kustomize, and every finding points back to the template, base or patch it comes from. What cannot
// be rendered is reported as not evaluated (`unevaluated`), which refuses certification by default (fail closed).
import type { ManifestRenderer, RenderedManifest } from '../../integrations/renderers/model.ts';
import { toolRenderer } from '../../integrations/renderers/index.ts';
import type { Checker, CheckInput, CheckerResult, Finding, Location } from '../model.ts';
import { findingOf } from '../model.ts';
import { kubernetesRuleList, kubernetesRules as rules } from './rules.ts';
import { checkManifests, type Locator } from './manifests.ts';
import { emptyManifestObservations, observeManifests, sortedObservations } from './observe.ts';
import type { ManifestObservations } from '../observations/model.ts';
import { readYamlDocuments } from './yaml-documents.ts';
import { isKustomization, normalise, usesOf, type KustomizationUse } from './kustomize.ts';
import { kubernetesSettingsOf, type KubernetesSettings } from './settings.ts';
import { chartNotEvaluated, overlayNotEvaluated } from './not-evaluated.ts';
import { unevaluatedOf, type Unevaluated } from '../unevaluated.ts';
import { lineOfPath } from './source-lines.ts';
import { isObject } from './workloads.ts';
import { say } from './messages.ts';

const yamlFile = /\.ya?ml$/i;
const jsonFile = /\.json$/i;
/** A JSON manifest names apiVersion and kind as keys; package.json, tsconfig.json and the like never do. */
const looksLikeJsonKubernetes = (text: string): boolean => /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
const isKubernetesObject = (v: unknown): boolean => isObject(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
const chartFile = /(^|\/)Chart\.ya?ml$/;
/** Cheap pre-filter so lockfiles and CI files are never parsed: a manifest names its apiVersion and kind. */
const looksLikeKubernetes = (text: string): boolean => /^\s*(- )?apiVersion\s*:/m.test(text) && /^\s*(- )?kind\s*:/m.test(text);

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, path: string): string => (dir === '' ? path : `${dir}/${path}`);
const inside = (dir: string, path: string): boolean => dir === '' || path.startsWith(`${dir}/`);
/** Charts and overlays rendered at once (each is one helm or kubectl process). */
const renderConcurrency = 4;

export interface KubernetesCheckerOptions {
  renderer?: ManifestRenderer;
}

export function createKubernetesChecker(options: KubernetesCheckerOptions = {}): Checker {
  const renderer = options.renderer ?? toolRenderer;
  return {
    name: 'kubernetes',
    rules: kubernetesRuleList,
    async check(input): Promise<CheckerResult> {
      const result: CheckerResult = { findings: [], notes: [] };
      const seen = emptyManifestObservations();
      const listed = new Set(input.files.map((f) => f.path));
      const settings = kubernetesSettingsOf(listed.has('.dso.yml') ? await input.readText('.dso.yml') : undefined);
      for (const problem of settings.problems) result.notes.push({ file: '.dso.yml', message: problem.en });

      // Charts, leaving out those vendored inside another chart's charts/ (rendered with their parent).
      const chartFiles = input.files.filter((f) => chartFile.test(f.path)).map((f) => f.path);
      const chartDirs = chartFiles.map(dirOf);
      const charts = chartFiles.filter((file) => {
        const dir = dirOf(file);
        return !chartDirs.some((other) => other !== dir && inside(join(other, 'charts'), dir));
      });
      const inChart = (path: string): boolean => chartDirs.some((dir) => inside(dir, path));
      for (const declared of settings.charts.keys()) {
        if (!chartDirs.includes(declared)) result.notes.push({ file: '.dso.yml', message: `helm.charts names ${declared || '.'}, which holds no Chart.yaml: its values files were not rendered.` });
      }

      // Kustomizations: the overlays are those no other kustomization builds on.
      const kustomizations = new Map<string, KustomizationUse>();
      for (const file of input.files) {
        if (!isKustomization(file.path) || inChart(file.path)) continue;
        const text = await input.readText(file.path);
        if (text !== undefined) kustomizations.set(file.path, usesOf(file.path, text));
      }
      const builtOn = new Set([...kustomizations.values()].flatMap((use) => use.folders));
      const overlays = [...kustomizations.keys()].filter((path) => !builtOn.has(dirOf(path)));
      const usedByKustomize = new Set([...kustomizations.values()].flatMap((use) => use.files));

      // Plain manifests (YAML, or JSON as kubectl also takes): one that cannot be read is not evaluated, never passed.
      const manifestsNotEvaluated: Unevaluated[] = [];
      let plainManifests = 0;
      for (const file of input.files) {
        const json = jsonFile.test(file.path);
        if (
          !(yamlFile.test(file.path) || json) ||
          inChart(file.path) ||
          usedByKustomize.has(file.path) ||
          isKustomization(file.path)
        )
          continue;
        const text = await input.readText(file.path);
        if (text === undefined || !(json ? looksLikeJsonKubernetes(text) : looksLikeKubernetes(text))) continue;
        if (!json && text.includes('{{')) {
          plainManifests++;
          result.notes.push({ file: file.path, message: 'Template syntax ({{ }}) found outside a Helm chart: the file was not evaluated.' });
          manifestsNotEvaluated.push(unevaluatedOf('manifest', file.path, 'manifest-unparsable', { error: 'template syntax ({{ }}) outside a Helm chart' }, { file: file.path }));
          continue;
        }
        const documents = readYamlDocuments(text);
        // A JSON file that parses but is no Kubernetes object (an OpenAPI document naming apiVersion and kind) is not
        // one.
        if (json && !documents.error && !documents.values.some(isKubernetesObject)) continue;
        plainManifests++;
        if (documents.error) {
          const location =
            documents.error.line === undefined ? { file: file.path } : { file: file.path, line: documents.error.line };
          result.findings.push(findingOf(rules.unparsable, location, say['kubernetes.unparsable'].parse({ reason: documents.error.message.slice(0, 300) }), 'parse'));
          manifestsNotEvaluated.push(unevaluatedOf('manifest', file.path, 'manifest-unparsable', { error: documents.error.message.split('\n')[0]!.slice(0, 300) }, location));
          continue;
        }
        result.findings.push(
          ...checkManifests(documents.values, file.path, documents.locate, { podSecurity: settings.podSecurity }),
        );
        observeManifests(documents.values, file.path, seen);
      }

      const jobs = [
        ...charts.map((file) => () => checkChart(input, renderer, settings, file, listed, seen)),
        ...overlays.map((file) => () => checkOverlay(input, renderer, settings, file, kustomizations, seen)),
      ];
      const unevaluated: Unevaluated[] = [];
      for (const outcome of await inParallel(jobs, renderConcurrency)) {
        result.findings.push(...outcome.findings);
        unevaluated.push(...outcome.unevaluated);
      }
      if (jobs.length > 0 || manifestsNotEvaluated.length > 0) {
        result.unevaluated = [...manifestsNotEvaluated, ...unevaluated];
        // How many charts, overlays or manifests were fully evaluated; one unit only, so mixed trees give no extent.
        const failed = new Set(unevaluated.map((u) => u.item)).size;
        if (jobs.length === 0) result.extent = { policies: { checked: plainManifests - manifestsNotEvaluated.length, total: plainManifests, unit: 'manifests' } };
        else if (manifestsNotEvaluated.length > 0) {
          // Mixed units: no extent, the list says what was not evaluated.
        } else if (overlays.length === 0) result.extent = { policies: { checked: charts.length - failed, total: charts.length, unit: 'charts' } };
        else if (charts.length === 0) result.extent = { policies: { checked: overlays.length - failed, total: overlays.length, unit: 'overlays' } };
      }
      if (seen.objects > 0) result.observations = { manifests: sortedObservations(seen) };
      return result;
    },
  };
}

export const kubernetesChecker: Checker = createKubernetesChecker();

/** Renders, in order, what each variant of a chart deploys, and checks it. */
interface Outcome {
  findings: Finding[];
  unevaluated: Unevaluated[];
}

async function checkChart(
  input: CheckInput,
  renderer: ManifestRenderer,
  settings: KubernetesSettings,
  chartPath: string,
  listed: Set<string>,
  seen: ManifestObservations,
): Promise<Outcome> {
  const chart = dirOf(chartPath);
  const absolute = (path: string): string => join(input.root, path);
  const variants: { name: string; values: string[]; namespace?: string }[] = [{ name: 'values.yaml', values: [] }];
  for (const file of [...listed].filter((p) => dirOf(p) === join(chart, 'ci') && /-values\.ya?ml$/.test(p)).sort()) {
    variants.push({ name: file.slice(chart === '' ? 0 : chart.length + 1), values: [file] });
  }
  for (const deployment of settings.charts.get(chart) ?? []) {
    variants.push({
      name: `.dso.yml: ${deployment.values.join(', ') || 'values.yaml'}`,
      values: deployment.values,
      namespace: deployment.namespace,
    });
  }

  const findings: Finding[] = [];
  const unevaluated: Unevaluated[] = [];
  const templates = new Map<string, string | undefined>();
  const localDependencies = await localDependenciesOf(input, chart, chartPath);
  /** The repository file a rendered template comes from: in the chart, or in a local (file://) dependency's folder. */
  const fileOf = (source: string | undefined): string | undefined => {
    if (source === undefined) return undefined;
    const inChart = join(chart, source);
    if (listed.has(inChart)) return inChart;
    const match = /^charts\/([^/]+)\/(.+)$/.exec(source);
    const dependency = match ? localDependencies.get(match[1]!) : undefined;
    const inDependency = dependency === undefined ? undefined : join(dependency, match![2]!);
    return inDependency !== undefined && listed.has(inDependency) ? inDependency : undefined;
  };
  for (const variant of variants) {
    const missing = variant.values.filter((file) => !listed.has(file));
    if (missing.length > 0) {
      unevaluated.push(
        chartNotEvaluated(
          chartPath,
          { code: 'render-failed', detail: `values file ${missing.join(', ')} not found in the repository` },
          variant.name,
        ),
      );
      continue;
    }
    const rendered = await renderer.renderChart({
      chartDir: absolute(chart),
      valuesFiles: variant.values.map(absolute),
      namespace: variant.namespace,
      boundary: input.root,
      chartRepository: input.options.chartRepository,
    });
    if (rendered.error) {
      unevaluated.push(chartNotEvaluated(chartPath, rendered.error, variant.name));
      continue;
    }
    for (const manifest of rendered.manifests) {
      const file = fileOf(manifest.source) ?? chartPath;
      if (file !== chartPath && !templates.has(file)) templates.set(file, await input.readText(file));
      const locate: Locator = (_index, path) => {
        const text = templates.get(file);
        const line = text === undefined ? undefined : lineOfPath(text, path)?.line;
        return line === undefined ? { file } : { file, line };
      };
      const checked = checkRendered(manifest, file, locate, settings, chartPath, seen);
      if ('error' in checked)
        unevaluated.push(chartNotEvaluated(chartPath, { code: 'render-failed', detail: checked.error }, variant.name));
      else findings.push(...checked.findings);
    }
  }
  return { findings, unevaluated };
}

/** Folders (repository-relative) of a chart's file:// dependencies, by name and alias. */
async function localDependenciesOf(input: CheckInput, chart: string, chartPath: string): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  for (const file of [chartPath, join(chart, 'requirements.yaml')]) {
    const text = await input.readText(file).catch(() => undefined);
    const declared = text === undefined ? undefined : readYamlDocuments(text).values[0];
    const list = isObject(declared) && Array.isArray(declared.dependencies) ? declared.dependencies : [];
    for (const dependency of list) {
      if (!isObject(dependency) || typeof dependency.repository !== 'string' || !dependency.repository.startsWith('file://')) continue;
      const folder = normalise(join(chart, dependency.repository.slice('file://'.length)));
      if (folder === undefined) continue;
      for (const key of [dependency.name, dependency.alias]) if (typeof key === 'string') folders.set(key, folder);
    }
  }
  return folders;
}

/** Renders an overlay and checks what it deploys; findings point at the patch that set the field, or the base. */
async function checkOverlay(
  input: CheckInput,
  renderer: ManifestRenderer,
  settings: KubernetesSettings,
  kustomizationPath: string,
  kustomizations: Map<string, KustomizationUse>,
  seen: ManifestObservations,
): Promise<Outcome> {
  const dir = dirOf(kustomizationPath);
  const rendered = await renderer.renderOverlay({ dir: join(input.root, dir), boundary: input.root });
  if (rendered.error) return { findings: [], unevaluated: [overlayNotEvaluated(kustomizationPath, rendered.error)] };
  const texts = new Map<string, string | undefined>();
  const textOf = async (path: string): Promise<string | undefined> => {
    if (!texts.has(path)) texts.set(path, await input.readText(path));
    return texts.get(path);
  };
  const findings: Finding[] = [];
  const unevaluated: Unevaluated[] = [];
  for (const manifest of rendered.manifests) {
    const source = manifest.source === undefined ? undefined : normalise(join(dir, manifest.source));
    const patches = (manifest.patchedBy ?? [])
      .map((k) => normalise(join(dir, k)))
      .flatMap((k) => (k === undefined ? [] : (kustomizations.get(k)?.patches ?? [])));
    const candidates = new Map<string, string | undefined>();
    for (const path of [...patches, ...(source ? [source] : [])]) candidates.set(path, await textOf(path));
    const file = source !== undefined && candidates.get(source) !== undefined ? source : kustomizationPath;
    const locate: Locator = (_index, path) => {
      // The patch that writes the field itself wins; otherwise the base, at the nearest key found.
      for (const patch of patches) {
        const text = candidates.get(patch);
        const found = text === undefined ? undefined : lineOfPath(text, path);
        if (found?.exact) return { file: patch, line: found.line };
      }
      const text = candidates.get(file);
      const line = text === undefined ? undefined : lineOfPath(text, path)?.line;
      return line === undefined ? { file } : { file, line };
    };
    const checked = checkRendered(manifest, file, locate, settings, kustomizationPath, seen);
    if ('error' in checked)
      unevaluated.push(overlayNotEvaluated(kustomizationPath, { code: 'render-failed', detail: checked.error }));
    else findings.push(...checked.findings);
  }
  return { findings, unevaluated };
}

function checkRendered(
  manifest: RenderedManifest,
  file: string,
  locate: Locator,
  settings: KubernetesSettings,
  renderedFrom: string,
  seen: ManifestObservations,
): { findings: Finding[] } | { error: string } {
  const documents = readYamlDocuments(manifest.text);
  if (documents.error) return { error: `the rendered ${file} is not valid YAML (${documents.error.message})` };
  observeManifests(documents.values, file, seen);
  return {
    findings: checkManifests(documents.values, file, locate, { podSecurity: settings.podSecurity }).map((finding) =>
      withOrigin(finding, renderedFrom),
    ),
  };
}

/** Findings on rendered manifests say what rendered them (the chart or overlay), for the user and for SARIF. */
function withOrigin(finding: Finding, renderedFrom: string): Finding {
  const location: Location = finding.location;
  if (location.file === renderedFrom) return finding;
  return { ...finding, properties: { ...finding.properties, renderedFrom } };
}

async function inParallel<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
