// ArgoCD's words for an Application's sync and health status (v1alpha1: sync Synced | OutOfSync | Unknown; health
// Healthy | Progressing | Degraded | Suspended | Missing | Unknown), in French and in English. ArgoCD's own value
// stays the data (API, `--json`); people read these words. The console, the CLI and the API's summary share them.

type Words = Record<string, { fr: string; en: string }>;

export const argocdSyncWords: Words = {
  Synced: { fr: 'Synchronisé', en: 'Synced' },
  OutOfSync: { fr: 'Désynchronisé', en: 'Out of sync' },
  Unknown: { fr: 'Inconnu', en: 'Unknown' },
};

export const argocdHealthWords: Words = {
  Healthy: { fr: 'Sain', en: 'Healthy' },
  Progressing: { fr: 'En cours', en: 'Progressing' },
  Degraded: { fr: 'Dégradé', en: 'Degraded' },
  Suspended: { fr: 'Suspendu', en: 'Suspended' },
  Missing: { fr: 'Absent', en: 'Missing' },
  Unknown: { fr: 'Inconnu', en: 'Unknown' },
};

/** ArgoCD's sync or health value in `lang`; a value a newer ArgoCD introduced shows as ArgoCD says it. */
export function argocdWord(kind: 'sync' | 'health', value: string | null | undefined, lang: 'fr' | 'en'): string {
  if (!value) return '';
  const words = kind === 'sync' ? argocdSyncWords : argocdHealthWords;
  return Object.hasOwn(words, value) ? words[value]![lang] : value;
}
