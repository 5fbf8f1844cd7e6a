// The statuses the API answers with (`certified`, `failed`, `committed`, ArgoCD's `OutOfSync`…) as people read them in
// the CLI's language. Text output only: `--json` keeps the API's values, which scripts compare against.
import { argocdWord } from '../domain/argocd-words.ts';
import type { Lang } from './api-client.ts';
import type { Io } from './io.ts';

type Words = Record<string, { fr: string; en: string }>;

/** Provisioning status of projects, environments, repositories and services. */
export const provisioningWords: Words = {
  pending: { fr: 'en cours de provisionnement', en: 'provisioning' },
  ready: { fr: 'prêt', en: 'ready' },
  failed: { fr: 'en échec', en: 'failed' },
};

export const runWords: Words = {
  queued: { fr: 'en attente', en: 'queued' },
  running: { fr: 'en cours', en: 'running' },
  certified: { fr: 'certifiée', en: 'certified' },
  rejected: { fr: 'refusée par la barrière', en: 'rejected by the gate' },
  failed: { fr: 'en échec', en: 'failed' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
};

export const stepWords: Words = {
  pending: { fr: 'à venir', en: 'pending' },
  running: { fr: 'en cours', en: 'running' },
  succeeded: { fr: 'réussie', en: 'succeeded' },
  failed: { fr: 'en échec', en: 'failed' },
  skipped: { fr: 'sautée', en: 'skipped' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
};

/** The chain's steps, by the name the API gives them. */
export const stepNameWords: Words = {
  sync: { fr: 'miroir', en: 'mirror' },
  checkout: { fr: 'extraction', en: 'checkout' },
  checks: { fr: 'contrôles', en: 'checks' },
  tests: { fr: 'tests', en: 'tests' },
  build: { fr: 'construction', en: 'build' },
  publish: { fr: 'publication', en: 'publish' },
  gate: { fr: 'barrière', en: 'gate' },
  certify: { fr: 'certification', en: 'certify' },
  notify: { fr: 'notification', en: 'notify' },
};

export const deploymentWords: Words = {
  pending: { fr: 'en attente', en: 'pending' },
  committed: { fr: 'écrit dans le dépôt GitOps', en: 'committed to the GitOps repository' },
  superseded: { fr: 'remplacé', en: 'superseded' },
  failed: { fr: 'en échec', en: 'failed' },
};

/** Verdict of a catalogue service's checks. */
export const serviceVerdictWords: Words = {
  pass: { fr: 'réussis', en: 'passed' },
  fail: { fr: 'en échec', en: 'failed' },
  unevaluated: { fr: 'non évalués', en: 'not evaluated' },
};

/** `value` in `lang` from `words`; a value a newer server introduced shows as it came. */
export function say(words: Words, value: string, lang: Lang): string {
  return Object.hasOwn(words, value) ? words[value]![lang] : value;
}

/** ArgoCD's sync and health, e.g. « Synchronisé / Sain ». */
export function argocdStatus(sync: string, health: string | null, lang: Lang): string {
  return `${argocdWord('sync', sync, lang)} / ${argocdWord('health', health ?? 'Unknown', lang)}`;
}

/** The message of a resource's Failed (or else not-Ready) condition, in the language the API answered in. */
export function failureReason(
  conditions: readonly { type: string; status: string; message: string }[] | undefined,
): string | null {
  const failed =
    conditions?.find((c) => c.type === 'Failed' && c.status === 'True') ??
    conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  return failed?.message || null;
}

/** Below a list: why each failed item failed (its condition, in the language the API answered in). */
export function printFailures(
  io: Io,
  items: readonly { name: string; status: string; conditions?: { type: string; status: string; message: string }[] }[],
  lang: Lang,
): void {
  for (const item of items) {
    const reason = item.status === 'failed' ? failureReason(item.conditions) : null;
    if (reason) io.out(lang === 'fr' ? `${item.name} : ${reason}\n` : `${item.name}: ${reason}\n`);
  }
}
