// Executes one run: claims it (respecting the global and per-project limits), runs its steps in order from the
// first unfinished one (so a run resumed after a crash picks up at its step), records each step's status, times,
// own work duration and logs, and ends it — certified, rejected, failed, retried later with backoff, or
// cancelled. A heartbeat tells other processes this one is alive; a silent owner's run is taken over.
import { rm } from 'node:fs/promises';
import { note, stepNoteText, type StepNote } from './step-notes.ts';
import { hostname } from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import type { Services } from '../system/services.ts';
import { projects, repositories, runSteps, runs, type RunStatus } from '../db/schema.ts';
import { GitUnavailableError } from '../integrations/git/run-git.ts';
import { createRedactor } from './redact.ts';
import { openRepositoryCredentials } from './remote-access.ts';
import { createRunLog } from './run-log.ts';
import { mirrorPath, runWorkDir } from './paths.ts';
import { orderedSteps } from './steps/index.ts';
import { notifyStepFor } from './steps/notify.ts';
import type { RunRow, Step, StepContext, StepName, StepOutcome } from './steps/context.ts';

export type ExecutionResult = 'not-claimed' | 'finished' | 'requeued' | 'interrupted';

export interface ExecuteOptions {
  owner: string;
  /** Aborted when this process stops: the run goes back to the queue for another process. */
  shutdown: AbortSignal;
  /** Test hook: called before each step (the crash test kills the process there). */
  beforeStep?: (step: StepName) => Promise<void> | void;
}

const claimLock = 7_301_004;
const cancelWatchMs = 1000;

async function claim(services: Services, runId: string, owner: string): Promise<RunRow | undefined> {
  const { globalLimit, projectLimit } = services.config.chain;
  return services.db.transaction(async (tx) => {
    // Serialises claims so two processes cannot both take the last free slot.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${claimLock})`);
    const [row] = await tx
      .update(runs)
      .set({ status: 'running', owner, heartbeatAt: sql`now()`, attempt: sql`${runs.attempt} + 1`, startedAt: sql`coalesce(${runs.startedAt}, now())`, notBefore: null })
      .where(
        and(
          eq(runs.id, runId),
          eq(runs.status, 'queued'),
          eq(runs.cancelRequested, false),
          sql`(${runs.notBefore} IS NULL OR ${runs.notBefore} <= now())`,
          sql`(SELECT count(*) FROM runs r WHERE r.status = 'running') < ${globalLimit}`,
          sql`(SELECT count(*) FROM runs r WHERE r.status = 'running' AND r.project_id = ${runs.projectId}) < ${projectLimit}`,
        ),
      )
      .returning();
    return row;
  });
}

export async function executeRun(services: Services, runId: string, options: ExecuteOptions): Promise<ExecutionResult> {
  const run = await claim(services, runId, options.owner);
  if (!run) return 'not-claimed';
  const { db, config } = services;
  const [[repository], [project], stepRows] = await Promise.all([
    db.select().from(repositories).where(eq(repositories.id, run.repositoryId)).limit(1),
    db.select().from(projects).where(eq(projects.id, run.projectId)).limit(1),
    db.select().from(runSteps).where(eq(runSteps.runId, run.id)),
  ]);
  if (!repository || !project) {
    const removed = note('run.source-removed');
    await db.update(runs).set({ status: 'failed', message: stepNoteText(removed).fr, note: removed, finishedAt: sql`now()`, owner: null }).where(eq(runs.id, runId));
    return 'finished';
  }

  const secrets = openRepositoryCredentials(repository.credentialsEncrypted, services.secretBox).secrets;
  if (config.adminToken) secrets.push(config.adminToken);
  if (config.chain.registry?.password) secrets.push(config.chain.registry.password);
  const runLog = createRunLog(db, run.id, {
    maxBytes: config.chain.logMaxBytes,
    alreadyStored: run.logBytes,
    redact: createRedactor(secrets),
  });

  // Heartbeat: proves this process is alive, notices cancellation and a takeover by another process.
  const controller = new AbortController();
  let cancelled = false;
  let cancelRequested = false;
  const beat = async () => {
    try {
      const [row] = await db.update(runs).set({ heartbeatAt: sql`now()` }).where(and(eq(runs.id, run.id), eq(runs.owner, options.owner), eq(runs.status, 'running'))).returning({ cancel: runs.cancelRequested });
      if (!row) controller.abort(new Error('taken over'));
      else if (row.cancel) {
        cancelled = true;
        controller.abort(new Error('cancelled'));
      }
    } catch {
      // a missed heartbeat is harmless; the next one retries
    }
  };
  const heartbeat = setInterval(() => void beat(), Math.max(300, (config.chain.staleSeconds * 1000) / 3));
  // The heartbeat may be tens of seconds apart: a cheap read every second makes a cancellation stop the running
  // step (the sandbox and the builder kill their process group on abort) within about a second, from any process.
  let watching = false;
  const watchCancel = async () => {
    if (watching || controller.signal.aborted) return;
    watching = true;
    try {
      const [row] = await db.select({ cancel: runs.cancelRequested }).from(runs).where(eq(runs.id, run.id)).limit(1);
      if (row?.cancel && !controller.signal.aborted) {
        cancelled = true;
        controller.abort(new Error('cancelled'));
      }
    } catch {
      // the next look retries
    } finally {
      watching = false;
    }
  };
  const cancelWatch = setInterval(() => void watchCancel(), cancelWatchMs);
  const onShutdown = () => controller.abort(new Error('shutdown'));
  options.shutdown.addEventListener('abort', onShutdown, { once: true });

  const results: StepContext['results'] = {};
  for (const s of stepRows) if (s.result) results[s.name as StepName] = s.result;
  const done = new Set(stepRows.filter((s) => s.status === 'succeeded' || s.status === 'skipped' || (s.status === 'failed' && s.result?.fatal !== true)).map((s) => s.name));

  const workDir = runWorkDir(config.dataDir, run.id);
  let currentStep = 'sync';
  // Someone reading the log must see that the run did not go straight through: which attempt, on which replica,
  // and that the finished steps (recorded in the database, whatever replica ran them) are not done again.
  const interrupted = stepRows.some((s) => s.status === 'running' || (s.status === 'pending' && s.startedAt !== null));
  if (done.size > 0 || interrupted || run.attempt > 1) {
    const next = orderedSteps.find((s) => !done.has(s.name))?.name ?? 'notify';
    const replica = `${hostname()} (pid ${process.pid})`;
    const kept = orderedSteps.filter((s) => done.has(s.name)).map((s) => s.name);
    runLog.notice(
      next,
      `Reprise après interruption (tentative ${run.attempt}) sur ${replica}${kept.length ? ` ; étapes déjà faites, non refaites : ${kept.join(', ')}` : ''} ` +
        `(resumed after an interruption, attempt ${run.attempt}, on ${replica})`,
    );
  }
  const context: StepContext = {
    services,
    run,
    repository,
    project,
    runLog,
    log: (text) => runLog.write(currentStep, text),
    signal: controller.signal,
    workDir,
    mirrorDir: mirrorPath(config.dataDir, project.slug, repository.name),
    results,
    secrets,
    async updateRun(patch) {
      Object.assign(context.run, patch);
      await db.update(runs).set(patch).where(eq(runs.id, run.id));
    },
  };

  /**
   * A step that gave up because the run was aborted: cancelled on request, it shows cancelled (not failed, so no
   * retry and no verdict); when this process stops, it goes back to pending and the next owner runs it again.
   */
  const stepAborted = async (name: StepName, marked: Promise<unknown>, workMs: number): Promise<undefined> => {
    await marked;
    if (cancelled) {
      runLog.notice(name, `[${name}] étape arrêtée : exécution annulée à la demande (cancelled on request)`);
      await db
        .update(runSteps)
        .set({ status: 'cancelled', finishedAt: sql`now()`, workMs, message: stepNoteText(note('step.cancelled')).fr, note: note('step.cancelled') })
        .where(and(eq(runSteps.runId, run.id), eq(runSteps.name, name)));
    } else {
      runLog.notice(name, `[${name}] étape interrompue (arrêt du service) : elle reprendra`);
      // Only while this process still owns the run: after a takeover the step belongs to the new owner.
      await db.execute(
        sql`UPDATE run_steps SET status = 'pending', finished_at = NULL WHERE run_id = ${run.id} AND name = ${name} AND EXISTS (SELECT 1 FROM runs WHERE id = ${run.id} AND owner = ${options.owner})`,
      );
    }
    return undefined;
  };

  /** The step's outcome, or undefined when it stopped because the run was aborted. */
  const runStep = async (name: StepName, step: Step): Promise<StepOutcome | undefined> => {
    currentStep = name;
    // Shown to users only (a resumed run re-runs any unfinished step): written while the step works.
    const marked = db
      .execute(sql`WITH s AS (UPDATE run_steps SET status = 'running', started_at = now(), finished_at = NULL, message = NULL WHERE run_id = ${run.id} AND name = ${name}) UPDATE runs SET current_step = ${name} WHERE id = ${run.id}`)
      .catch(() => {});
    const started = performance.now();
    let outcome: StepOutcome;
    try {
      outcome = await step(context);
    } catch (error) {
      if (context.signal.aborted) return stepAborted(name, marked, Math.round(performance.now() - started));
      if (error instanceof GitUnavailableError) {
        // A missing binary is the platform's to fix (no retry helps); a missing folder is re-created by the next
        // attempt.
        outcome =
          error.kind === 'no-git'
            ? { status: 'failed', note: note('step.git-missing', { host: hostname() }), fatal: true, retryable: false }
            : { status: 'failed', note: note('step.workdir-missing', { folder: error.folder ?? '?' }), fatal: true, retryable: true };
      } else {
        outcome = { status: 'failed', note: note('step.unexpected', { error: (error as Error).message.slice(0, 300) }), fatal: true, retryable: true };
      }
    }
    const workMs = Math.round(performance.now() - started);
    // No flush here: the log's own timer writes within 250 ms, batching the lines of quick steps into one
    // statement instead of one per step in front of the step's record (a queue on PGlite's single connection).
    const said = outcome.note ? stepNoteText(outcome.note) : undefined;
    if (said) runLog.notice(name, `[${name}] ${said.fr}`);
    await marked;
    const result = { ...(outcome.result ?? {}), ...(outcome.status === 'failed' ? { fatal: outcome.fatal } : {}) };
    // One round trip records the step and reads whether a cancellation was asked for meanwhile.
    const answer = await db.execute<{ cancel: boolean }>(
      sql`WITH s AS (UPDATE run_steps SET status = ${outcome.status}, finished_at = now(), work_ms = ${workMs}, message = ${said?.fr ?? null}, note = ${outcome.note ? JSON.stringify(outcome.note) : null}::jsonb, result = ${JSON.stringify(result)}::jsonb WHERE run_id = ${run.id} AND name = ${name}) SELECT cancel_requested AS cancel FROM runs WHERE id = ${run.id}`,
    );
    const rows = (Array.isArray(answer) ? answer : (answer as { rows: { cancel: boolean }[] }).rows) as {
      cancel: boolean;
    }[];
    if (rows[0]?.cancel) cancelRequested = true;
    results[name] = result;
    return outcome;
  };

  try {
    let failure: { note: StepNote; retryable: boolean } | undefined;
    for (const { name, run: step } of orderedSteps) {
      if (done.has(name)) continue;
      if (controller.signal.aborted) break;
      // A cancellation asked for during the previous step is honoured here, without waiting for the heartbeat.
      if (cancelRequested) {
        cancelled = true;
        break;
      }
      await options.beforeStep?.(name);
      const outcome = await runStep(name, step);
      if (!outcome) break;
      if (outcome.status === 'failed' && outcome.fatal) {
        failure = { note: outcome.note, retryable: outcome.retryable ?? false };
        break;
      }
    }
    clearInterval(heartbeat);
    clearInterval(cancelWatch);

    if (controller.signal.aborted && !cancelled) {
      // This process stops (or lost the run): hand the run back without counting the attempt.
      await runLog.flush();
      await db
        .update(runs)
        .set({ status: 'queued', owner: null, attempt: sql`greatest(${runs.attempt} - 1, 0)` })
        .where(and(eq(runs.id, run.id), eq(runs.owner, options.owner), eq(runs.status, 'running')));
      return 'interrupted';
    }

    if (failure && !cancelled && failure.retryable && run.attempt < run.maxAttempts) {
      const delay = config.chain.retryDelaySeconds * 2 ** (run.attempt - 1);
      runLog.notice(currentStep, `Nouvel essai dans ${delay} s (essai ${run.attempt + 1} sur ${run.maxAttempts}).`);
      await runLog.flush();
      await db.update(runSteps).set({ status: 'pending' }).where(and(eq(runSteps.runId, run.id), eq(runSteps.name, currentStep)));
      await db
        .update(runs)
        .set({ status: 'queued', owner: null, notBefore: sql`now() + make_interval(secs => ${delay})`, message: stepNoteText(failure.note).fr, note: failure.note })
        .where(eq(runs.id, run.id));
      return 'requeued';
    }

    const status: RunStatus = cancelled ? 'cancelled' : failure ? 'failed' : context.run.verdict?.certified ? 'certified' : 'rejected';
    const runNote = cancelled ? note('run.cancelled') : (failure?.note ?? null);
    const message = runNote ? stepNoteText(runNote).fr : null;
    context.run.message = message;
    context.run.note = runNote;
    if (cancelled) {
      await db.update(runSteps).set({ status: 'cancelled' }).where(and(eq(runSteps.runId, run.id), sql`${runSteps.status} IN ('pending', 'running')`, sql`${runSteps.name} <> 'notify'`));
    } else if (failure) {
      await db.update(runSteps).set({ status: 'skipped', message: stepNoteText(note('step.not-run')).fr, note: note('step.not-run') }).where(and(eq(runSteps.runId, run.id), eq(runSteps.status, 'pending'), sql`${runSteps.name} <> 'notify'`));
    }
    // The team is told even about a cancelled run: only this process stopping may interrupt the notification.
    context.signal = options.shutdown;
    await runStep('notify', notifyStepFor(status));
    await runLog.flush();
    await db.update(runs).set({ status, message, note: runNote, finishedAt: sql`now()`, currentStep: null, owner: null }).where(eq(runs.id, run.id));
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
    return 'finished';
  } finally {
    clearInterval(heartbeat);
    clearInterval(cancelWatch);
    options.shutdown.removeEventListener('abort', onShutdown);
  }
}
