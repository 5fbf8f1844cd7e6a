// What a chain step (or a whole run) says about its outcome, as a stable code plus parameters, rendered in French
// and in English here — like verdict reasons (verdict.ts). The database keeps the note; the API sends both texts;
// the run log and the older `message` field keep the French text.
import type { LocalisedText } from '../errors.ts';

export type StepNoteParams = Record<string, string | number>;

const str = (params: StepNoteParams, name: string) => String(params[name] ?? '');

/** Each note in both languages, from its parameters. */
const texts = {
  'build.no-image': () => ({ fr: 'aucune image à construire (pas de Dockerfile ni de section image dans .dso.yml)', en: 'no image to build (no Dockerfile and no image section in .dso.yml)' }),
  'build.no-builder': () => ({ fr: 'aucun outil de construction d’image sur la plateforme', en: 'no image builder on the platform' }),
  'build.failed': (p) => ({ fr: str(p, 'fr'), en: str(p, 'en') }),
  'build.built': (p) => ({ fr: `image construite en ${p.ms} ms${p.runtimeFr ? ` ; ${str(p, 'runtimeFr')}` : ''}`, en: `image built in ${p.ms} ms${p.runtimeEn ? `; ${str(p, 'runtimeEn')}` : ''}` }),
  'certify.not-certifiable': () => ({ fr: 'révision non certifiée par la barrière', en: 'revision not certified by the gate' }),
  'certify.unknown-revision': () => ({ fr: 'révision inconnue', en: 'unknown revision' }),
  'gate.report-missing': () => ({ fr: 'rapport de contrôle introuvable', en: 'check report not found' }),
  'gate.certifiable': () => ({ fr: 'certifiable', en: 'certifiable' }),
  'gate.not-certifiable': () => ({ fr: 'non certifiable', en: 'not certifiable' }),
  'publish.no-image': () => ({ fr: 'aucune image construite', en: 'no image built' }),
  'publish.rebuild-failed': () => ({ fr: 'l’image perdue n’a pas pu être reconstruite', en: 'the lost image could not be rebuilt' }),
  'publish.failed': (p) => ({ fr: `publication de l’image impossible : ${str(p, 'error')}`, en: `the image could not be published: ${str(p, 'error')}` }),
  'sync.failed': (p) => ({ fr: str(p, 'fr'), en: str(p, 'en') }),
  'sync.hosted-empty': () => ({ fr: 'Le dépôt hébergé est vide : poussez une branche (git push) avant de lancer la chaîne.', en: 'The hosted repository is empty: push a branch (git push) before running the chain.' }),
  'checkout.failed': (p) => ({ fr: str(p, 'fr'), en: str(p, 'en') }),
  'tests.none-declared': () => ({ fr: 'aucune commande de test déclarée (.dso.yml, test.command)', en: 'no test command declared (.dso.yml, test.command)' }),
  'tests.no-sandbox': () => ({ fr: 'commande de test non exécutée : aucun bac à sable disponible sur la plateforme', en: 'test command not run: no sandbox available on the platform' }),
  'tests.passed': (p) => ({ fr: `tests réussis en ${p.ms} ms`, en: `tests passed in ${p.ms} ms` }),
  'tests.failed': (p) => ({ fr: `les tests ont échoué (code de sortie ${str(p, 'exitCode')})`, en: `the tests failed (exit code ${str(p, 'exitCode')})` }),
  'tests.wall-time-exceeded': () => ({ fr: 'les tests ont dépassé le temps imparti', en: 'the tests ran out of time' }),
  'tests.cpu-time-exceeded': () => ({ fr: 'les tests ont dépassé le temps de calcul imparti', en: 'the tests ran out of CPU time' }),
  'tests.killed': (p) => ({ fr: `les tests ont été arrêtés (${str(p, 'signal')})`, en: `the tests were stopped (${str(p, 'signal')})` }),
  'tests.could-not-start': () => ({ fr: 'la commande de test n’a pas pu démarrer', en: 'the test command could not start' }),
  'notify.summary': (p) => ({
    fr: [`${p.delivered} webhook(s) livré(s), ${p.failed} en échec`, ...(p.emailFr ? [str(p, 'emailFr')] : [])].join(' ; '),
    en: [`${p.delivered} webhook(s) delivered, ${p.failed} failed`, ...(p.emailEn ? [str(p, 'emailEn')] : [])].join('; '),
  }),
  'step.git-missing': (p) => ({ fr: `git n’est pas installé sur cette instance (${str(p, 'host')}) : l’exploitant de la plateforme doit l’installer`, en: `git is not installed on this replica (${str(p, 'host')}): the platform operator must install it` }),
  'step.workdir-missing': (p) => ({ fr: `dossier de travail absent sur cette instance : ${str(p, 'folder')}`, en: `working folder missing on this replica: ${str(p, 'folder')}` }),
  'step.unexpected': (p) => ({ fr: `erreur inattendue : ${str(p, 'error')}`, en: `unexpected error: ${str(p, 'error')}` }),
  'step.cancelled': () => ({ fr: 'annulée à la demande', en: 'cancelled on request' }),
  'step.not-run': () => ({ fr: 'non exécutée', en: 'not run' }),
  'step.interrupted': () => ({ fr: 'interrompue', en: 'interrupted' }),
  'run.cancelled': () => ({ fr: 'Exécution annulée à la demande.', en: 'Run cancelled on request.' }),
  'run.source-removed': () => ({ fr: 'Le dépôt ou le projet a été supprimé.', en: 'The repository or the project was removed.' }),
  'run.interrupted-too-often': () => ({ fr: 'L’exécution a été interrompue (arrêt brutal du service) trop de fois ; relancez-la.', en: 'The run was interrupted (the service stopped abruptly) too many times; start it again.' }),
} satisfies Record<string, (params: StepNoteParams) => LocalisedText>;

export type StepNoteCode = keyof typeof texts;

/** What a step or a run says, as data: `stepNoteText` renders it in both languages. */
export interface StepNote {
  code: StepNoteCode;
  params?: StepNoteParams;
}

export const stepNoteCodes = Object.keys(texts) as StepNoteCode[];

export function note(code: StepNoteCode, params?: StepNoteParams): StepNote {
  return params ? { code, params } : { code };
}

/** Both texts of a note; an unknown code (written by a newer version) shows itself. */
export function stepNoteText(stepNote: StepNote): LocalisedText {
  const render = (texts as Record<string, ((params: StepNoteParams) => LocalisedText) | undefined>)[stepNote.code];
  return render ? render(stepNote.params ?? {}) : { fr: stepNote.code, en: stepNote.code };
}
