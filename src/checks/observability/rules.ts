// Rules of the observability checker (EX25): a deployable application declares a health
// endpoint and exposes Prometheus metrics.
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { observabilityCatalogue } from './messages.ts';

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const observabilityRules = withDescriptions({
  healthEndpoint: {
    id: 'observability.health-endpoint', kind: 'policy', severity: 'medium', requirements: ['EX25'],
    description: 'A deployable application shows no health endpoint: no probe, HEALTHCHECK or health route was found.',
  },
  metricsEndpoint: {
    id: 'observability.metrics-endpoint', kind: 'policy', severity: 'medium', requirements: ['EX25', 'EX55'],
    description: 'A deployable application shows no Prometheus metrics: no scrape annotation, ServiceMonitor, metrics route or client library was found.',
  },
} as const satisfies Record<string, Rule>, observabilityCatalogue);

export const observabilityRuleList: readonly Rule[] = Object.values(observabilityRules);
