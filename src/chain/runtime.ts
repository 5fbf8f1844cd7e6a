// The chain's engine room in a process: a pg-boss queue (in the application's database, PostgreSQL or PGlite)
// whose jobs wake the executor for one run, workers bounded by DSO_RUN_CONCURRENCY, a sweeper that resumes runs
// whose process died (kill -9, crash) or fails them after their last attempt, and the nightly re-scan schedule.
// The run rows are the truth; a job only says "look at run X", so a lost or duplicated job is harmless.
import { randomUUID } from 'node:crypto';
import { note, stepNoteText } from './step-notes.ts';
import { hostname } from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { runSteps, runs } from '../db/schema.ts';
import type { ExecuteOptions, ExecutionResult } from './executor.ts';
import { createRun, nightlyRescanRequests, type RunRequest, type RunRow } from './triggers.ts';

export const runQueueName = 'chain-run';
export const nightlyQueueName = 'chain-nightly-rescan';

export interface ChainRuntime {
  /** Installs the queue (its tables); runs can be triggered from then on, nothing executes yet. */
  install(): Promise<void>;
  /** Starts the workers, the sweeper and the nightly schedule (worker processes, once everything else exists). */
  startWorkers(): Promise<void>;
  /** Whether the queue answers (readiness). */
  check(): Promise<{ ok: boolean; detail?: string }>;
  stop(timeoutMs?: number): Promise<void>;
  /** Creates a run and wakes the executor. */
  trigger(request: RunRequest): Promise<RunRow>;
  /** Sends a job for every queued run that is due (after a trigger, a finished run, a sweep). */
  dispatch(): Promise<void>;
  /** Resumes or fails runs whose process went silent; also dispatches. */
  sweep(): Promise<void>;
  nightlyRescan(): Promise<RunRow[]>;
  /** Runs executing in this process. */
  active(): number;
}

type ExecuteSql = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/** pg-boss talks plain SQL: reach the driver under Drizzle (PGlite's exec runs the multi-statement batches). */
function executeSqlOf(db: Db): ExecuteSql {
  const client = (
    db as unknown as {
      $client: {
        exec?: (text: string) => Promise<{ rows: unknown[] }[]>;
        query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
      };
    }
  ).$client;
  if (typeof client.exec === 'function') {
    const exec = client.exec.bind(client);
    return async (text, values) =>
      values && values.length > 0
        ? { rows: (await client.query(text, values)).rows }
        : { rows: (await exec(text)).at(-1)?.rows ?? [] };
  }
  return async (text, values) => ({ rows: (await client.query(text, values)).rows ?? [] });
}

/** What the runtime needs: the database, the chain's settings, a logger, and how to execute one run. */
export interface ChainRuntimeDeps {
  db: Db;
  config: Config;
  logger: Logger;
  execute(runId: string, options: Pick<ExecuteOptions, 'owner' | 'shutdown'>): Promise<ExecutionResult>;
}

export function createChainRuntime(deps: ChainRuntimeDeps): ChainRuntime {
  const { db, config, logger } = deps;
  const boss = new PgBoss({
    db: { executeSql: executeSqlOf(db) },
    schema: 'pgboss',
    migrate: true,
    supervise: true,
    schedule: config.workers,
    maintenanceIntervalSeconds: 300,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'chain queue error'));
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const shutdown = new AbortController();
  const workerIds: string[] = [];
  const running = new Set<Promise<unknown>>();
  let sweeper: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  let working: Promise<void> | undefined;
  let stopped = false;

  async function handle(runId: string): Promise<void> {
    const execution = deps.execute(runId, { owner, shutdown: shutdown.signal });
    running.add(execution);
    try {
      const result = await execution;
      if (result !== 'not-claimed') void runtime.dispatch();
    } catch (error) {
      logger.error({ err: error, runId }, 'chain run execution failed');
    } finally {
      running.delete(execution);
    }
  }

  const runtime: ChainRuntime = {
    install() {
      started ??= (async () => {
        await boss.start();
        await boss.createQueue(runQueueName, { name: runQueueName, policy: 'short', retryLimit: 0, expireInSeconds: 6 * 60 * 60 });
        await boss.createQueue(nightlyQueueName, { name: nightlyQueueName, policy: 'singleton', retryLimit: 2 });
      })();
      return started;
    },

    startWorkers() {
      if (!started) throw new Error('install the chain queue before starting its workers');
      working ??= (async () => {
        await started;
        for (let i = 0; i < config.chain.concurrency; i++) {
          workerIds.push(
            await boss.work<{ runId: string }>(
              runQueueName,
              { batchSize: 1, pollingIntervalSeconds: 2 },
              async ([job]) => {
                if (job) await handle(job.data.runId);
              },
            ),
          );
        }
        await boss.work(nightlyQueueName, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
          await runtime.nightlyRescan();
        });
        await boss.schedule(nightlyQueueName, config.chain.nightlyCron, {}, { tz: 'UTC' });
        const tickMs = Math.min(5000, Math.max(500, (config.chain.staleSeconds * 1000) / 3));
        const tick = () => sweepStale().then(dispatchDue);
        sweeper = setInterval(() => void tick().catch((error: unknown) => logger.warn({ err: error }, 'chain sweep failed')), tickMs);
        await tick();
      })();
      return working;
    },

    async check() {
      if (!started) return { ok: false, detail: 'chain queue not installed' };
      if (stopped) return { ok: false, detail: 'chain queue stopping' };
      try {
        await started;
        await executeSqlOf(db)('SELECT 1 FROM pgboss.version LIMIT 1', []);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message.slice(0, 200) };
      }
    },

    async stop(timeoutMs = 5000) {
      if (stopped || !started) return;
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      await started.catch(() => {});
      await working?.catch(() => {});
      // Running runs go back to the queue at their step (another process, or the next start, resumes them).
      shutdown.abort();
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, timeoutMs))]);
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 1000 }).catch(() => {});
    },

    async trigger(request) {
      const run = await createRun(db, config, request);
      await runtime.dispatch();
      return run;
    },

    async dispatch() {
      if (!started || stopped) return;
      await started;
      await dispatchDue();
    },

    async sweep() {
      await sweepStale();
      await dispatchDue();
    },

    async nightlyRescan() {
      const created: RunRow[] = [];
      for (const request of await nightlyRescanRequests(db)) created.push(await createRun(db, config, request));
      await runtime.dispatch();
      return created;
    },

    active: () => running.size,
  };

  async function dispatchDue(): Promise<void> {
    if (stopped) return;
    {
      const due = await db
        .select({ id: runs.id })
        .from(runs)
        .where(and(eq(runs.status, 'queued'), eq(runs.cancelRequested, false), sql`(${runs.notBefore} IS NULL OR ${runs.notBefore} <= now())`))
        .orderBy(runs.createdAt)
        .limit(config.chain.globalLimit * 2);
      for (const { id } of due) await boss.send(runQueueName, { runId: id }, { singletonKey: id, retryLimit: 0 });
      if (due.length > 0) for (const id of workerIds) boss.notifyWorker(id);
    }
  }

  async function sweepStale(): Promise<void> {
    {
      const stale = sql`${runs.status} = 'running' AND (${runs.heartbeatAt} IS NULL OR ${runs.heartbeatAt} < now() - make_interval(secs => ${config.chain.staleSeconds}))`;
      // Out of attempts: failed, with the interrupted step marked so.
      const exhausted = await db
        .update(runs)
        .set({ status: 'failed', owner: null, finishedAt: sql`now()`, currentStep: null, message: stepNoteText(note('run.interrupted-too-often')).fr, note: note('run.interrupted-too-often') })
        .where(and(stale, sql`${runs.attempt} >= ${runs.maxAttempts}`))
        .returning({ id: runs.id });
      for (const { id } of exhausted) {
        await db.update(runSteps).set({ status: 'failed', finishedAt: sql`now()`, message: stepNoteText(note('step.interrupted')).fr, note: note('step.interrupted') }).where(and(eq(runSteps.runId, id), eq(runSteps.status, 'running')));
        await db.update(runSteps).set({ status: 'skipped', message: stepNoteText(note('step.not-run')).fr, note: note('step.not-run') }).where(and(eq(runSteps.runId, id), eq(runSteps.status, 'pending')));
      }
      // Otherwise back to the queue, resumed at its step after a backoff.
      await db
        .update(runs)
        .set({ status: 'queued', owner: null, notBefore: sql`now() + make_interval(secs => ${config.chain.retryDelaySeconds} * power(2, greatest(${runs.attempt} - 1, 0)))` })
        .where(and(stale, sql`${runs.attempt} < ${runs.maxAttempts}`));
      // Cancelled before it started.
      await db.update(runs).set({ status: 'cancelled', finishedAt: sql`now()`, message: stepNoteText(note('run.cancelled')).fr, note: note('run.cancelled') }).where(and(eq(runs.status, 'queued'), eq(runs.cancelRequested, true)));
    }
  }
  return runtime;
}
