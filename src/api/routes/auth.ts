// Browser login through OIDC (authorization code + PKCE) and logout.
// GET /auth/login → provider → GET /auth/callback → session cookie → back to the console.
import { z } from 'zod';
import { sessionCookieName } from '../../domain/actor.ts';
import { escapeHtml, loginFailurePage } from '../../integrations/identity/login-page.ts';
import { LoginFailure } from '../../integrations/identity/relying-party.ts';
import { browserOrigin } from '../auth/request-origin.ts';
import { bilingual, Problem, type LocalisedText } from '../../errors.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';
import { upsertLoginUser } from '../auth/login-user.ts';
import { createSession, endSession, sessionCookieOptions } from '../auth/sessions.ts';
import { builtinAdminGroups } from '../../integrations/identity/builtin-accounts.ts';
import { accessTokens } from '../../db/schema.ts';
import { inAuditedTransaction, recordAudit } from '../../audit/record.ts';
import { hashToken } from '../auth/tokens.ts';
import { codeChallengePattern, codeVerifierPattern, issueCliCode, redeemCliCode } from '../auth/cli-login-code.ts';

/** Personal access tokens handed to `dso login` (browser flow) live this long. */
const cliTokenLifetimeDays = 90;

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
      if (!services.identity) throw new Problem('notReady', bilingual('Aucun fournisseur d’identité n’est configuré.', 'No identity provider is configured.'));
      const origin = browserOrigin(request, config);
      const login = await services.identity.startLogin(request.query.returnTo, origin);
      reply.setCookie(transactionCookie, login.cookieValue, { ...sessionCookieOptions(config, 600, origin), path: '/auth' });
      return reply.redirect(login.authorizationUrl, 303);
    },
  );

  app.get('/auth/callback', { schema: { hide: true } }, async (request, reply) => {
    if (!services.identity) throw new Problem('notReady', bilingual('Aucun fournisseur d’identité n’est configuré.', 'No identity provider is configured.'));
    const origin = browserOrigin(request, config);
    reply.clearCookie(transactionCookie, { path: '/auth' });
    let identity;
    try {
      identity = await services.identity.finishLogin(new URL(request.url, origin), request.cookies[transactionCookie]);
    } catch (error) {
      if (!(error instanceof Problem)) request.log.error({ err: error }, 'login callback failed');
      else request.log.info({ reason: error instanceof LoginFailure ? error.reason : error.type }, 'login refused');
      const reason = error instanceof LoginFailure ? error.reason : 'unexpected';
      return reply.code(401).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(loginFailurePage(reason, origin));
    }
    const user = await upsertLoginUser(services, identity, adminGroupMapping);
    if (user.disabled) {
      return reply.code(403).type('text/html; charset=utf-8').send(loginFailurePage('accountDisabled', origin));
    }
    const session = await createSession(services, user.id);
    reply.setCookie(
      sessionCookieName,
      session.cookieValue,
      sessionCookieOptions(config, session.maxAgeSeconds, origin),
    );
    request.log.info({ userId: user.id }, 'user logged in');
    await recordAudit(services.db, { kind: 'user', userId: user.id, adminRoles: [] }, request.id, { action: 'session.create', targetType: 'user', targetId: user.id });
    return reply.redirect(identity.returnTo, 303);
  });

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the browser session', response: { 204: z.null().describe('Logged out') } } },
    async (request, reply) => {
      const cookie = request.cookies[sessionCookieName];
      if (cookie && cookie.length <= 512) {
        const ended = await endSession(services, cookie, request.id);
        if (ended) request.log.info({ outcome: ended }, 'user logged out');
      }
      reply.clearCookie(sessionCookieName, sessionCookieOptions(config, undefined, browserOrigin(request, config)));
      if ((request.headers.accept ?? '').includes('text/html')) return reply.redirect('/', 303);
      return reply.code(204).send(null);
    },
  );

  // `dso login` browser flow (RFC 8252 with PKCE): once the person is logged in here and confirms, the browser is
  // sent to the CLI's loopback address (never another host: the redirect target is fixed) with a one-time code,
  // which the CLI exchanges for a new personal access token by a POST carrying its code verifier. The token itself
  // never travels in a URL. The code is issued by a POST from our own page: SameSite=Lax keeps the session cookie
  // off cross-site POSTs, so another site cannot make a logged-in browser issue codes.
  const cliQuery = z.strictObject({
    port: z.coerce.number().int().min(1024).max(65535),
    state: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/),
    code_challenge: z.string().regex(codeChallengePattern, 'an S256 code challenge (base64url of a SHA-256 digest)'),
    code_challenge_method: z.literal('S256').default('S256'),
  });

  app.get('/auth/cli', { schema: { hide: true, querystring: cliQuery } }, async (request, reply) => {
    const actor = request.actor;
    const { port, state, code_challenge: challenge } = request.query;
    if (actor.kind !== 'user' || !actor.sessionId) {
      const here = `/auth/cli?port=${port}&state=${encodeURIComponent(state)}&code_challenge=${challenge}&code_challenge_method=S256`;
      return reply.redirect(`/auth/login?returnTo=${encodeURIComponent(here)}`, 303);
    }
    reply.header('cache-control', 'no-store').header('x-frame-options', 'DENY').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:*; frame-ancestors 'none'");
    return reply.type('text/html; charset=utf-8').send(cliConfirmationPage(port, state, challenge));
  });

  app.post('/auth/cli', { schema: { hide: true, body: cliQuery } }, async (request, reply) => {
    const actor = request.actor;
    if (actor.kind !== 'user' || !actor.sessionId) throw new Problem('unauthenticated', bilingual('Connectez-vous d’abord dans le navigateur, puis relancez dso login.', 'Log in in the browser first, then run dso login again.'));
    const code = issueCliCode(services.secretBox, actor.userId, request.body.code_challenge, services.now().getTime());
    const target = new URL(`http://127.0.0.1:${request.body.port}/callback`);
    target.searchParams.set('state', request.body.state);
    target.searchParams.set('code', code);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return reply.redirect(target.href, 303);
  });

  // The CLI's exchange: the one-time code and the PKCE code verifier in a POST body, the token in the answer.
  const cliTokenRequest = z.strictObject({ code: z.string().min(1).max(4096), code_verifier: z.string().regex(codeVerifierPattern, 'a PKCE code verifier (43 to 128 characters)') });
  app.post('/auth/cli/token', { schema: { hide: true, body: cliTokenRequest } }, async (request, reply) => {
    const redeemed = redeemCliCode(
      services.secretBox,
      request.body.code,
      request.body.code_verifier,
      services.now().getTime(),
    );
    const refused = (detail: LocalisedText) => new Problem('validation', detail, [{ field: 'code', message: detail }]);
    if (!redeemed.ok) {
      throw refused(
        redeemed.reason === 'expired'
          ? bilingual('Le code de connexion a expiré (il vaut une minute) : relancez dso login.', 'The login code expired (it is valid for one minute): run dso login again.')
          : bilingual('Le code de connexion ou le code verifier n’est pas valide : relancez dso login.', 'The login code or the code verifier is not valid: run dso login again.'),
      );
    }
    const now = services.now();
    const expiresAt = new Date(now.getTime() + cliTokenLifetimeDays * 86_400_000);
    const name = `dso login ${now.toISOString().slice(0, 10)}`;
    const hash = hashToken(redeemed.token);
    const created = await inAuditedTransaction(services.db, { kind: 'user', userId: redeemed.userId, adminRoles: [] }, request.id, async (tx, audit) => {
      const [token] = await tx
        .insert(accessTokens)
        .values({ userId: redeemed.userId, name, tokenHash: hash, prefix: redeemed.token.slice(0, 12), expiresAt })
        .onConflictDoNothing()
        .returning();
      if (!token) return undefined; // the code was already exchanged
      await audit({ action: 'token.create', targetType: 'access-token', targetId: token.id, after: { id: token.id, name, prefix: token.prefix, expiresAt: expiresAt.toISOString() } });
      return token;
    });
    if (!created) throw refused(bilingual('Le code de connexion a déjà servi : relancez dso login.', 'The login code was already used: run dso login again.'));
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return { token: redeemed.token, expiresAt: expiresAt.toISOString() };
  });
}

function cliConfirmationPage(port: number, state: string, challenge: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Connexion de la ligne de commande — DSO π</title>
<style>body{font-family:Marianne,Arial,sans-serif;max-width:34rem;margin:4rem auto;color:#161616}button{background:#000091;color:#fff;border:0;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}</style></head>
<body><h1>Autoriser la commande « dso » ?</h1>
<p>La commande <code>dso login</code> lancée sur cet ordinateur demande un jeton d’accès personnel (valable ${cliTokenLifetimeDays} jours) pour agir en votre nom.</p>
<p lang="en">The <code>dso login</code> command on this computer asks for a personal access token (valid ${cliTokenLifetimeDays} days) to act on your behalf.</p>
<form method="post" action="/auth/cli"><input type="hidden" name="port" value="${port}"><input type="hidden" name="state" value="${escapeHtml(state)}"><input type="hidden" name="code_challenge" value="${escapeHtml(challenge)}"><input type="hidden" name="code_challenge_method" value="S256">
<button type="submit">Autoriser / Allow</button></form>
<p>Si vous n’avez pas lancé <code>dso login</code>, fermez simplement cette page.</p></body></html>`;
}
