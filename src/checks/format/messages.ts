// The words of the human output, in French (default) and English (DSO_LANG=en). Findings' own messages come
// from the checkers (English); the chrome around them and the gate's reasons are translated here.
import type { GateOutcome, GateReason } from '../gate.ts';
import type { Severity } from '../model.ts';
import { extentText, unevaluatedKindName, unevaluatedReasonText, type UnevaluatedKind, type UnevaluatedParams } from '../unevaluated.ts';

import type { Language } from '../localise.ts';

export type { Language };

export function languageFromEnvironment(env: NodeJS.ProcessEnv): Language {
  return env.DSO_LANG?.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

const severityNames: Record<Language, Record<Severity, string>> = {
  fr: { critical: 'critique', high: 'élevée', medium: 'moyenne', low: 'faible', info: 'info' },
  en: { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info' },
};

export function severityName(severity: Severity, lang: Language): string {
  return severityNames[lang][severity];
}

const words = {
  fr: {
    revision: 'révision',
    noFinding: 'Aucun constat.',
    testScope: (n: number) => `Tests, jeux d’essai, exemples et documentation — ${n} constat${n > 1 ? 's' : ''}, non bloquant${n > 1 ? 's' : ''} :`,
    summary: 'Résumé',
    findings: (n: number) => `${n} constat${n > 1 ? 's' : ''}`,
    files: (n: number) => `${n} fichier${n > 1 ? 's' : ''} analysé${n > 1 ? 's' : ''}`,
    allowListed: (n: number) => `${n} ignoré${n > 1 ? 's' : ''} par .dso/allowlist`,
    baseline: (n: number, s: number, f: number) => `par rapport à la référence : ${n} nouveau(x), ${s} toujours présent(s), ${f} corrigé(s)`,
    notes: 'Remarques',
    tests: (t: number, f: number) => `Tests : ${t} exécutés, ${f} en échec`,
    coverage: (r: number) => `Couverture des lignes : ${r} %`,
    verdict: 'Verdict',
    pass: 'RÉUSSI',
    fail: 'ÉCHEC',
    notEvaluated: 'NON ÉVALUÉ',
    incomplete: 'évaluation incomplète',
    unevaluated: 'Non évalué',
  },
  en: {
    revision: 'revision',
    noFinding: 'No finding.',
    testScope: (n: number) => `Tests, fixtures, examples and docs — ${n} finding${n === 1 ? '' : 's'}, not blocking:`,
    summary: 'Summary',
    findings: (n: number) => `${n} finding${n === 1 ? '' : 's'}`,
    files: (n: number) => `${n} file${n === 1 ? '' : 's'} scanned`,
    allowListed: (n: number) => `${n} ignored by .dso/allowlist`,
    baseline: (n: number, s: number, f: number) => `against the baseline: ${n} new, ${s} still present, ${f} fixed`,
    notes: 'Notes',
    tests: (t: number, f: number) => `Tests: ${t} run, ${f} failing`,
    coverage: (r: number) => `Line coverage: ${r}%`,
    verdict: 'Verdict',
    pass: 'PASSED',
    fail: 'FAILED',
    notEvaluated: 'NOT EVALUATED',
    incomplete: 'evaluation incomplete',
    unevaluated: 'Not evaluated',
  },
};

export function wordsFor(lang: Language) {
  return words[lang];
}

/** A reason's outcome; reasons recorded before outcomes existed were either blocking (failed) or passed. */
export function outcomeOf(reason: { outcome?: GateOutcome | string; blocking: boolean }): GateOutcome {
  if (reason.outcome === 'passed' || reason.outcome === 'failed' || reason.outcome === 'not-evaluated') return reason.outcome;
  return reason.blocking ? 'failed' : 'passed';
}

/** ✓ only for a criterion fully evaluated and passed; ✗ failed; ⚠ not (fully) evaluated. */
export function outcomeMark(reason: { outcome?: GateOutcome | string; blocking: boolean }): '✓' | '✗' | '⚠' {
  const outcome = outcomeOf(reason);
  return outcome === 'passed' ? '✓' : outcome === 'failed' ? '✗' : '⚠';
}

const criterionNames: Record<Language, Record<string, string>> = {
  fr: { vulnerabilities: 'vulnérabilités', policies: 'exigences P', secrets: 'secrets', tests: 'tests', coverage: 'couverture' },
  en: { vulnerabilities: 'vulnerabilities', policies: 'P requirements', secrets: 'secrets', tests: 'tests', coverage: 'coverage' },
};

/** « vulnérabilités : 3 composants sur 20 vérifiés ; 17 non résolus (parent Maven … non résolu) ». */
function notEvaluatedText(p: GateReason['params'], lang: Language): string {
  const criterion = criterionNames[lang][String(p.criterion)] ?? String(p.criterion);
  const causeParams: UnevaluatedParams = {};
  for (const [key, value] of Object.entries(p)) if (key.startsWith('cause.')) causeParams[key.slice(6)] = value;
  const kind = String(p.causeKind ?? 'dependency') as UnevaluatedKind;
  const cause = `${p.causeItem} (${unevaluatedKindName(kind, lang)}) : ${unevaluatedReasonText(String(p.cause), causeParams, lang)}`.replace(' : ', lang === 'fr' ? ' : ' : ': ');
  const others = Number(p.others ?? 0);
  const more = others > 0 ? (lang === 'fr' ? `, et ${others} autre${others > 1 ? 's' : ''}` : `, and ${others} other${others === 1 ? '' : 's'}`) : '';
  const unresolved = Number(p.unresolved ?? p.count ?? 0);
  if (p.total !== undefined && p.checked !== undefined) {
    const extent = extentText({ checked: Number(p.checked), total: Number(p.total), unit: String(p.unit) as 'components' }, lang);
    // Components whose version is unknown are "unresolved"; known ones with no advisory data are "not checked".
    // Everything was looked up, but against data the run cannot vouch for (stale advisories): said as such.
    if (unresolved === 0) return lang === 'fr' ? `${criterion} : ${extent}, évaluation incomplète (${cause}${more})` : `${criterion}: ${extent}, not fully evaluated (${cause}${more})`;
    const word = kind === 'advisories' ? (lang === 'fr' ? `non vérifié${unresolved > 1 ? 's' : ''}` : 'not checked') : lang === 'fr' ? `non résolu${unresolved > 1 ? 's' : ''}` : 'unresolved';
    return lang === 'fr' ? `${criterion} : ${extent} ; ${unresolved} ${word} (${cause}${more})` : `${criterion}: ${extent}; ${unresolved} ${word} (${cause}${more})`;
  }
  return lang === 'fr' ? `${criterion} : non évalué entièrement (${cause}${more})` : `${criterion}: not fully evaluated (${cause}${more})`;
}

export function gateReasonText(reason: Pick<GateReason, 'code' | 'params' | 'message'>, lang: Language): string {
  if (reason.code === 'not-evaluated') return notEvaluatedText(reason.params, lang);
  if (lang === 'en') return reason.message;
  const p = reason.params;
  const n = Number(p.count ?? 0);
  const s = n > 1 ? 's' : '';
  switch (reason.code) {
    case 'new-vulnerability': {
      const unknown = Number(p.unknownSeverity ?? 0);
      return `${n} nouvelle${s} vulnérabilité${s} critique${s} ou élevée${s}${unknown > 0 ? ` (dont ${unknown} de sévérité inconnue)` : ''}`;
    }
    case 'unknown-severity':
      return `${n} nouvelle${s} vulnérabilité${s} de sévérité inconnue (l'avis n'en donne aucune)`;
    case 'no-new-vulnerability':
      return 'aucune nouvelle vulnérabilité critique ou élevée';
    case 'secret':
      return `${n} secret${s} dans le code`;
    case 'no-secret':
      return 'aucun secret dans le code';
    case 'p-requirement':
      return `${n} constat${s} en violation d'exigence${String(p.requirements).includes(',') ? 's' : ''} P (${p.requirements})`;
    case 'no-p-requirement-violation':
      return 'aucune exigence P violée';
    case 'tests-failing':
      return `${p.failing} test(s) en échec sur ${p.tests}`;
    case 'tests-passing':
      return `${p.tests} tests réussis`;
    case 'coverage-decreased':
      return `couverture des lignes en baisse : ${p.before} % → ${p.now} %`;
    case 'coverage-kept':
      return `couverture des lignes ${p.now} % (référence ${p.before} %)`;
    case 'derogated':
      return `${n} constat${s} couvert${s} par une dérogation en vigueur`;
    case 'test-scope':
      return `${n} constat${s} dans les tests, jeux d’essai, exemples, la documentation ou les images de développement, non bloquant${s}`;
    default:
      return reason.message;
  }
}
