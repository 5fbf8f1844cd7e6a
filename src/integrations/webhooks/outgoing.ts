import { createHmac, randomUUID } from 'node:crypto';
import { checkRemoteUrl, type RemoteUrlPolicy } from '../git/remote-url.ts';
import { pinnedFetch } from './pinned-fetch.ts';

/**
 * Notifications to a team's own endpoint (shift-left): a JSON POST signed with
 * `X-DSO-Signature: sha256=<HMAC-SHA256 of the body>` under the project's secret,
 * retried with exponential backoff on network errors, 408, 429 and 5xx. Every attempt is
 * reported so the delivery log can show the team what happened.
 */
export interface NotificationRequest {
  url: string;
  secret: string;
  /** e.g. `run.finished` */
  event: string;
  payload: unknown;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** SSRF policy for the team-given URL (https only by default). */
  urlPolicy?: RemoteUrlPolicy;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface DeliveryReport {
  deliveryId: string;
  delivered: boolean;
  attempts: DeliveryAttempt[];
  /** Why it stopped without success, for the team. */
  message?: { fr: string; en: string };
}

export const SIGNATURE_HEADER = 'X-DSO-Signature';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function sendNotification(req: NotificationRequest): Promise<DeliveryReport> {
  const deliveryId = randomUUID();
  const attempts: DeliveryAttempt[] = [];
  const check = await checkRemoteUrl(req.url, { schemes: ['https'], ...req.urlPolicy });
  if (!check.ok) return { deliveryId, delivered: false, attempts, message: check.message };

  const body = JSON.stringify({ event: req.event, deliveryId, sentAt: new Date().toISOString(), data: req.payload });
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'DSO-pi-webhook/1',
    'X-DSO-Event': req.event,
    'X-DSO-Delivery': deliveryId,
    [SIGNATURE_HEADER]: signBody(body, req.secret),
  };
  const maxAttempts = Math.min(Math.max(1, req.maxAttempts ?? 5), 10);
  const base = req.baseDelayMs ?? 1000;
  const maxDelay = req.maxDelayMs ?? 60_000;
  const sleep = req.sleep ?? defaultSleep;
  // Connected to the address the policy checked, whatever DNS answers by then.
  const doFetch = req.fetch ?? pinnedFetch(check.addresses);

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const started = Date.now();
    const record: DeliveryAttempt = { attempt, at: new Date(started).toISOString(), durationMs: 0 };
    let again = true;
    try {
      const res = await doFetch(req.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual', // a redirect could point anywhere, including internal addresses
        signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
      });
      await res.body?.cancel().catch(() => {});
      record.status = res.status;
      if (res.status >= 200 && res.status < 300) {
        record.durationMs = Date.now() - started;
        attempts.push(record);
        return { deliveryId, delivered: true, attempts };
      }
      again = retryable(res.status);
    } catch (e) {
      record.error = (e as Error).name === 'TimeoutError' ? 'timeout' : String((e as Error).message).slice(0, 200);
    }
    record.durationMs = Date.now() - started;
    attempts.push(record);
    if (!again) {
      return {
        deliveryId,
        delivered: false,
        attempts,
        message: {
          fr: `Le destinataire a refusé la notification (HTTP ${record.status}) ; pas de nouvel essai.`,
          en: `The receiver refused the notification (HTTP ${record.status}); not retried.`,
        },
      };
    }
    if (attempt < maxAttempts) await sleep(Math.min(maxDelay, base * 2 ** (attempt - 1)));
  }
  return {
    deliveryId,
    delivered: false,
    attempts,
    message: {
      fr: `Notification non remise après ${attempts.length} essais.`,
      en: `Notification not delivered after ${attempts.length} attempts.`,
    },
  };
}
