// The manifest renderer: Helm charts and Kustomize overlays rendered by the bundled (or PATH) helm and kubectl.
import { renderChart } from './helm.ts';
import { renderOverlay } from './kustomize.ts';
import type { ManifestRenderer } from './model.ts';

export type { ChartRenderRequest, ManifestRenderer, OverlayRenderRequest, RenderedManifest, RenderFailure, RenderFailureCode, RenderResult } from './model.ts';
export { renderChart, splitHelmOutput } from './helm.ts';
export { renderOverlay, splitKustomizeOutput } from './kustomize.ts';
export { locateRenderer, type LocatedRenderer } from './binaries.ts';

export const toolRenderer: ManifestRenderer = { renderChart, renderOverlay };
