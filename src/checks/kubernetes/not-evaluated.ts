// A chart or overlay that could not be rendered is not evaluated, and says why: the renderer's own error (as the
// tool prints it, in English) inside a French or English sentence (src/checks/unevaluated.ts renders it). The gate
// turns it into a "not evaluated" outcome of the policies criterion, which refuses certification by default
// (fail closed; the platform's evaluation policy decides).
import type { RenderFailure } from '../../integrations/renderers/model.ts';
import { unevaluatedOf, type Unevaluated } from '../unevaluated.ts';

/** `chartPath` / `kustomizationPath`: the Chart.yaml or kustomization.yaml, relative to the repository root. */
export function chartNotEvaluated(chartPath: string, failure: Pick<RenderFailure, 'code' | 'detail' | 'dependencies'>, variant = 'values.yaml'): Unevaluated {
  const item = itemOf(chartPath);
  if (failure.code === 'renderer-missing') return unevaluatedOf('chart', item, 'renderer-missing', { tool: 'helm' }, { file: chartPath });
  const remote = failure.dependencies?.[0];
  if (failure.code === 'remote-dependency' && remote) {
    const names = failure.dependencies!.map((d) => d.name).join(', ');
    return unevaluatedOf('chart', item, 'chart-dependency-remote', { dependency: names, repository: remote.repository }, { file: chartPath });
  }
  // Which rendering failed matters when values.yaml alone renders.
  const error = variant === 'values.yaml' ? failure.detail : `${variant}: ${failure.detail}`;
  return unevaluatedOf('chart', item, 'chart-render-failed', { error: error.slice(0, 600) }, { file: chartPath });
}

export function overlayNotEvaluated(kustomizationPath: string, failure: Pick<RenderFailure, 'code' | 'detail'>): Unevaluated {
  const item = itemOf(kustomizationPath);
  if (failure.code === 'renderer-missing') return unevaluatedOf('overlay', item, 'renderer-missing', { tool: 'kubectl' }, { file: kustomizationPath });
  return unevaluatedOf('overlay', item, 'overlay-render-failed', { error: failure.detail.slice(0, 600) }, { file: kustomizationPath });
}

/** The folder of a Chart.yaml or kustomization.yaml (`.` for the repository root). */
const itemOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');
