// The reconcile queue: pg-boss in the application's own database (PostgreSQL, or PGlite through a small
// executeSql adapter). One job per project, keyed by project id: mutations made while a job waits coalesce
// into it ("short" policy: at most one queued job per key). A job that finds its project already being
// reconciled elsewhere re-queues itself instead of failing; failures retry with exponential backoff.
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.ts';
import type { Services } from '../system/services.ts';
import { reconcileProject } from './reconcile-project.ts';
import type { ReconcileSteps } from './steps.ts';

export const reconcileQueueName = 'reconcile-project';

export interface ReconcileQueue {
  /** Installs the queue (its tables); no job is handled yet. */
  install(): Promise<void>;
  /** Starts `concurrency` workers; call once everything the steps use exists (the composition root's last act). */
  startWorkers(concurrency: number): Promise<void>;
  /** Enqueue (or coalesce into the waiting) reconcile of a project. */
  request(projectId: string): Promise<void>;
  /** Jobs queued, retrying or running. */
  depth(): Promise<number>;
  /** Whether the queue answers (readiness). */
  check(): Promise<{ ok: boolean; detail?: string }>;
  /** Tests and shutdown: resolves when no job is queued or running (or after timeoutMs, with false). */
  waitForIdle(timeoutMs: number): Promise<boolean>;
  /** Stop fetching, let running jobs finish (up to timeoutMs). */
  stop(timeoutMs: number): Promise<void>;
}

interface ProjectJob {
  projectId: string;
}

export function createReconcileQueue(
  database: Database,
  services: () => Services,
  steps: ReconcileSteps,
): ReconcileQueue {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.rawQuery(text, values) },
    schema: 'pgboss',
    migrate: true,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: 120,
  });
  boss.on('error', (error) => services().logger.error({ err: error }, 'queue error'));
  const workerIds: string[] = [];
  let started = false;
  let stopped = false;
  const running = new Set<Promise<unknown>>();

  const sendJob = (projectId: string, startAfterSeconds?: number) =>
    boss.send(reconcileQueueName, { projectId } satisfies ProjectJob, {
      singletonKey: projectId,
      ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}),
    });

  async function handle(job: PgBoss.Job<ProjectJob>): Promise<void> {
    const svc = services();
    const { projectId } = job.data;
    const started = performance.now();
    const attempt = database.tryWithLock(`reconcile:${projectId}`, () => reconcileProject(svc, steps, projectId));
    running.add(attempt);
    try {
      const locked = await attempt;
      if (!locked.acquired) {
        // Another worker is on it; ask again shortly (coalesces with anything already queued).
        await sendJob(projectId, 2);
        return;
      }
      const outcome = locked.value;
      const seconds = (performance.now() - started) / 1000;
      svc.metrics.reconcileDuration.labels(outcome.result).observe(seconds);
      if (outcome.result === 'failed' || outcome.result === 'retrying')
        throw new Error(`${outcome.step}: ${outcome.message}`);
    } finally {
      running.delete(attempt);
    }
  }

  return {
    async install() {
      await boss.start();
      await boss.createQueue(reconcileQueueName, {
        name: reconcileQueueName,
        policy: 'short',
        retryLimit: 8,
        retryDelay: 2,
        retryBackoff: true,
        expireInSeconds: 15 * 60,
      });
      started = true;
    },
    async startWorkers(concurrency) {
      if (!started) throw new Error('install the reconcile queue before starting its workers');
      for (let i = 0; i < concurrency; i++) {
        workerIds.push(
          await boss.work<ProjectJob>(
            reconcileQueueName,
            { batchSize: 1, pollingIntervalSeconds: 1 },
            async ([job]) => {
              if (job) await handle(job);
            },
          ),
        );
      }
    },
    async request(projectId) {
      await sendJob(projectId);
      // Wake the local workers now instead of at their next poll.
      for (const id of workerIds) boss.notifyWorker(id);
    },
    async depth() {
      if (!started) return 0;
      const { rows } = await database.rawQuery<{ n: string | number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
        [reconcileQueueName],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async check() {
      if (!started) return { ok: false, detail: 'queue not started' };
      if (stopped) return { ok: false, detail: 'queue stopping' };
      try {
        await database.rawQuery('SELECT 1 FROM pgboss.version LIMIT 1', []);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message.slice(0, 200) };
      }
    },
    async waitForIdle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await this.depth()) === 0 && running.size === 0) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
    async stop(timeoutMs) {
      if (stopped || !started) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, close: false, timeout: Math.max(1000, timeoutMs) });
      await Promise.allSettled([...running]);
    },
  };
}
