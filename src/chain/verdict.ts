// A run's verdict reasons, kept with what is needed to say them in either language: the gate's code and
// parameters (counts, requirement ids, coverage figures) and, for some, a detail the chain adds (the failing
// tests' names, the .dso.yml errors). The English sentence stays in `message` for older readers; the API, the
// CLI, the console and the e-mails all say a reason through `verdictReasonText`.
import { gateReasonText, type Language } from '../checks/format/messages.ts';
import type { GateOutcome, GateReason, GateReasonCode } from '../checks/gate.ts';

export interface VerdictReason {
  code: string;
  /** passed, failed or not evaluated (absent on runs recorded before: derived from `blocking`). */
  outcome?: GateOutcome;
  blocking: boolean;
  /** English sentence, detail included. */
  message: string;
  /** The gate's parameters of this reason (absent on runs recorded before they were kept). */
  params?: Record<string, string | number>;
  /** What the chain adds after the sentence: test names, configuration errors. Not translated (it names things). */
  detail?: string;
}

/** Reasons only the chain gives (the gate of the checks library does not know them). */
const chainReasons: Record<string, { fr: string; en: string }> = {
  'configuration-invalid': { fr: 'le fichier .dso.yml est invalide', en: '.dso.yml is invalid' },
  'image-build-failed': { fr: "l'image n'a pas pu être construite (voir le journal de construction)", en: 'The image could not be built (see the build log).' },
  'sandbox-unavailable': {
    fr: "la commande de test n'a pas été exécutée : aucun bac à sable n'est disponible sur la plateforme (bubblewrap), et l'exploitant n'a pas choisi DSO_SANDBOX=none",
    en: 'The test command was not run: no sandbox is available on the platform (bubblewrap), and the operator did not choose DSO_SANDBOX=none.',
  },
  'no-image-builder': { fr: "aucun outil de construction d'image sur la plateforme : l'image n'a pas été reconstruite", en: 'No image builder on this platform: the image was not rebuilt.' },
};

export function chainReason(
  code: keyof typeof chainReasons & string,
  blocking: boolean,
  detail?: string,
): VerdictReason {
  const en = chainReasons[code]!.en;
  // The image not rebuilt is a step the chain could not do, not a failure of the revision.
  const outcome: GateOutcome = code === 'no-image-builder' ? 'not-evaluated' : 'failed';
  return { code, outcome, blocking, message: detail ? `${en}: ${detail}` : en, ...(detail ? { detail } : {}) };
}

export function gateVerdictReason(reason: GateReason, detail?: string): VerdictReason {
  return {
    code: reason.code,
    outcome: reason.outcome,
    blocking: reason.blocking,
    message: detail ? `${reason.message}: ${detail}` : reason.message,
    params: reason.params,
    ...(detail ? { detail } : {}),
  };
}

export function verdictReasonText(reason: VerdictReason, lang: Language): string {
  if (lang === 'en') return reason.message;
  const suffix = reason.detail ? ` : ${reason.detail}` : '';
  const own = chainReasons[reason.code];
  if (own) return `${own.fr}${suffix}`;
  // Recorded before parameters were kept: the English sentence rather than a French one with wrong figures.
  if (!reason.params) return reason.message;
  return `${gateReasonText({ code: reason.code as GateReasonCode, message: reason.message, params: reason.params }, 'fr')}${suffix}`;
}

/** Both languages, as the API gives them. */
export function verdictReasonTexts(reason: VerdictReason): { fr: string; en: string } {
  return { fr: verdictReasonText(reason, 'fr'), en: verdictReasonText(reason, 'en') };
}
