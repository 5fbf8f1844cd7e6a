// What a repository's `.dso.yml` says about its Kubernetes manifests: which Pod Security Standards level and
// version apply (as Pod Security Admission takes them), and which values files its Helm charts are deployed with.
// Pure: the text in, the settings and the problems (French and English) out; a problem never stops the check, the
// defaults apply instead.
import { parseDocument } from 'yaml';
import { defaultPodSecurityPolicy, parsePodSecurityVersion, type PodSecurityPolicy } from './pod-security-policy.ts';
import { isObject } from './workloads.ts';

export interface ChartDeployment {
  /** Values files, relative to the repository root, applied in order after the chart's values.yaml. */
  values: string[];
  namespace?: string;
}

export interface KubernetesSettings {
  podSecurity: PodSecurityPolicy;
  /** Per chart folder (relative to the repository root, '' for the root), the deployments declared. */
  charts: Map<string, ChartDeployment[]>;
  problems: { fr: string; en: string }[];
}

const normalise = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || value.length > 512 || value.includes('\0') || value.includes('\\') || value.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const part of value.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
};

export function kubernetesSettingsOf(dsoYml: string | undefined): KubernetesSettings {
  const settings: KubernetesSettings = { podSecurity: defaultPodSecurityPolicy, charts: new Map(), problems: [] };
  if (dsoYml === undefined) return settings;
  const problem = (fr: string, en: string) => settings.problems.push({ fr: `.dso.yml : ${fr}`, en: `.dso.yml: ${en}` });
  let raw: unknown;
  try {
    const document = parseDocument(dsoYml, { uniqueKeys: false, prettyErrors: false });
    if (document.errors.length > 0) return settings; // the chain reports an invalid file itself
    raw = document.toJS({ maxAliasCount: 20 });
  } catch {
    return settings;
  }
  if (!isObject(raw)) return settings;

  const podSecurity = raw.podSecurity;
  if (podSecurity !== undefined) {
    if (!isObject(podSecurity)) {
      problem('« podSecurity » doit être un objet (level, version) ; restricted/latest appliqué.', '"podSecurity" must be a mapping (level, version); restricted/latest applied.');
    } else {
      let { level, minor, label } = defaultPodSecurityPolicy;
      if (podSecurity.level !== undefined) {
        if (podSecurity.level === 'baseline' || podSecurity.level === 'restricted') level = podSecurity.level;
        else problem(`podSecurity.level doit valoir baseline ou restricted ; ${level} appliqué.`, `podSecurity.level must be baseline or restricted; ${level} applied.`);
      }
      if (podSecurity.version !== undefined) {
        const parsed = typeof podSecurity.version === 'string' ? parsePodSecurityVersion(podSecurity.version) : undefined;
        if (parsed) ({ minor, label } = parsed);
        else problem('podSecurity.version doit valoir latest ou v1.<mineure> (par exemple v1.33) ; latest appliqué.', 'podSecurity.version must be latest or v1.<minor> (for example v1.33); latest applied.');
      }
      settings.podSecurity = { level, minor, label };
    }
  }

  const helm = raw.helm;
  if (helm !== undefined) {
    const charts = isObject(helm) ? helm.charts : undefined;
    if (!Array.isArray(charts)) {
      problem('« helm.charts » doit être une liste de { path, values, namespace }.', '"helm.charts" must be a list of { path, values, namespace }.');
    } else {
      charts.slice(0, 100).forEach((entry, index) => {
        const where = `helm.charts[${index}]`;
        const chart = isObject(entry) ? normalise(entry.path ?? '.') : undefined;
        const values = isObject(entry)
          ? Array.isArray(entry.values)
            ? entry.values
            : entry.values === undefined
              ? []
              : [entry.values]
          : [];
        const files = values.slice(0, 20).map(normalise);
        if (chart === undefined || files.some((f) => f === undefined)) {
          problem(`${where} : chemins relatifs au dépôt, sans « .. », attendus ; entrée ignorée.`, `${where}: paths relative to the repository, without "..", expected; entry ignored.`);
          return;
        }
        const namespace = isObject(entry) && typeof entry.namespace === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(entry.namespace) ? entry.namespace : undefined;
        const list = settings.charts.get(chart) ?? [];
        list.push({ values: files as string[], ...(namespace ? { namespace } : {}) });
        settings.charts.set(chart, list);
      });
    }
  }
  return settings;
}
