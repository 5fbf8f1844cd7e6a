// Configuration that must come from the environment (EX47): hosts, addresses and environment-specific values.
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { configurationCatalogue } from './messages.ts';

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const configurationRules = withDescriptions({
  hardcodedIp: {
    id: 'configuration.hardcoded-ip',
    kind: 'policy',
    severity: 'medium',
    requirements: ['EX47'],
    description: 'An IP address is written in code or configuration instead of coming from the environment.',
  },
  localhostUrl: {
    id: 'configuration.localhost-url',
    kind: 'policy',
    severity: 'low',
    requirements: ['EX47'],
    description: 'A URL pointing at localhost is written in code or configuration without an environment variable to override it.',
  },
  environmentHost: {
    id: 'configuration.environment-host',
    kind: 'policy',
    severity: 'medium',
    requirements: ['EX47'],
    description: 'A host name tied to one environment or internal network (prod., staging., *.interieur.gouv.fr…) is hard-coded.',
  },
  credentialsInUrl: {
    id: 'configuration.credentials-in-url',
    kind: 'policy',
    severity: 'medium',
    requirements: ['EX47'],
    description: 'A URL embeds a user name and a default password; the whole URL should come from the environment.',
  },
} as const satisfies Record<string, Rule>, configurationCatalogue);

export const allConfigurationRules: readonly Rule[] = Object.values(configurationRules);
