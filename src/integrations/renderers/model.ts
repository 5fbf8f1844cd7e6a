// What a renderer gives back: the manifests a chart or an overlay produces, each tied to the file it came from, or
// why nothing could be rendered. Shared by `dso check` (src/checks/kubernetes) and whoever else renders charts
// (the component catalogue renders charts with their default values).

export interface RenderedManifest {
  /**
   * Where this document comes from, for findings: for a chart, the template path relative to the chart folder
   * (`templates/deployment.yaml`, `charts/redis/templates/master.yaml`); for an overlay, the resource file relative
   * to the overlay folder (`../../base/deployment.yaml`), when kustomize says.
   */
  source: string | undefined;
  /** Files (same base as `source`) that patched this document, when the renderer says (kustomize). */
  patchedBy?: string[];
  /** One YAML document. */
  text: string;
}

export type RenderFailureCode =
  | 'renderer-missing'
  | 'render-failed'
  | 'timeout'
  | 'output-too-large'
  | 'remote-dependency'
  | 'dependency-failed';

export interface RenderFailure {
  code: RenderFailureCode;
  renderer: 'helm' | 'kubectl';
  /** The renderer's own error (first meaningful lines, bounded), or what is missing; English, as the tools print it. */
  detail: string;
  /** For `remote-dependency`: the dependencies neither vendored nor available. */
  dependencies?: { name: string; repository: string }[];
}

export type RenderResult =
  { manifests: RenderedManifest[]; error?: undefined } | { manifests?: undefined; error: RenderFailure };

export interface ChartRenderRequest {
  /** Absolute path of the folder holding Chart.yaml. */
  chartDir: string;
  /** Absolute paths of values files, applied in order after the chart's own values.yaml. */
  valuesFiles?: string[];
  /** Values applied last (like `--set`). */
  values?: Record<string, unknown>;
  namespace?: string;
  releaseName?: string;
  /** Chart repository (http(s) or oci URL) remote dependencies are fetched from; without it they are not evaluated. */
  chartRepository?: string;
  /** Local (file://) dependencies must stay inside this folder (the repository), when given. */
  boundary?: string;
  signal?: AbortSignal;
}

export interface OverlayRenderRequest {
  /** Absolute path of the folder holding kustomization.yaml. */
  dir: string;
  /** The repository: overlays build on bases elsewhere in it, and see nothing outside it (with bubblewrap). */
  boundary?: string;
  signal?: AbortSignal;
}

/** Renders charts and overlays; one real implementation (helm and kubectl, bundled or on PATH). */
export interface ManifestRenderer {
  renderChart(request: ChartRenderRequest): Promise<RenderResult>;
  renderOverlay(request: OverlayRenderRequest): Promise<RenderResult>;
}
