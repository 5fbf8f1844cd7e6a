import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryLog } from './delivery-log.ts';

/**
 * Push webhooks from the teams' forges (the primary chain telling us a revision exists).
 * The secret is checked in constant time before anything else; the payload is bounded and
 * validated; a delivery seen before is refused so a captured request cannot be replayed.
 */
export type Forge = 'gitlab' | 'github';

export interface PushEvent {
  forge: Forge;
  deliveryId: string;
  /** Full ref, e.g. `refs/heads/main`. */
  ref: string;
  /** Branch name when ref is a branch. */
  branch?: string;
  /** Commit now at ref; all zeros when the ref was deleted. */
  after: string;
  before?: string;
  deleted: boolean;
  repository: { name?: string; fullName?: string; cloneUrls: string[] };
}

export type WebhookOutcome =
  | { status: 202; kind: 'push'; event: PushEvent }
  | { status: 200; kind: 'ignored'; reason: string }
  | { status: 400 | 401 | 409 | 413; kind: 'refused'; reason: string; message: { fr: string; en: string } };

export interface WebhookRequest {
  forge: Forge;
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received: the signature covers them, not a re-serialisation. */
  rawBody: Buffer;
  /** The repository's webhook secret (GitLab token or GitHub HMAC key). */
  secret: string;
  deliveries: DeliveryLog;
  maxBodyBytes?: number;
  now?: Date;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function safeEqual(a: string, b: string): boolean {
  // Hash both sides so lengths never leak through an early exit.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** GitLab sends the configured secret as is in `X-Gitlab-Token`. */
export function verifyGitlabToken(token: string | undefined, secret: string): boolean {
  return typeof token === 'string' && secret.length > 0 && safeEqual(token, secret);
}

/** GitHub sends `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export function verifyGithubSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (typeof signature !== 'string' || !secret) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return safeEqual(signature, expected);
}

function refused(status: 400 | 401 | 409 | 413, reason: string, fr: string, en: string): WebhookOutcome {
  return { status, kind: 'refused', reason, message: { fr, en } };
}

export async function receivePushWebhook(req: WebhookRequest): Promise<WebhookOutcome> {
  const max = req.maxBodyBytes ?? 1024 * 1024;
  if (req.rawBody.byteLength > max) return refused(413, 'too-large', 'Charge utile trop volumineuse.', 'Payload too large.');

  const authentic =
    req.forge === 'gitlab'
      ? verifyGitlabToken(header(req.headers, 'x-gitlab-token'), req.secret)
      : verifyGithubSignature(req.rawBody, header(req.headers, 'x-hub-signature-256'), req.secret);
  if (!authentic) {
    return refused(401, 'bad-signature', 'Signature ou jeton du webhook invalide.', 'Invalid webhook signature or token.');
  }

  const eventName = req.forge === 'gitlab' ? header(req.headers, 'x-gitlab-event') : header(req.headers, 'x-github-event');
  if (req.forge === 'github' && eventName === 'ping') return { status: 200, kind: 'ignored', reason: 'ping' };
  const isPush = req.forge === 'gitlab' ? eventName === 'Push Hook' || eventName === 'Tag Push Hook' : eventName === 'push';
  if (!isPush) return { status: 200, kind: 'ignored', reason: `event ${String(eventName).slice(0, 50)}` };

  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return refused(400, 'invalid-json', 'Charge utile JSON invalide.', 'Invalid JSON payload.');
  }
  const parsed = parsePushPayload(req.forge, body);
  if (!parsed) return refused(400, 'invalid-payload', 'Événement push incomplet (ref, after).', 'Incomplete push event (ref, after).');

  const deliveryId =
    req.forge === 'github'
      ? header(req.headers, 'x-github-delivery')
      : (header(req.headers, 'idempotency-key') ?? header(req.headers, 'x-gitlab-event-uuid'));
  // Without an id (older GitLab), the body itself identifies the delivery.
  const id = deliveryId && deliveryId.length <= 200 ? `${req.forge}:${deliveryId}` : `${req.forge}:body:${createHash('sha256').update(req.rawBody).digest('hex')}`;
  if (req.forge === 'github' && !deliveryId) return refused(400, 'missing-delivery-id', 'En-tête X-GitHub-Delivery manquant.', 'Missing X-GitHub-Delivery header.');
  if ((await req.deliveries.remember(id, req.now)) === 'seen') {
    return refused(409, 'replayed', 'Cette livraison a déjà été reçue.', 'This delivery was already received.');
  }
  return { status: 202, kind: 'push', event: { ...parsed, forge: req.forge, deliveryId: id } };
}

type ParsedPush = Omit<PushEvent, 'forge' | 'deliveryId'>;

/** Extracts what the chain needs from a GitLab or GitHub push payload; null when malformed. */
export function parsePushPayload(forge: Forge, body: unknown): ParsedPush | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const ref = b.ref;
  const after = b.after;
  if (typeof ref !== 'string' || !ref.startsWith('refs/') || ref.length > 512 || typeof after !== 'string' || !SHA.test(after)) return null;
  const before = typeof b.before === 'string' && SHA.test(b.before) ? b.before : undefined;
  const deleted = /^0+$/.test(after) || b.deleted === true;
  const repo = (forge === 'gitlab' ? (b.project ?? b.repository) : b.repository) as Record<string, unknown> | undefined;
  const urls = forge === 'gitlab' ? [repo?.git_http_url, repo?.git_ssh_url] : [repo?.clone_url, repo?.ssh_url];
  const str = (v: unknown) => (typeof v === 'string' && v.length <= 2048 ? v : undefined);
  return {
    ref,
    branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined,
    after,
    before,
    deleted,
    repository: {
      name: str(repo?.name),
      fullName: str(forge === 'gitlab' ? repo?.path_with_namespace : repo?.full_name),
      cloneUrls: urls.map(str).filter((u): u is string => !!u),
    },
  };
}
