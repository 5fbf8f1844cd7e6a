// The words of the human output, in French (default) and English (DSO_LANG=en). Findings' own messages come
// from the checkers (English); the chrome around them and the gate's reasons are translated here.
import type { GateReason } from '../gate.ts';
import type { Severity } from '../model.ts';

import type { Language } from '../localise.ts';

export type { Language };

export function languageFromEnvironment(env: NodeJS.ProcessEnv = process.env): Language {
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
  },
  en: {
    revision: 'revision',
    noFinding: 'No finding.',
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
  },
};

export function wordsFor(lang: Language) {
  return words[lang];
}

export function gateReasonText(reason: GateReason, lang: Language): string {
  if (lang === 'en') return reason.message;
  const p = reason.params;
  const n = Number(p.count ?? 0);
  const s = n > 1 ? 's' : '';
  switch (reason.code) {
    case 'new-vulnerability':
      return `${n} nouvelle${s} vulnérabilité${s} critique${s} ou élevée${s}`;
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
    default:
      return reason.message;
  }
}
