// The observability checker's message catalogue: each rule's description and finding messages, French and English.
import { bindCatalogue, message } from '../localise.ts';

export const observabilityCatalogue = {
  'observability.health-endpoint': {
    description: {
      fr: 'Une application déployable ne montre aucun point de santé : ni sonde, ni HEALTHCHECK, ni route de santé.',
      en: 'A deployable application shows no health endpoint: no probe, HEALTHCHECK or health route was found.',
    },
    messages: {
      missing: message(
        () => 'Aucun point de santé trouvé : exposez /healthz (problem+json en cas d’échec) et déclarez des sondes liveness et readiness.',
        () => 'No health endpoint found: expose /healthz (problem+json on failure) and declare liveness and readiness probes.'),
    },
  },
  'observability.metrics-endpoint': {
    description: {
      fr: 'Une application déployable n’expose aucune métrique Prometheus : ni annotation de collecte, ni ServiceMonitor, ni route de métriques, ni bibliothèque cliente.',
      en: 'A deployable application shows no Prometheus metrics: no scrape annotation, ServiceMonitor, metrics route or client library was found.',
    },
    messages: {
      missing: message(
        () => 'Aucune métrique Prometheus trouvée : exposez /metrics avec une bibliothèque cliente Prometheus et déclarez un ServiceMonitor ou l’annotation prometheus.io/scrape.',
        () => 'No Prometheus metrics found: expose /metrics with a Prometheus client library and declare a ServiceMonitor or prometheus.io/scrape annotation.'),
    },
  },
} as const;

export const say = bindCatalogue(observabilityCatalogue);
