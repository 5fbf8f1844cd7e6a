// Rules of the API description checker (EX46, EX54).
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { apiDescriptionCatalogue } from './messages.ts';

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const apiDescriptionRules = withDescriptions({
  missing: {
    id: 'api-description.missing', kind: 'policy', severity: 'medium', requirements: ['EX46', 'EX54'],
    description: 'The application serves HTTP but the repository holds no OpenAPI or Swagger description of its API.',
  },
  invalid: {
    id: 'api-description.invalid', kind: 'policy', severity: 'high', requirements: ['EX46', 'EX54'],
    description: 'The OpenAPI or Swagger document does not conform to the official schema of its version.',
  },
  unparsable: {
    id: 'api-description.unparsable', kind: 'parse', severity: 'medium', requirements: ['EX46'],
    description: 'The API description file could not be read as YAML or JSON.',
  },
} as const satisfies Record<string, Rule>, apiDescriptionCatalogue);

export const apiDescriptionRuleList: readonly Rule[] = Object.values(apiDescriptionRules);
