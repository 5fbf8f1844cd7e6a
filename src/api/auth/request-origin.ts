// Where the browser reached the console. Without DSO_PUBLIC_URL, a person may open http://127.0.0.1:8080 (the
// address the server prints), http://localhost:8080 or this machine's network address: the sign-in cookies and the
// OIDC redirect must stay on that very origin, or the browser loses the login transaction between two hosts.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';

/** A host header we are willing to echo into a redirect: a name or address and an optional port, nothing else. */
const plainHost = /^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,10}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function browserOrigin(request: Pick<FastifyRequest, 'protocol' | 'host'>, config: Pick<Config, 'publicUrl' | 'publicUrlConfigured'>): string {
  if (config.publicUrlConfigured) return config.publicUrl;
  const host = request.host;
  const protocol = request.protocol === 'https' ? 'https' : 'http';
  if (!host || !plainHost.test(host)) return config.publicUrl;
  return `${protocol}://${host}`;
}
