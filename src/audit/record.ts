// Every mutation writes one audit event in the same transaction as the change itself, so history and state never
// disagree. Secrets are removed from before/after snapshots before they reach the table.
import type { Actor } from '../domain/actor.ts';
import type { Db } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';

export interface AuditEntry {
  /** `<resource>.<verb>`, e.g. project.create, environment.update, member.remove. */
  action: string;
  targetType: string;
  targetId: string | null;
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Keys whose values are never recorded, at any depth. */
const secretKey = /(token|secret|password|credential|hash|encrypted)/i;

export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (depth > 8) return '[truncated]';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (secretKey.test(k)) {
        if (v !== null && v !== undefined) out[k] = '[redacted]';
      } else out[k] = withoutSecrets(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function actorIdentity(actor: Actor): { actorKind: string; actorId: string | null } {
  return { actorKind: actor.kind, actorId: actor.kind === 'user' || actor.kind === 'service-account' ? actor.userId : null };
}

/** `db` is the transaction of the change. */
export async function recordAudit(db: Db, actor: Actor, requestId: string, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    ...actorIdentity(actor),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    projectId: entry.projectId ?? null,
    before: entry.before === undefined ? null : withoutSecrets(entry.before),
    after: entry.after === undefined ? null : withoutSecrets(entry.after),
    requestId,
  });
}

export type Audit = (entry: AuditEntry) => Promise<void>;

/**
 * Runs a change and its audit event(s) in one transaction: either both are stored or neither.
 * `requestId` links the event to the request's log line.
 */
export async function inAuditedTransaction<T>(
  db: Db,
  actor: Actor,
  requestId: string,
  change: (tx: Db, audit: Audit) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    return change(txDb, (entry) => recordAudit(txDb, actor, requestId, entry));
  });
}
