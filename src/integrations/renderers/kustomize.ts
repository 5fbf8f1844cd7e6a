// `kubectl kustomize` over an overlay of the repository. The overlay is built through a one-line wrapper
// kustomization (in a temporary folder) that asks kustomize to annotate each object with the file it came from and
// the kustomizations that patched it; those annotations are read, then removed before the objects are checked.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { locateRenderer } from './binaries.ts';
import { failureDetail, renderLimits } from './helm.ts';
import type { OverlayRenderRequest, RenderedManifest, RenderResult } from './model.ts';
import { runRenderer } from './run-renderer.ts';

const originAnnotation = 'config.kubernetes.io/origin';
const transformationsAnnotation = 'alpha.config.kubernetes.io/transformations';

export async function renderOverlay(request: OverlayRenderRequest): Promise<RenderResult> {
  const kubectl = await locateRenderer('kubectl');
  if ('missing' in kubectl) return { error: { code: 'renderer-missing', renderer: 'kubectl', detail: kubectl.missing } };
  const work = await mkdtemp(path.join(tmpdir(), 'dso-overlay-'));
  try {
    const wrapper = path.join(work, 'wrapper');
    const toOverlay = path.relative(wrapper, request.dir).split(path.sep).join('/');
    await mkdir(wrapper);
    await writeFile(path.join(wrapper, 'kustomization.yaml'), stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [toOverlay],
      buildMetadata: ['originAnnotations', 'transformerAnnotations'],
    }));
    const run = await runRenderer(kubectl.path, ['kustomize', wrapper], { cwd: work, ...renderLimits, readable: [request.boundary ?? request.dir], signal: request.signal });
    const fail = (code: 'render-failed' | 'timeout' | 'output-too-large', detail: string): RenderResult => ({ error: { code, renderer: 'kubectl', detail } });
    if (run.outputTooLarge) return fail('output-too-large', `the overlay renders more than ${renderLimits.maxOutputBytes / 1024 / 1024} MiB of manifests`);
    if (run.timedOut) return fail('timeout', `kubectl kustomize did not finish within ${renderLimits.timeoutMs / 1000} s`);
    // Paths in kustomize's errors name the temporary wrapper: say the overlay instead.
    if (!run.ok) return fail('render-failed', failureDetail(run, 'kubectl kustomize failed').split(work).join('<overlay>'));
    return { manifests: splitKustomizeOutput(run.stdout, (p) => path.relative(request.dir, path.resolve(wrapper, p)).split(path.sep).join('/')) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Splits kustomize output into documents; `source` is the file an object came from and `patchedBy` the
 * kustomizations that patched it, both relative to the overlay (`fromWrapper` maps the wrapper-relative paths).
 */
export function splitKustomizeOutput(
  output: string,
  fromWrapper: (wrapperPath: string) => string = (p) => p,
): RenderedManifest[] {
  const manifests: RenderedManifest[] = [];
  for (const document of parseAllDocuments(output, { uniqueKeys: false })) {
    if (!('contents' in document) || document.contents === null || document.errors.length > 0) continue;
    const value = document.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
    let source: string | undefined;
    const patchedBy: string[] = [];
    const metadata = value?.metadata as Record<string, unknown> | undefined;
    const annotations = metadata?.annotations as Record<string, unknown> | undefined;
    if (annotations) {
      const origin = annotations[originAnnotation];
      if (typeof origin === 'string') source = /^path:\s*(.+)$/m.exec(origin)?.[1]?.trim();
      const transformations = annotations[transformationsAnnotation];
      if (typeof transformations === 'string') {
        const list: unknown = parse(transformations, { maxAliasCount: 10 });
        for (const step of Array.isArray(list) ? list : []) {
          const configured = (step as Record<string, unknown>)?.configuredIn;
          const kind = ((step as Record<string, unknown>)?.configuredBy as Record<string, unknown> | undefined)?.kind;
          if (
            typeof configured === 'string' &&
            typeof kind === 'string' &&
            kind.includes('Patch') &&
            !patchedBy.includes(configured)
          )
            patchedBy.push(configured);
        }
      }
      delete annotations[originAnnotation];
      delete annotations[transformationsAnnotation];
      if (Object.keys(annotations).length === 0) delete metadata!.annotations;
    }
    manifests.push({
      source: source === undefined ? undefined : fromWrapper(source),
      patchedBy: patchedBy.map(fromWrapper),
      text: stringify(value),
    });
  }
  return manifests;
}
