// An HTTP client pinned to the addresses the URL policy checked: the connection goes to one of them whatever DNS
// answers by then (rebinding), TLS still verifies the certificate against the host name, and redirects are never
// followed (a 3xx is answered as such; the caller treats it as a failure). Only what notifications and commit
// statuses need: a request with a small body, the status and a capped answer.
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** A fetch-compatible function (the subset the notification clients use) bound to checked addresses. */
export function pinnedFetch(addresses: readonly string[]): typeof fetch {
  const address = addresses[0];
  const lookup: LookupFunction = (_host, options, callback) => {
    if (!address) return callback(new Error('no checked address'), '', 4);
    const family = isIP(address);
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    callback(null, address, family);
  };
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client) throw new Error(`unsupported scheme ${url.protocol}`);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const body = typeof init.body === 'string' ? init.body : init.body == null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const request = client.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: init.method ?? 'GET',
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup,
          signal: init.signal ?? undefined,
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (c: Buffer) => {
            if (size < 64 * 1024) chunks.push(c);
            size += c.length;
          });
          response.on('end', () => {
            const status = response.statusCode ?? 502;
            const payload = status === 204 || status === 304 || status < 200 ? null : Buffer.concat(chunks);
            const out = new Response(payload, {
              status: status < 200 ? 502 : status,
              headers: Object.entries(response.headers).flatMap(([k, v]) =>
                v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]),
              ),
            });
            resolve(out);
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }) as typeof fetch;
}
