// Operations endpoints for the platform running us: liveness, readiness, Prometheus metrics.
import { bilingual, Problem } from '../../errors.ts';
import { sendProblem } from '../plugins/problem-handler.ts';
import { health } from '../schemas/ops.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';
import { version } from '../../version.ts';

const healthType = 'application/health+json; charset=utf-8';

export default async function opsRoutes(app: App, services: Services): Promise<void> {
  app.get('/healthz', { schema: { hide: true, response: { 200: health } } }, async (_request, reply) =>
    reply.type(healthType).header('cache-control', 'no-store').send({ status: 'pass', version }),
  );

  app.get('/readyz', { schema: { hide: true, response: { 200: health } } }, async (_request, reply) => {
    const checks = await services.readiness();
    const failing = checks.filter((c) => !c.ok);
    const details = Object.fromEntries(checks.map((c) => [c.name, [{ status: c.ok ? ('pass' as const) : ('fail' as const), ...(c.detail ? { output: c.detail } : {}) }]]));
    reply.header('cache-control', 'no-store');
    if (failing.length > 0) {
      const failingList = failing.map((c) => `${c.name}${c.detail ? ` (${c.detail})` : ''}`).join(', ');
      return sendProblem(reply, new Problem('notReady', bilingual(`Pas prêt : ${failingList}.`, `Not ready: ${failingList}.`), undefined, { checks: details }));
    }
    return reply.type(healthType).send({ status: 'pass', version, checks: details });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const body = await services.metrics.registry.metrics();
    return reply.type(services.metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });
}
