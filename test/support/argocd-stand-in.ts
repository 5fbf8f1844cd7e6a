// A stand-in for ArgoCD's `GET /api/v1/applications/{name}` (ArgoCD cannot run here), on loopback. It answers as
// ArgoCD's API does: 401 without the token, 403 for any other application or method (ArgoCD hides what a token may
// not see), otherwise what the test set: an Application with the status ArgoCD computed, or an error. Every answer
// is checked against ArgoCD's published definitions first (argocd-contract.ts); one that ArgoCD could not give is
// recorded in `offContract` and answered 500, so the test fails instead of proving nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applicationContract } from './argocd-contract.ts';

type Json = Record<string, unknown>;

/** What ArgoCD answers next: an Application's status, or an error status and body. */
export type ArgocdAnswer = { status: Json } | { code: number; body: Json };

export interface ArgocdStandIn {
  url: string;
  /** `METHOD url authorization` of every request, in order. */
  requests: string[];
  offContract: string[];
  close(): Promise<void>;
}

export async function startArgocdStandIn(options: {
  token: string;
  /** The only application the token may read (the one the GitOps writer committed), once known. */
  applicationName: () => string | undefined;
  answer: () => ArgocdAnswer;
  /** The Application as ArgoCD's API returns it, with this status. */
  application: (status: Json) => Json;
}): Promise<ArgocdStandIn> {
  const contract = applicationContract();
  const requests: string[] = [];
  const offContract: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url} ${request.headers.authorization}`);
    const match = /^\/api\/v1\/applications\/([a-z0-9.-]+)(\?.*)?$/.exec(request.url ?? '');
    const send = (code: number, body: Json) => {
      const validate = code === 200 ? contract.application : contract.error;
      if (!validate(body)) {
        offContract.push(JSON.stringify(validate.errors?.slice(0, 3)));
        return response.writeHead(500).end();
      }
      response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'invalid session: token is not valid', code: 16, message: 'invalid session: token is not valid' });
    if (request.method !== 'GET' || !match || match[1] !== options.applicationName()) return send(403, { error: 'permission denied', code: 7, message: 'permission denied' });
    const answer = options.answer();
    if ('code' in answer) return send(answer.code, answer.body);
    send(200, options.application(answer.status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    offContract,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
