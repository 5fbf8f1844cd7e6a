// What a run could not fully evaluate, said instead of passed over: a chart that did not render, an overlay,
// a manifest that did not parse, a dependency whose version stayed unknown, advisory data missing or stale.
// Each item carries a reason code with parameters (rendered here in French and English, like the gate's
// reasons), the gate criterion it leaves incomplete, and where known the extent ("3 of 20 components checked").
// The gate turns these into a third outcome per criterion — not evaluated — and the evaluation policy decides
// whether that blocks certification or only warns. Pure: no I/O.
import type { Language } from './format/messages.ts';

/** What kind of thing was not fully evaluated. */
export const unevaluatedKinds = ['manifest', 'chart', 'overlay', 'dependency', 'advisories'] as const;
export type UnevaluatedKind = (typeof unevaluatedKinds)[number];

/** The gate criteria that can be left incomplete. */
export type GateCriterion = 'vulnerabilities' | 'policies';

/** The criterion an item of this kind leaves incomplete. */
export const criterionOfKind: Record<UnevaluatedKind, GateCriterion> = {
  manifest: 'policies',
  chart: 'policies',
  overlay: 'policies',
  dependency: 'vulnerabilities',
  advisories: 'vulnerabilities',
};

export type UnevaluatedReasonCode =
  // Kubernetes (rendering is section 1 of issue 13)
  | 'chart-render-failed'
  | 'overlay-render-failed'
  | 'renderer-missing'
  | 'chart-dependency-remote'
  | 'manifest-unparsable'
  // Dependencies
  | 'maven-parent-unresolved'
  | 'maven-bom-unresolved'
  | 'version-unresolved'
  | 'range-unresolved'
  | 'dynamic-version'
  | 'manifest-unread'
  | 'reachability-unverified'
  // Advisories
  | 'advisories-missing'
  | 'advisories-stale'
  | 'advisories-unreadable'
  // Any checker
  | 'checker-failed';

export type UnevaluatedParams = Record<string, string | number>;

export interface Extent {
  checked: number;
  total: number;
  unit: 'components' | 'charts' | 'overlays' | 'manifests';
}

export interface Unevaluated {
  /** What: a file or folder path relative to the root (manifest, chart, overlay), a package name, an ecosystem. */
  item: string;
  kind: UnevaluatedKind;
  code: UnevaluatedReasonCode;
  /** Parameters of the reason (error text, parent coordinates, range, ecosystem, ages…). */
  params: UnevaluatedParams;
  /** English sentence; French and English come from `unevaluatedText`. */
  message: string;
  /** The file that declares it, when `item` is not itself a file. */
  file?: string;
  line?: number;
  /** How much of this item was evaluated, e.g. 3 of 20 components of a pom.xml. */
  extent?: Extent;
}

/** What a not-evaluated criterion does to the verdict. */
export type UnevaluatedAction = 'block' | 'warn';

/**
 * The evaluation policy: per kind of unevaluated item, and for vulnerabilities of unknown severity.
 * Platform defaults (administrators) and a project's `.dso.yml` both set it; the project can only be as strict or
 * stricter than the platform where the platform says so (see `mergeEvaluationPolicy`).
 */
export interface EvaluationPolicy {
  unevaluated: Record<UnevaluatedKind, UnevaluatedAction>;
  /** A vulnerability whose advisory gives no severity: blocks like a high one, warns, or is ignored by the gate. */
  unknownSeverity: 'block' | 'warn' | 'ignore';
  /** Entries the platform enforces: a project's `.dso.yml` cannot change them. */
  enforced?: readonly EvaluationPolicyKey[];
}

/** One entry of the policy: a kind of unevaluated item, or the severity rule. */
export type EvaluationPolicyKey = UnevaluatedKind | 'unknownSeverity';

/** What a project's `.dso.yml` (`evaluation:`) asks for. */
export interface ProjectEvaluationPolicy {
  unevaluated?: Partial<EvaluationPolicy['unevaluated']>;
  unknownSeverity?: EvaluationPolicy['unknownSeverity'];
}

/** An unrenderable chart blocks, unresolved dependencies warn (issue 13's defaults). */
export const defaultEvaluationPolicy: EvaluationPolicy = {
  unevaluated: { manifest: 'block', chart: 'block', overlay: 'block', dependency: 'warn', advisories: 'warn' },
  unknownSeverity: 'block',
};

/**
 * Project settings over platform ones, entry by entry, except the entries the platform enforces: those keep the
 * platform's value whatever the project asks (see `refusedOverrides` for what to tell the team).
 */
export function mergeEvaluationPolicy(
  platform: EvaluationPolicy,
  project: ProjectEvaluationPolicy | undefined,
): EvaluationPolicy {
  if (!project) return platform;
  const enforced = new Set(platform.enforced ?? []);
  const unevaluated = { ...platform.unevaluated };
  for (const [kind, action] of Object.entries(project.unevaluated ?? {}) as [UnevaluatedKind, UnevaluatedAction][]) {
    if (!enforced.has(kind)) unevaluated[kind] = action;
  }
  const merged: EvaluationPolicy = {
    unevaluated,
    unknownSeverity:
      project.unknownSeverity !== undefined && !enforced.has('unknownSeverity')
        ? project.unknownSeverity
        : platform.unknownSeverity,
  };
  if (platform.enforced) merged.enforced = platform.enforced;
  return merged;
}

/** The project's entries that differ from an enforced platform entry, hence ignored. */
export function refusedOverrides(
  platform: EvaluationPolicy,
  project: ProjectEvaluationPolicy | undefined,
): EvaluationPolicyKey[] {
  if (!project) return [];
  const refused: EvaluationPolicyKey[] = [];
  for (const key of platform.enforced ?? []) {
    if (key === 'unknownSeverity') {
      if (project.unknownSeverity !== undefined && project.unknownSeverity !== platform.unknownSeverity)
        refused.push(key);
    } else if (project.unevaluated?.[key] !== undefined && project.unevaluated[key] !== platform.unevaluated[key])
      refused.push(key);
  }
  return refused;
}

export function unevaluatedOf(kind: UnevaluatedKind, item: string, code: UnevaluatedReasonCode, params: UnevaluatedParams, extra: Partial<Pick<Unevaluated, 'file' | 'line' | 'extent'>> = {}): Unevaluated {
  const entry: Unevaluated = { item, kind, code, params, message: '' };
  if (extra.file !== undefined) entry.file = extra.file;
  if (extra.line !== undefined) entry.line = extra.line;
  if (extra.extent !== undefined) entry.extent = extra.extent;
  entry.message = unevaluatedText(entry, 'en');
  return entry;
}

const kindNames: Record<Language, Record<UnevaluatedKind, string>> = {
  fr: { manifest: 'manifeste', chart: 'chart Helm', overlay: 'overlay Kustomize', dependency: 'dépendance', advisories: 'avis de sécurité' },
  en: { manifest: 'manifest', chart: 'Helm chart', overlay: 'Kustomize overlay', dependency: 'dependency', advisories: 'advisories' },
};

export function unevaluatedKindName(kind: UnevaluatedKind, lang: Language): string {
  return kindNames[lang][kind];
}

/** The reason alone, without the item: "parent Maven org.springframework.boot:spring-boot-starter-parent:3.0.2 non
 * résolu". */
export function unevaluatedReasonText(
  code: UnevaluatedReasonCode | string,
  params: UnevaluatedParams,
  lang: Language,
): string {
  const p = (key: string) => String(params[key] ?? '?');
  const fr = lang === 'fr';
  switch (code) {
    case 'chart-render-failed':
      return fr ? `rendu Helm impossible : ${p('error')}` : `Helm rendering failed: ${p('error')}`;
    case 'overlay-render-failed':
      return fr ? `rendu Kustomize impossible : ${p('error')}` : `Kustomize rendering failed: ${p('error')}`;
    case 'renderer-missing':
      return fr
        ? `${p('tool')} introuvable sur cette machine : rien n'a été rendu`
        : `${p('tool')} not found on this machine: nothing was rendered`;
    case 'chart-dependency-remote':
      return fr
        ? `dépendance de chart distante ${p('dependency')} (${p('repository')}) sans dépôt de charts configuré sur la plateforme`
        : `remote chart dependency ${p('dependency')} (${p('repository')}) and no chart repository configured on the platform`;
    case 'manifest-unparsable':
      return fr ? `manifeste illisible : ${p('error')}` : `manifest does not parse: ${p('error')}`;
    case 'maven-parent-unresolved':
      return fr ? `parent Maven ${p('parent')} non résolu` : `Maven parent ${p('parent')} not resolved`;
    case 'maven-bom-unresolved':
      return fr ? `BOM Maven ${p('bom')} non résolu` : `Maven BOM ${p('bom')} not resolved`;
    case 'version-unresolved':
      return fr
        ? `version de ${p('name')} inconnue (${p('expression')})`
        : `version of ${p('name')} unknown (${p('expression')})`;
    case 'range-unresolved':
      return fr
        ? `plage ${p('range')} de ${p('name')} non résolue : vérifiée à sa plus basse version ${p('version')}`
        : `range ${p('range')} of ${p('name')} unresolved: checked at its lowest version ${p('version')}`;
    case 'dynamic-version':
      return fr
        ? `version dynamique ${p('version')} de ${p('name')} : aucune version précise à vérifier`
        : `dynamic version ${p('version')} of ${p('name')}: no precise version to check`;
    case 'manifest-unread':
      return fr ? `${p('format')} non lu (${p('error')})` : `${p('format')} not read (${p('error')})`;
    case 'reachability-unverified':
      return fr
        ? `${p('advisories')} avis ne visent que ${p('packages')}, que le code n'importe pas ; l'import par une dépendance n'a pas pu être vérifié (ajoutez vendor/ pour une réponse certaine)`
        : `${p('advisories')} advisories affect only ${p('packages')}, which the code does not import; an import by a dependency could not be verified (vendor the dependencies for a certain answer)`;
    case 'advisories-missing':
      return fr
        ? `aucun avis de sécurité pour l'écosystème ${p('ecosystem')}`
        : `no advisory data for the ${p('ecosystem')} ecosystem`;
    case 'advisories-stale':
      return fr
        ? `avis de sécurité ${p('ecosystem')} vieux de ${p('days')} jours (maximum ${p('maxDays')})`
        : `${p('ecosystem')} advisory data is ${p('days')} days old (maximum ${p('maxDays')})`;
    case 'advisories-unreadable':
      return fr ? `base d'avis de sécurité illisible (${p('error')})` : `advisory database unreadable (${p('error')})`;
    case 'checker-failed':
      return fr
        ? `le contrôle ${p('checker')} a échoué (${p('error')})`
        : `the ${p('checker')} checker failed (${p('error')})`;
    default:
      return fr ? `non évalué (${code})` : `not evaluated (${code})`;
  }
}

const unitNames: Record<Language, Record<Extent['unit'], [string, string]>> = {
  fr: { components: ['composant', 'composants'], charts: ['chart', 'charts'], overlays: ['overlay', 'overlays'], manifests: ['manifeste', 'manifestes'] },
  en: { components: ['component', 'components'], charts: ['chart', 'charts'], overlays: ['overlay', 'overlays'], manifests: ['manifest', 'manifests'] },
};

/** "3 composants sur 20 vérifiés" / "3 of 20 components checked". */
export function extentText(extent: Pick<Extent, 'checked' | 'total' | 'unit'>, lang: Language): string {
  const [one, many] = unitNames[lang][extent.unit] ?? [extent.unit, extent.unit];
  if (lang === 'fr') return `${extent.checked} ${extent.total > 1 ? many : one} sur ${extent.total} vérifié${extent.checked !== 1 ? 's' : ''}`;
  return `${extent.checked} of ${extent.total} ${extent.total === 1 ? one : many} checked`;
}

/** The whole item: "pom.xml (dépendance) : parent Maven … non résolu — 3 composants sur 20 vérifiés". */
export function unevaluatedText(entry: Pick<Unevaluated, 'item' | 'kind' | 'code' | 'params' | 'extent'>, lang: Language): string {
  const extent = entry.extent ? ` — ${extentText(entry.extent, lang)}` : '';
  return `${entry.item} (${unevaluatedKindName(entry.kind, lang)})${lang === 'fr' ? ' : ' : ': '}${unevaluatedReasonText(entry.code, entry.params, lang)}${extent}`;
}

/** Most frequent reason first, then by item: the one a summary names. */
export function mainCause(items: readonly Unevaluated[]): Unevaluated | undefined {
  const counts = new Map<string, number>();
  const keyOf = (u: Unevaluated) => `${u.code}\0${JSON.stringify(u.params)}`;
  for (const u of items) counts.set(keyOf(u), (counts.get(keyOf(u)) ?? 0) + 1);
  return [...items].sort(
    (a, b) =>
      (counts.get(keyOf(b)) ?? 0) - (counts.get(keyOf(a)) ?? 0) || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0),
  )[0];
}
