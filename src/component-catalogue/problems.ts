// What can go wrong in the catalogue, as values: a stable code and the sentence in French and English, so that the
// API (problem+json), the CLI and the console say the same thing in the user's language.
import type { LocalisedText } from '../errors.ts';

export type CatalogueProblemCode =
  | 'invalid-archive'
  | 'version-exists'
  | 'kind-mismatch'
  | 'not-found'
  | 'blocking-findings'
  | 'exception-invalid'
  | 'source-failed'
  | 'not-operator';

export class CatalogueProblem extends Error {
  constructor(
    readonly code: CatalogueProblemCode,
    readonly text: LocalisedText,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(text.en);
  }
}

export const catalogueProblem = {
  invalidArchive: (detail: string) =>
    new CatalogueProblem('invalid-archive', { fr: `Chart refusé : ${detail}.`, en: `Chart refused: ${detail}.` }),
  versionExists: (slug: string, version: string) =>
    new CatalogueProblem('version-exists', {
      fr: `La version ${version} de ${slug} existe déjà avec un autre contenu : une version publiée ne change pas, importez un nouveau numéro de version.`,
      en: `Version ${version} of ${slug} already exists with different content: a version never changes, import a new version number.`,
    }, { slug, version }),
  kindMismatch: (slug: string, kind: string) =>
    new CatalogueProblem('kind-mismatch', {
      fr: `${slug} est déjà au catalogue comme ${kind === 'operator' ? 'service géré (opérateur)' : 'chart'} : une version ne peut pas en changer la nature.`,
      en: `${slug} is already in the catalogue as ${kind === 'operator' ? 'a managed service (operator)' : 'a chart'}: a version cannot change its kind.`,
    }),
  notFound: (what: string) =>
    new CatalogueProblem('not-found', { fr: `${what} : introuvable dans le catalogue.`, en: `${what}: not found in the catalogue.` }),
  blockingFindings: (slug: string, version: string, verdict: string, count: number) =>
    new CatalogueProblem(
      'blocking-findings',
      verdict === 'unevaluated'
        ? {
          fr: `${slug} ${version} n'a pas pu être évalué (rendu impossible) : sa publication demande une exception enregistrée (qui, pourquoi, jusqu'à quand).`,
          en: `${slug} ${version} could not be evaluated (it does not render): publishing it needs a recorded exception (who, why, until when).`,
        }
        : {
          fr: `${slug} ${version} a ${count} constat${count > 1 ? 's' : ''} bloquant${count > 1 ? 's' : ''} : sa publication demande une exception enregistrée (qui, pourquoi, jusqu'à quand).`,
          en: `${slug} ${version} has ${count} blocking finding${count > 1 ? 's' : ''}: publishing it needs a recorded exception (who, why, until when).`,
        },
      { verdict, blockingFindings: count },
    ),
  exceptionInvalid: (fr: string, en: string) => new CatalogueProblem('exception-invalid', { fr, en }),
  sourceFailed: (url: string, detail: LocalisedText) =>
    new CatalogueProblem('source-failed', { fr: `La source ${url} n'a pas pu être lue : ${detail.fr}.`, en: `The source ${url} could not be read: ${detail.en}.` }),
  notOperator: (slug: string) =>
    new CatalogueProblem('not-operator', { fr: `${slug} n'est pas un service géré (opérateur).`, en: `${slug} is not a managed service (operator).` }),
};
