// Prometheus metrics of one running instance. One registry per instance (tests start several servers).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  queueDepth: Gauge<'queue'>;
  reconcileDuration: Histogram<'result'>;
  reconcileFailures: Counter<'step'>;
}

export function createMetrics(
  options: { defaultMetrics?: boolean; queueDepth?: () => Promise<Record<string, number>> } = {},
): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'dso_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'dso_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'dso_queue_depth',
      help: 'Jobs waiting or running in the reconcile queue.',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const depths = (await options.queueDepth?.().catch(() => ({}))) ?? {};
        for (const [queue, depth] of Object.entries(depths)) this.labels(queue).set(Number(depth));
      },
    }),
    reconcileDuration: new Histogram({
      name: 'dso_reconcile_duration_seconds',
      help: 'Duration of project reconciles, by result (ready or failed).',
      labelNames: ['result'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    reconcileFailures: new Counter({
      name: 'dso_reconcile_failures_total',
      help: 'Failed reconcile steps, by step name.',
      labelNames: ['step'],
      registers: [registry],
    }),
  };
}
