// The API description checker's message catalogue: each rule's description and finding messages, French and English.
import { bindCatalogue, message } from '../localise.ts';

export const apiDescriptionCatalogue = {
  'api-description.missing': {
    description: {
      fr: 'L’application sert une API HTTP mais le dépôt ne contient aucune description OpenAPI ou Swagger de cette API.',
      en: 'The application serves an HTTP API but the repository holds no OpenAPI or Swagger description of it.',
    },
    messages: {
      missing: message<{ evidence: string }>(
        (p) => `L’application sert une API HTTP (${p.evidence}) mais aucun document OpenAPI ou Swagger n’a été trouvé ; ajoutez un openapi.yaml qui la décrit.`,
        (p) => `The application serves an HTTP API (${p.evidence}) but no OpenAPI or Swagger document was found; add openapi.yaml describing it.`),
    },
  },
  'api-description.invalid': {
    description: {
      fr: 'Le document OpenAPI ou Swagger n’est pas conforme au schéma officiel de sa version.',
      en: 'The OpenAPI or Swagger document does not conform to the official schema of its version.',
    },
    messages: {
      schema: message<{ version: string; problem: string }>((p) => `Schéma ${p.version} : ${p.problem}`, (p) => `${p.version} schema: ${p.problem}`),
    },
  },
  'api-description.unparsable': {
    description: {
      fr: 'Le fichier de description d’API n’a pas pu être lu comme du YAML ou du JSON.',
      en: 'The API description file could not be read as YAML or JSON.',
    },
    messages: {
      parse: message<{ reason: string }>((p) => `La description d’API n’a pas pu être lue : ${p.reason}.`, (p) => `The API description could not be read: ${p.reason}.`),
    },
  },
} as const;

export const say = bindCatalogue(apiDescriptionCatalogue);
