// The checks of a chart version: render it with helm (default values, or an instance's values) and run on the
// rendered manifests the checkers teams' code goes through (Kubernetes: Pod Security, images, resources, probes;
// secrets), then ask the same gate for a verdict. A chart that cannot be rendered is `unevaluated`, never `pass`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runChecks } from '../checks/engine.ts';
import { kubernetesChecker } from '../checks/kubernetes/checker.ts';
import { secretsChecker } from '../checks/secrets/checker.ts';
import { chartNotEvaluated } from '../checks/kubernetes/not-evaluated.ts';
import { readYamlDocuments } from '../checks/kubernetes/yaml-documents.ts';
import { containersOf, isObject, podTemplateOf } from '../checks/kubernetes/workloads.ts';
import type { Finding } from '../checks/model.ts';
import type { Unevaluated } from '../checks/unevaluated.ts';
import { renderChart } from '../integrations/renderers/index.ts';
import type { RenderedManifest } from '../integrations/renderers/model.ts';
import { extractChart, readChartArchive } from './chart-archive.ts';
import { parseImageReference } from '../checks/containers/image-reference.ts';

export type CatalogueVerdict = 'pass' | 'fail' | 'unevaluated';

/** A finding as kept with a version: the checks' finding, plus whether it blocks publication. */
export type CatalogueFinding = Finding & { blocking: boolean };

export interface ChartCheckRequest {
  /** The packaged chart (.tgz) — or `chartDir`, a folder holding Chart.yaml. */
  archive?: Buffer;
  chartDir?: string;
  /** Values applied after the chart's values.yaml (an instance's values); none for the catalogue's own check. */
  values?: Record<string, unknown>;
  namespace?: string;
  releaseName?: string;
  now?: Date;
}

export interface ChartCheckResult {
  verdict: CatalogueVerdict;
  findings: CatalogueFinding[];
  /** The rendered manifests (multi-document YAML, `# Source:` comments kept); empty when not rendered. */
  manifests: string;
  /** Image references of every container of the rendered workloads, sorted, unique. */
  images: string[];
  /** Why the verdict is `unevaluated` (renderer's error, missing dependency…), localisable. */
  unevaluated: Unevaluated[];
}

/** Image references of the containers of rendered manifests, and those custom resources name for their operator. */
export function imagesOf(manifests: readonly RenderedManifest[]): string[] {
  const images = new Set<string>();
  for (const manifest of manifests) {
    for (const value of readYamlDocuments(manifest.text).values) {
      if (!isObject(value)) continue;
      const template = podTemplateOf(value);
      if (!template) {
        if (isCustomResource(value)) customResourceImages(value.spec, images, 0);
        continue;
      }
      for (const entry of containersOf(template)) {
        if (typeof entry.container.image === 'string' && entry.container.image.trim() !== '') images.add(entry.container.image.trim());
      }
    }
  }
  return [...images].sort();
}

/** A resource of an API group outside Kubernetes' own (`postgresql.cnpg.io/v1`, not `apps/v1` or `*.k8s.io`). */
const isCustomResource = (value: Record<string, unknown>): boolean => {
  const group = typeof value.apiVersion === 'string' && value.apiVersion.includes('/') ? value.apiVersion.split('/')[0]! : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
};

/**
 * Operators take the image to run in their custom resource (CloudNativePG `spec.imageName`, the Redis operator
 * `spec.kubernetesConfig.image`): string values of keys named `image` or `imageName` that read as a tagged or
 * digested image reference.
 */
function customResourceImages(value: unknown, images: Set<string>, depth: number): void {
  if (depth > 6 || !isObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'image' || key === 'imageName') && typeof inner === 'string') {
      const reference = parseImageReference(inner.trim());
      if (reference && (reference.tag !== undefined || reference.digest !== undefined)) images.add(inner.trim());
    } else if (Array.isArray(inner)) for (const item of inner) customResourceImages(item, images, depth + 1);
    else customResourceImages(inner, images, depth + 1);
  }
}

export async function checkChartVersion(request: ChartCheckRequest): Promise<ChartCheckResult> {
  const work = await mkdtemp(path.join(tmpdir(), 'dso-catalogue-check-'));
  try {
    let chartDir = request.chartDir === undefined ? undefined : path.resolve(request.chartDir);
    if (chartDir === undefined) {
      if (request.archive === undefined) throw new Error('checkChartVersion needs an archive or a chart folder');
      chartDir = path.join(work, 'chart');
      await mkdir(chartDir);
      await extractChart(readChartArchive(request.archive), chartDir);
    }
    const rendered = await renderChart({
      chartDir,
      boundary: chartDir,
      values: request.values,
      namespace: request.namespace ?? 'default',
      releaseName: request.releaseName ?? 'release',
    });
    if (rendered.error) {
      return { verdict: 'unevaluated', findings: [], manifests: '', images: [], unevaluated: [chartNotEvaluated('Chart.yaml', rendered.error)] };
    }
    // The rendered documents, one file per template so that findings name the template they come from.
    const root = path.join(work, 'rendered');
    const byTemplate = new Map<string, string[]>();
    for (const manifest of rendered.manifests) {
      const file = manifest.source !== undefined && !manifest.source.split('/').includes('..') ? manifest.source : 'manifests.yaml';
      byTemplate.set(file, [...(byTemplate.get(file) ?? []), manifest.text]);
    }
    for (const [file, texts] of byTemplate) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), texts.join('\n---\n'));
    }
    await mkdir(root, { recursive: true });
    const report = await runChecks({
      root,
      options: {
        checkers: [kubernetesChecker, secretsChecker],
        workers: 0,
        now: request.now ?? new Date(),
        includeFixtures: true,
        includeVendored: true,
      },
    });
    const blockingFingerprints = new Set(report.gate.reasons.filter((r) => r.blocking && r.outcome === 'failed').flatMap((r) => r.fingerprints ?? []));
    const findings = report.findings.map((f) => ({ ...f, blocking: blockingFingerprints.has(f.fingerprint) }));
    const verdict: CatalogueVerdict = report.gate.verdict === 'pass' ? 'pass' : report.gate.verdict === 'fail' ? 'fail' : 'unevaluated';
    return {
      verdict,
      findings,
      manifests: rendered.manifests.map((m) => m.text.trim()).join('\n---\n'),
      images: imagesOf(rendered.manifests),
      unevaluated: report.unevaluated ?? [],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
