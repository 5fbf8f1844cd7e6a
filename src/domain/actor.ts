// Who is making a request. Resolved once per request (src/api/auth) from a bearer token or a session cookie.
import type { AdminRole } from './permissions.ts';

export type Actor =
  | { kind: 'anonymous' }
  /** A person, logged in through OIDC (session cookie) or using a personal access token. */
  | { kind: 'user'; userId: string; adminRoles: AdminRole[]; sessionId?: string; tokenId?: string }
  /** Automation scoped to one project and one role (the primary chain's CI). Never asked to accept the usage policy. */
  | { kind: 'service-account'; userId: string; projectId: string; role: string; tokenId: string }
  /** DSO_ADMIN_TOKEN: bootstrap automation with platform-admin rights. Never asked to accept the usage policy. */
  | { kind: 'bootstrap-admin' };

/** Session cookie name; the cookie value is random, the database keeps only its sha256 (sessions.id). */
export const sessionCookieName = 'dso_session';
