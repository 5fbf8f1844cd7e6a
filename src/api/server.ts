// The HTTP server: fastify 5 with zod schemas (validation, serialization and OpenAPI 3.1 from the same schema),
// problem+json errors, request ids, JSON logs, metrics, the console's static files, and the route plugins.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../system/services.ts';
import { bilingual, Problem } from '../errors.ts';
import { problem } from './schemas/problem.ts';
import { registerProblemHandler, sendProblem } from './plugins/problem-handler.ts';
import { bodyLimitBytes, clientErrorAsProblem, frameworkErrorAsProblem, registerInputGuard } from './plugins/input-guard.ts';
import { registerActorResolution } from './auth/resolve-actor.ts';
import { routeModules } from './routes/index.ts';
import { version } from '../version.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ServerOptions {
  /** Extra plugins mounted before the routes (the embedded OIDC provider mounts itself this way). */
  mounts?: ((app: App) => Promise<void>)[];
}

export async function buildServer(services: Services, options: ServerOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: bodyLimitBytes,
    // Incoming x-request-id is kept when well-formed (tracing across proxies), otherwise a new UUID.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    // Our own one-line-per-request log (onResponse) replaces fastify's two lines, which include headers.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    // Plugins that start runtimes (queues, workers) can take long on a busy machine: a slow start is not a failure.
    pluginTimeout: 120_000,
    forceCloseConnections: 'idle',
    // Malformed URLs and broken HTTP are answered as problem+json too.
    frameworkErrors: (error, request, reply) => frameworkErrorAsProblem(error, request, reply),
    clientErrorHandler: clientErrorAsProblem,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);
  declareProblemResponses(app);

  // Request id echoed back; one log line per request (without headers, query string or body).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    services.metrics.httpRequestDuration.labels(request.method, route, String(reply.statusCode)).observe(seconds);
    if (route === '/healthz' || route === '/readyz' || route === '/metrics') return;
    request.log.info({ req: request, res: reply, route, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  await app.register((await import('@fastify/cookie')).default);
  await app.register((await import('@fastify/formbody')).default, { bodyLimit: bodyLimitBytes });

  await app.register((await import('@fastify/swagger')).default, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'DSO π API',
        version,
        description: 'API of the DSO π console. Errors are application/problem+json (RFC 9457).',
      },
      servers: [{ url: services.config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal access token, service-account token or DSO_ADMIN_TOKEN.' },
          session: { type: 'apiKey', in: 'cookie', name: 'dso_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register((await import('@fastify/swagger-ui')).default, { routePrefix: '/api/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // The git endpoint (/git/…): its Basic→Bearer credential hook must run before the actor resolution.
  await (await import('./routes/git.ts')).mountGitEndpoint(app, services);
  registerActorResolution(app, services);
  registerInputGuard(app);

  for (const mount of options.mounts ?? []) await mount(app);

  for (const entry of routeModules) {
    const mod = await entry.load();
    await app.register(async (scope) => mod.default(scope as App, services), { prefix: entry.prefix });
  }

  await registerConsole(app, services.config.webDir);
  return app;
}

/**
 * Every API route with a schema declares the problems it may answer (any 4xx or 5xx is a problem document), unless
 * it declares its own: OpenAPI lists them next to the successful responses.
 */
function declareProblemResponses(app: App): void {
  app.addHook('onRoute', (route) => {
    if (!route.schema || route.schema.hide || !route.url.startsWith('/api/')) return;
    const response = { ...((route.schema.response as Record<string, unknown> | undefined) ?? {}) };
    response['4xx'] ??= problem;
    response['5xx'] ??= problem;
    route.schema = { ...route.schema, response };
  });
}

const apiPrefixes = ['/api/', '/auth/', '/oidc/', '/metrics', '/healthz', '/readyz'];

/** The built console (web/dist) at /, with a fallback to index.html for client-side routes. */
async function registerConsole(app: App, webDir: string): Promise<void> {
  const indexFile = path.join(webDir, 'index.html');
  const built = fs.existsSync(indexFile);
  if (built) {
    // One wildcard route rather than one per file: the built console has hundreds of files (~1 s of routing setup at
    // every start).
    await app.register((await import('@fastify/static')).default, {
      root: webDir,
      prefix: '/',
      wildcard: true,
      index: 'index.html',
      // gzip/brotli files written at build time (scripts/compress-web.mjs): no compression work per request.
      preCompressed: true,
      cacheControl: false,
      // Vite names assets by content hash: they never change, so browsers keep them; index.html is always revalidated.
      setHeaders(res, filePath) {
        res.setHeader('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="fr"><meta charset="utf-8"><title>DSO π</title>' +
            '<h1>DSO π</h1><p>La console web n’est pas construite (<code>web/dist</code> absent). ' +
            'L’API fonctionne&nbsp;: <a href="/api/docs">documentation de l’API</a>.</p>' +
            '<p lang="en">The web console is not built. The API works: <a href="/api/docs">API documentation</a>.</p></html>',
        ),
    );
  }
  app.setNotFoundHandler(async (request, reply) => {
    const pathOnly = request.url.split('?')[0] ?? '/';
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (built && request.method === 'GET' && wantsHtml && !apiPrefixes.some((p) => pathOnly.startsWith(p))) {
      return reply.type('text/html; charset=utf-8').send(fs.createReadStream(indexFile));
    }
    return sendProblem(reply, new Problem('notFound', bilingual(`Aucune route pour ${request.method} ${pathOnly}.`, `No route for ${request.method} ${pathOnly}.`)));
  });
}
