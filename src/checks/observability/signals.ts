// Evidence of health and metrics endpoints, read from the kinds of files where teams declare them.
// Text patterns rather than parsing: Helm templates and every language are covered the same way.

export type Evidence = { health?: string; metrics?: string };

const withoutComments = (text: string, marker: RegExp): string => text.replace(marker, '');

/** Kubernetes/Helm YAML: probes, Prometheus scrape annotations, Prometheus operator monitors. */
export function manifestEvidence(text: string): Evidence {
  const body = withoutComments(text, /^\s*#.*$/gm);
  const evidence: Evidence = {};
  const probe = /^\s*(?:- )?(livenessProbe|readinessProbe|startupProbe)\s*:/m.exec(body);
  if (probe) evidence.health = probe[1];
  if (/prometheus\.io\/scrape["']?\s*:\s*["']?true/.test(body)) evidence.metrics = 'prometheus.io/scrape annotation';
  else {
    const monitor = /^\s*kind\s*:\s*["']?(ServiceMonitor|PodMonitor)\b/m.exec(body);
    if (monitor) evidence.metrics = monitor[1];
  }
  return evidence;
}

/** Dockerfile: a HEALTHCHECK other than NONE. */
export function dockerfileEvidence(text: string): Evidence {
  return /^\s*HEALTHCHECK\s+(?!NONE\b)/im.test(text) ? { health: 'HEALTHCHECK instruction' } : {};
}

const healthRoute = /["'`](?:\/[\w.-]+)*\/(health|healthz|healthcheck|health-check|health_check|readyz|livez|readiness|liveness)(?:\/[\w-]*)?["'`]/;
const healthLibrary = /spring-boot-starter-actuator|@nestjs\/terminus|quarkus-smallrye-health|micronaut-management|HealthChecks|health-checks|django-health-check|fastify-healthcheck|@cloudnative\/health/;
const metricsRoute = /["'`](?:\/[\w.-]+)*\/metrics["'`]/;
const metricsLibrary = /prom-client|prometheus_client|micrometer-registry-prometheus|client_golang\/prometheus|prometheus-net|io\.prometheus|fastify-metrics|express-prom-bundle|@opentelemetry\/exporter-prometheus|django-prometheus|prometheus-fastapi-instrumentator|starlette[_-]exporter|prometheus\/client_ruby|promphp|metrics-exporter-prometheus/;

/** Source code and dependency manifests: routes and well-known libraries. */
export function codeEvidence(text: string): Evidence {
  const evidence: Evidence = {};
  const route = healthRoute.exec(text);
  if (route) evidence.health = `route ${route[0].slice(1, -1)}`;
  else {
    const library = healthLibrary.exec(text);
    if (library) evidence.health = library[0];
  }
  const metrics = metricsRoute.exec(text);
  if (metrics) evidence.metrics = `route ${metrics[0].slice(1, -1)}`;
  else {
    const library = metricsLibrary.exec(text);
    if (library) evidence.metrics = library[0];
  }
  return evidence;
}
