// Browser login through OIDC (authorization code + PKCE) and logout.
// GET /auth/login → provider → GET /auth/callback → session cookie → back to the console.
import { z } from 'zod';
import { sessionCookieName } from '../../domain/actor.ts';
import { errorPage } from '../../integrations/identity/login-page.ts';
import { Problem } from '../problem.ts';
import type { App } from '../server.ts';
import type { Services } from '../services.ts';
import { upsertLoginUser } from '../auth/login-user.ts';
import { createSession, deleteSession, sessionCookieOptions } from '../auth/sessions.ts';
import { builtinAdminGroups } from '../../integrations/identity/builtin-accounts.ts';

const transactionCookie = 'dso_login';

export default async function authRoutes(app: App, services: Services): Promise<void> {
  const { config } = services;
  const adminGroupMapping = Object.keys(config.oidcAdminGroups).length > 0 || config.oidc.kind === 'external' ? config.oidcAdminGroups : builtinAdminGroups;

  app.get(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start a browser login (redirects to the identity provider)',
        querystring: z.object({ returnTo: z.string().max(2000).optional() }),
      },
    },
    async (request, reply) => {
      if (!services.identity) throw new Problem('notReady', 'No identity provider is configured.');
      const login = await services.identity.startLogin(request.query.returnTo);
      reply.setCookie(transactionCookie, login.cookieValue, { ...sessionCookieOptions(config, 600), path: '/auth' });
      return reply.redirect(login.authorizationUrl, 303);
    },
  );

  app.get('/auth/callback', { schema: { hide: true } }, async (request, reply) => {
    if (!services.identity) throw new Problem('notReady', 'No identity provider is configured.');
    reply.clearCookie(transactionCookie, { path: '/auth' });
    let identity;
    try {
      identity = await services.identity.finishLogin(new URL(request.url, config.publicUrl), request.cookies[transactionCookie]);
    } catch (error) {
      const detail = error instanceof Problem ? (error.detail ?? error.message) : 'Unexpected error.';
      if (!(error instanceof Problem)) request.log.error({ err: error }, 'login callback failed');
      return reply.code(401).type('text/html; charset=utf-8').send(errorPage('Connexion impossible / login failed', detail));
    }
    const user = await upsertLoginUser(services, identity, adminGroupMapping);
    if (user.disabled) {
      return reply.code(403).type('text/html; charset=utf-8').send(errorPage('Compte désactivé / account disabled', 'Contactez l’équipe plateforme. / Contact the platform team.'));
    }
    const session = await createSession(services, user.id);
    reply.setCookie(sessionCookieName, session.cookieValue, sessionCookieOptions(config, session.maxAgeSeconds));
    request.log.info({ userId: user.id }, 'user logged in');
    return reply.redirect(identity.returnTo, 303);
  });

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the browser session', response: { 204: z.null().describe('Logged out') } } },
    async (request, reply) => {
      const cookie = request.cookies[sessionCookieName];
      if (cookie && cookie.length <= 512) await deleteSession(services, cookie);
      reply.clearCookie(sessionCookieName, sessionCookieOptions(config));
      if ((request.headers.accept ?? '').includes('text/html')) return reply.redirect('/', 303);
      return reply.code(204).send(null);
    },
  );
}
