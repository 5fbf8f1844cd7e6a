// What ArgoCD's answer means for a team, in French and English, beyond the sync and health words every screen shares
// (src/domain/argocd-words.ts): a sync running or failed (status.operationState), an error condition that stops
// ArgoCD from reading what it must deploy (status.conditions, e.g. a chart it cannot fetch), or no usable answer at
// all. ArgoCD's own message (English, naming the object and the cause) is quoted as it comes, never translated.
import type { LocalisedText } from '../errors.ts';
import { argocdWord } from '../domain/argocd-words.ts';
import type { ApplicationStatus } from './argocd-status.ts';

const operationWords: Record<string, LocalisedText> = {
  Running: { fr: 'synchronisation en cours', en: 'sync in progress' },
  Terminating: { fr: 'synchronisation en cours d’arrêt', en: 'sync being stopped' },
  Failed: { fr: 'la dernière synchronisation a échoué', en: 'the last sync failed' },
  Error: { fr: 'la dernière synchronisation a échoué', en: 'the last sync failed' },
};

const conditionWords: Record<string, LocalisedText> = {
  ComparisonError: { fr: 'ArgoCD ne peut pas lire ce qu’il doit déployer', en: 'ArgoCD cannot read what it must deploy' },
  InvalidSpecError: { fr: 'ArgoCD refuse l’Application écrite par la plateforme', en: 'ArgoCD refuses the Application the platform wrote' },
  SyncError: { fr: 'ArgoCD ne peut pas synchroniser', en: 'ArgoCD cannot sync' },
  DeletionError: { fr: 'ArgoCD ne peut pas supprimer les ressources', en: 'ArgoCD cannot delete the resources' },
};

const unavailableWords: Record<Extract<ApplicationStatus, { ok: false }>['code'], LocalisedText> = {
  'argocd.not-found': { fr: 'ArgoCD ne connaît pas encore cette application (pas encore lue depuis le dépôt GitOps)', en: 'ArgoCD does not know this application yet (not read from the GitOps repository yet)' },
  'argocd.unreachable': { fr: 'ArgoCD ne répond pas : état inconnu pour l’instant', en: 'ArgoCD does not answer: state unknown for now' },
  'argocd.refused': { fr: 'ArgoCD refuse à la plateforme la lecture de l’état (signalez-le aux administrateurs)', en: "ArgoCD refuses the platform's status read (tell the platform administrators)" },
  'argocd.invalid-answer': { fr: 'réponse d’ArgoCD illisible : état inconnu', en: "ArgoCD's answer cannot be read: state unknown" },
};

/** What the answer says beyond sync and health; null when nothing (a settled sync, no error condition). */
export function applicationStatusDetail(status: ApplicationStatus): LocalisedText | null {
  if (!status.ok) return unavailableWords[status.code];
  const operation = status.operation ? operationWords[status.operation] : undefined;
  const failed = status.operation === 'Failed' || status.operation === 'Error';
  // After a failed sync ArgoCD also raises a SyncError condition: the failed operation already says it.
  const condition = failed ? undefined : status.errors[0] && (conditionWords[status.errors[0].type] ?? { fr: `ArgoCD signale ${status.errors[0].type}`, en: `ArgoCD reports ${status.errors[0].type}` });
  const parts = [operation, condition].filter((p): p is LocalisedText => p !== undefined);
  return parts.length === 0 ? null : { fr: parts.map((p) => p.fr).join(', '), en: parts.map((p) => p.en).join(', ') };
}

/** The whole state as one sentence: sync and health words, then the detail and ArgoCD's own message. */
export function applicationStatusText(state: {
  sync: string;
  health: string;
  detail: LocalisedText | null;
  message: string | null;
}): LocalisedText {
  const say = (lang: 'fr' | 'en') => {
    // No answer at all: sync and health are unknown by construction, the detail says why.
    if (state.sync === 'Unknown' && state.health === 'Unknown' && state.detail && !state.message)
      return state.detail[lang].charAt(0).toUpperCase() + state.detail[lang].slice(1);
    const words = [
      argocdWord('sync', state.sync, lang),
      argocdWord('health', state.health, lang),
      ...(state.detail ? [state.detail[lang]] : []),
    ].join(', ');
    return state.message ? `${words}${lang === 'fr' ? ' : ' : ': '}${state.message}` : words;
  };
  return { fr: say('fr'), en: say('en') };
}
