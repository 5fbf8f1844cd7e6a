// The console as an OIDC relying party (openid-client 6): authorization code + PKCE, state and nonce.
// Works the same with the built-in provider (mounted under /oidc) and an external one (Keycloak…).
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
  startLogin(): Promise<LoginTransaction>;
  /** Checks state/nonce/PKCE, exchanges the code, reads the claims. Throws a Problem on any mismatch. */
  finishLogin(callbackUrl: URL, cookieValue: string | undefined): Promise<LoginIdentity>;
  /** Where the browser goes after logout (the provider's end-session endpoint when known). */
  logoutUrl(): string | undefined;
}
