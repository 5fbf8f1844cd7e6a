// The console as an OIDC relying party (openid-client 6): authorization code + PKCE, state and nonce.
// Works the same with the built-in provider (mounted under /oidc) and an external one (Keycloak…).
import * as oidc from 'openid-client';
import { bilingual, Problem, type LocalisedText } from '../../errors.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
export interface LoginIdentity {
  /** `sub` qualified by the issuer, unique per person. */
  subject: string;
  email: string | undefined;
  name: string;
  groups: string[];
}

export interface LoginTransaction {
  /** Where to send the browser. */
  authorizationUrl: string;
  /** Opaque value kept in a short-lived HttpOnly cookie until the callback (PKCE verifier, state, nonce). */
  cookieValue: string;
}

export interface RelyingParty {
  /**
   * `returnTo`: a local path to go back to after login (kept in the sealed transaction). `browserOrigin`: where the
   * browser reached the console; the callback comes back there, so the transaction cookie is found again.
   */
  startLogin(returnTo?: string, browserOrigin?: string): Promise<LoginTransaction>;
  /** Checks state/nonce/PKCE, exchanges the code, reads the claims. Throws a Problem on any mismatch. */
  finishLogin(callbackUrl: URL, cookieValue: string | undefined): Promise<LoginIdentity & { returnTo: string }>;
  /** Where the browser goes after logout (the provider's end-session endpoint when known). */
  logoutUrl(): string | undefined;
}


export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string[];
  redirectUri: string;
  /** ID token signature algorithm registered for this client (default RS256, as most providers). */
  idTokenAlg?: string;
  /** Seals the login transaction cookie (confidential and tamper-proof). */
  secretBox: SecretBox;
  /** Built-in provider: where this process really listens, when the public URL is not reachable from inside. */
  internalOrigin?: () => string | undefined;
  /**
   * Built-in provider only: it is served by this very server, so the browser is sent to it on the origin it used
   * for the console (the issuer's own origin may be `localhost` while the browser came through 127.0.0.1).
   */
  providerFollowsBrowser?: boolean;
  now: () => Date;
}

interface Transaction {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
  /** The redirect URI sent with the authorization request; the code exchange must repeat it. */
  redirectUri?: string;
  /** Expiry, epoch ms. */
  exp: number;
}

const transactionTtlMs = 10 * 60 * 1000;

export function createRelyingParty(options: RelyingPartyOptions): RelyingParty {
  let configuration: Promise<oidc.Configuration> | undefined;
  const issuerUrl = new URL(options.issuer);

  // Discovery happens at the first login, not at start: the built-in provider is this very server.
  const discover = () => {
    configuration ??= (async () => {
      const execute: ((c: oidc.Configuration) => void)[] = [];
      if (issuerUrl.protocol === 'http:') execute.push(oidc.allowInsecureRequests);
      const customFetch: oidc.CustomFetch = (url, init) => {
        const internal = options.internalOrigin?.();
        const target = new URL(url);
        if (internal && target.origin === issuerUrl.origin) {
          const rewritten = new URL(target.pathname + target.search, internal);
          return fetch(rewritten, {
            ...init,
            headers: { ...(init.headers as Record<string, string>), host: issuerUrl.host },
          } as RequestInit);
        }
        return fetch(url, init as RequestInit);
      };
      return oidc.discovery(
        issuerUrl,
        options.clientId,
        {
          ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
          ...(options.idTokenAlg ? { id_token_signed_response_alg: options.idTokenAlg } : {}),
        },
        options.clientSecret ? oidc.ClientSecretBasic(options.clientSecret) : oidc.None(),
        { execute, [oidc.customFetch]: customFetch, timeout: 10 },
      );
    })().catch((error: unknown) => {
      configuration = undefined; // retry discovery at the next login
      throw error;
    });
    return configuration;
  };

  return {
    async startLogin(returnTo, browserOrigin) {
      let config: oidc.Configuration;
      try {
        config = await discover();
      } catch (error) {
        throw new Problem('notReady', bilingual(`Le fournisseur d’identité ${options.issuer} est injoignable : ${(error as Error).message}`, `The identity provider ${options.issuer} cannot be reached: ${(error as Error).message}`));
      }
      const transaction: Transaction = {
        verifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        returnTo: safeReturnTo(returnTo),
        redirectUri: browserOrigin ? `${browserOrigin}/auth/callback` : options.redirectUri,
        exp: options.now().getTime() + transactionTtlMs,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: transaction.redirectUri!,
        scope: options.scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(transaction.verifier),
        code_challenge_method: 'S256',
        state: transaction.state,
        nonce: transaction.nonce,
      });
      if (options.providerFollowsBrowser && browserOrigin) {
        const browserFacing = new URL(browserOrigin);
        url.protocol = browserFacing.protocol;
        url.host = browserFacing.host;
      }
      return { authorizationUrl: url.href, cookieValue: options.secretBox.seal(JSON.stringify(transaction)) };
    },

    async finishLogin(callbackUrl, cookieValue) {
      let transaction: Transaction;
      try {
        if (!cookieValue) throw new Error('missing');
        transaction = JSON.parse(options.secretBox.open(cookieValue)) as Transaction;
      } catch {
        throw new LoginFailure('transactionMissing', bilingual('La session de connexion est absente ou expirée : recommencez la connexion.', 'The login session is missing or expired: start the login again.'));
      }
      if (transaction.exp < options.now().getTime()) throw new LoginFailure('transactionExpired', bilingual('La connexion a pris trop de temps : recommencez.', 'The login took too long: start again.'));
      const config = await discover();
      // The code was issued for the redirect URI of the authorization request: the exchange repeats it exactly.
      const current = new URL(transaction.redirectUri ?? options.redirectUri);
      current.search = callbackUrl.search;
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: transaction.verifier,
          expectedState: transaction.state,
          expectedNonce: transaction.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new LoginFailure('providerRefused', bilingual(`Le fournisseur d’identité a refusé la connexion : ${(error as Error).message}`, `The identity provider refused the login: ${(error as Error).message}`));
      }
      const claims = tokens.claims();
      if (!claims) throw new LoginFailure('providerRefused', bilingual('Le fournisseur d’identité n’a renvoyé aucun jeton d’identité.', 'The identity provider returned no ID token.'));
      let info: Record<string, unknown> = { ...claims };
      // Some providers (Keycloak with default mappers) put groups or email only in userinfo.
      if (tokens.access_token && (info.groups === undefined || info.email === undefined)) {
        try {
          info = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...info };
        } catch {
          // userinfo is optional: keep the ID token claims.
        }
      }
      const groups = Array.isArray(info.groups) ? info.groups.filter((g): g is string => typeof g === 'string').slice(0, 200).map((g) => g.slice(0, 200)) : [];
      const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v.slice(0, 320) : undefined);
      return {
        subject: `${options.issuer}|${claims.sub}`,
        email: str(info.email),
        name: str(info.name) ?? str(info.preferred_username) ?? str(info.email) ?? claims.sub,
        groups,
        returnTo: safeReturnTo(transaction.returnTo),
      };
    },

    logoutUrl() {
      return undefined;
    },
  };
}

export type LoginFailureReason = 'transactionMissing' | 'transactionExpired' | 'providerRefused';

/** A login that cannot finish, with the reason the error page explains to the person (in French and English). */
export class LoginFailure extends Problem {
  constructor(
    readonly reason: LoginFailureReason,
    detail: LocalisedText,
  ) {
    super('unauthenticated', detail);
  }
}

/** Only local paths: an open redirect after login would let phishing pages borrow our domain. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || value.length > 2000 || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}
