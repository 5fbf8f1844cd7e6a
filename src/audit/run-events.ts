// Runs started and cancelled are part of the audit log, whoever asked: a person or a service account through the
// API, a push to a hosted repository, or the team's forge through its push webhook (recorded as `forge`). The run
// itself is created by the chain runtime; the event is written right after, with the run as its target.
import type { Actor } from '../domain/actor.ts';
import type { Db } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';
import { recordAudit } from './record.ts';

interface StartedRun {
  id: string;
  projectId: string;
  repositoryId: string;
  ref: string | null;
  revision?: string | null;
  trigger: string;
}

/** `by`: the actor of the request, or `forge` for a verified push webhook (no person behind it). */
export async function auditRunStarted(db: Db, by: Actor | 'forge', requestId: string, run: StartedRun): Promise<void> {
  const after = { repositoryId: run.repositoryId, ref: run.ref, revision: run.revision ?? null, trigger: run.trigger };
  if (by === 'forge') {
    await db.insert(auditEvents).values({ actorKind: 'forge', actorId: null, action: 'run.start', targetType: 'run', targetId: run.id, projectId: run.projectId, before: null, after, requestId });
    return;
  }
  await recordAudit(db, by, requestId, { action: 'run.start', targetType: 'run', targetId: run.id, projectId: run.projectId, after });
}

export async function auditRunCancelled(
  db: Db,
  by: Actor,
  requestId: string,
  run: { id: string; projectId: string; status: string },
): Promise<void> {
  await recordAudit(db, by, requestId, {
    action: 'run.cancel',
    targetType: 'run',
    targetId: run.id,
    projectId: run.projectId,
    before: { status: run.status },
  });
}
