// A chart or overlay that could not be rendered is not evaluated, and says why in both languages: the renderer's
// own error (as the tool prints it, in English) inside a French or English sentence. Fail closed: it is a finding of
// a rule tied to P requirements, so the gate refuses certification until the chart or overlay renders.
import type { RenderFailure } from '../../integrations/renderers/model.ts';
import { findingOf, type Finding } from '../model.ts';
import { say } from './messages.ts';
import { kubernetesRules as rules } from './rules.ts';

export type UnevaluatedKind = 'helm-chart' | 'kustomize-overlay';

/** Structured fact carried by the finding (`properties.unevaluated`): what was not evaluated, and why. */
export interface UnevaluatedManifest {
  kind: UnevaluatedKind;
  /** Chart.yaml or kustomization.yaml, relative to the repository root. */
  path: string;
  /** Which rendering: `values.yaml`, `ci/prod-values.yaml`, `.dso.yml: values-prod.yaml`… (charts only). */
  variant?: string;
  reason: RenderFailure['code'];
  detail: string;
  text: { fr: string; en: string };
}

const reasonText: Record<RenderFailure['code'], { fr: string; en: string }> = {
  'renderer-missing': { fr: 'outil de rendu introuvable', en: 'no renderer available' },
  'render-failed': { fr: 'le rendu a échoué', en: 'rendering failed' },
  timeout: { fr: 'le rendu a dépassé le temps imparti', en: 'rendering took too long' },
  'output-too-large': { fr: 'le rendu est trop volumineux', en: 'the rendered output is too large' },
  'remote-dependency': { fr: 'dépendance distante non disponible', en: 'remote dependency not available' },
  'dependency-failed': { fr: 'les dépendances n’ont pas pu être assemblées', en: 'dependencies could not be assembled' },
};

export function notEvaluated(kind: UnevaluatedKind, path: string, failure: Pick<RenderFailure, 'code' | 'detail'>, variant?: string): Finding {
  const reason = reasonText[failure.code];
  const detail = failure.detail.slice(0, 600);
  const params = { reasonFr: reason.fr, reasonEn: reason.en, detail };
  const message = kind === 'helm-chart'
    ? say['kubernetes.not-evaluated'].chart({ ...params, variant: variant ?? 'values.yaml' })
    : say['kubernetes.not-evaluated'].overlay(params);
  const text = message.text;
  const unevaluated: UnevaluatedManifest = { kind, path, ...(variant ? { variant } : {}), reason: failure.code, detail, text };
  return findingOf(rules.notEvaluated, { file: path }, message, `not-evaluated:${variant ?? ''}`, { unevaluated });
}
