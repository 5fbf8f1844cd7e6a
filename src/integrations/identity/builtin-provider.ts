// The built-in OpenID Connect provider (oidc-provider), for embedded/dev mode only: mounted under /oidc in the
// same process, accounts from builtin_accounts, our own login page. Its keys, cookie secrets and client secret
// are generated at each start: restarting only logs people out of the provider, not out of the console.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { authenticateBuiltin, findBuiltinAccount } from './builtin-accounts.ts';
import { errorPage, loginPage } from './login-page.ts';
import { createProviderStore } from './provider-store.ts';
import { isLocalConsoleOrigin } from './local-origins.ts';

/**
 * oidc-provider 9 warns at import that it prefers Node 22; it is verified on our Node 20 (see DESIGN), so that
 * one line is dropped instead of alarming operators at every start.
 */
let providerModule: Promise<typeof Provider> | undefined;

/** Starts importing oidc-provider (a large module tree, seconds on a busy machine) while other work goes on. */
export function loadProvider(): Promise<typeof Provider> {
  providerModule ??= importProvider();
  return providerModule;
}

async function importProvider(): Promise<typeof Provider> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).default;
  } finally {
    console.warn = warn;
  }
}

export const builtinClientId = 'dso-console';
export const builtinMountPath = '/oidc';
export const builtinIdTokenAlg = 'ES256';

export interface BuiltinProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers /oidc/* on the server. */
  mount(app: FastifyInstance): Promise<void>;
}

const scopeClaims = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
  groups: ['groups'],
};

export async function createBuiltinProvider(options: {
  db: Db;
  publicUrl: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Without DSO_PUBLIC_URL: the ports the console listens on; a code may then go back to any address of this machine
   * on them. */
  followBrowserOrigin?: () => number[];
}): Promise<BuiltinProvider> {
  const Provider = await loadProvider();
  const issuer = `${options.publicUrl}${builtinMountPath}`;
  const clientSecret = randomBytes(32).toString('base64url');
  // ES256: generating the key takes microseconds, where RSA costs up to seconds on a busy machine at every start.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: builtinIdTokenAlg, kid: randomBytes(8).toString('hex') };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: builtinClientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: builtinIdTokenAlg,
      },
    ],
    adapter: createProviderStore(),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: scopeClaims,
    conformIdTokenClaims: false,
    enabledJWA: { idTokenSigningAlgValues: [builtinIdTokenAlg] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${builtinMountPath}/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 900,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    async findAccount(_ctx: unknown, id: string) {
      const account = await findBuiltinAccount(options.db, id);
      if (!account) return undefined;
      return {
        accountId: account.username,
        claims: async () => ({
          sub: account.username,
          email: account.email,
          email_verified: true,
          name: account.displayName,
          preferred_username: account.username,
          groups: account.groups,
        }),
      };
    },
    // The console is a first-party client: no consent screen, the grant covers the scopes it asks for.
    async loadExistingGrant(ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string; grantIdFor(id: string): string | undefined };
        result?: { consent?: { grantId?: string } };
      };
    }) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(Object.keys(scopeClaims).join(' '));
      grant.addOIDCClaims(Object.values(scopeClaims).flat());
      await grant.save();
      return grant;
    },
    async renderError(ctx: { type: string; body: string }, out: { error?: string; error_description?: string }) {
      ctx.type = 'html';
      ctx.body = errorPage(
        'Erreur de connexion',
        `Le fournisseur d’identité a refusé la demande (${out.error ?? 'error'} : ${out.error_description ?? ''}). Recommencez la connexion depuis la console.`,
        { href: '/auth/login', label: 'Recommencer la connexion' },
      );
    },
  });
  provider.proxy = true;
  const consolePorts = options.followBrowserOrigin;
  if (consolePorts) {
    // The console is reached at localhost, 127.0.0.1 or this machine's address: its callback is registered once
    // (for the default public URL) but accepted on any of them, never on another host (see local-origins.ts).
    const registered = provider.Client.prototype.redirectUriAllowed;
    provider.Client.prototype.redirectUriAllowed = function (this: unknown, value: string) {
      if (registered.call(this, value)) return true;
      try {
        const candidate = new URL(value);
        return candidate.pathname === '/auth/callback' && candidate.search === '' && candidate.hash === '' && isLocalConsoleOrigin(candidate, consolePorts);
      } catch {
        return false;
      }
    };
  }
  const handle = provider.callback();

  /** Hands the raw request to oidc-provider (a Koa app) with /oidc stripped, as a mounted app expects. */
  const forward = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const raw = request.raw as typeof request.raw & { originalUrl?: string };
    raw.originalUrl = raw.url;
    raw.url = (raw.url ?? '/').slice(builtinMountPath.length) || '/';
    handle(raw, reply.raw);
  };

  return {
    issuer,
    clientId: builtinClientId,
    clientSecret,
    async mount(app) {
      // oidc-provider parses its own bodies: this scope leaves the request stream untouched.
      await app.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
        scope.route({ method: ['GET', 'POST', 'HEAD', 'OPTIONS', 'DELETE', 'PUT'], url: `${builtinMountPath}/*`, schema: { hide: true }, handler: forward });
      });

      app.get<{ Params: { uid: string } }>(`${builtinMountPath}/interaction/:uid`, { schema: { hide: true } }, async (request, reply) => {
        let details;
        try {
          details = await provider.interactionDetails(request.raw, reply.raw);
        } catch {
          return reply.code(400).type('text/html; charset=utf-8').send(errorPage('Session de connexion expirée', 'La page de connexion a expiré (plus de quinze minutes). Recommencez la connexion depuis la console.', { href: '/auth/login', label: 'Recommencer la connexion' }));
        }
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(loginPage({ action: `${builtinMountPath}/interaction/${details.uid}/login` }));
      });

      app.post<{ Params: { uid: string } }>(`${builtinMountPath}/interaction/:uid/login`, { schema: { hide: true } }, async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const username = typeof body.username === 'string' ? body.username.slice(0, 100) : '';
        const password = typeof body.password === 'string' ? body.password : '';
        try {
          await provider.interactionDetails(request.raw, reply.raw);
        } catch {
          return reply.code(400).type('text/html; charset=utf-8').send(errorPage('Session de connexion expirée', 'La page de connexion a expiré (plus de quinze minutes). Recommencez la connexion depuis la console.', { href: '/auth/login', label: 'Recommencer la connexion' }));
        }
        const account = await authenticateBuiltin(options.db, username, password);
        if (!account) {
          return reply
            .code(401)
            .type('text/html; charset=utf-8')
            .send(loginPage({ action: `${builtinMountPath}/interaction/${request.params.uid}/login`, username, error: 'Identifiant ou mot de passe incorrect. / Wrong username or password.' }));
        }
        reply.hijack();
        await provider.interactionFinished(
          request.raw,
          reply.raw,
          { login: { accountId: account.username } },
          { mergeWithLastSubmission: false },
        );
      });
    },
  };
}
