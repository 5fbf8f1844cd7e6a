// When the advisory sync runs in a worker process: at each DSO_ADVISORIES_CRON time (UTC), and at start when the data
// is behind the schedule (never synced, or the last success is older than the previous scheduled time), so a process
// that was down at sync time catches up. Each worker process syncs its own data folder, where its checks read (the
// store is on disk, not in the database). One sync at a time; `requestSync` asks for one now (coalesced with a
// running one). Built and started by the composition root, never by a route.
import cronParser from 'cron-parser';
import type { Logger } from 'pino';
import { readSyncState, syncAdvisories, type SyncState } from './osv-mirror-sync.ts';

export interface AdvisorySync {
  /** DSO_ADVISORIES_URL, or undefined when the server does not sync. */
  source: string | undefined;
  /** When the next scheduled sync runs (ISO), while the schedule is active. */
  nextSyncAt(): string | undefined;
  /** Whether a sync is running now. */
  running(): boolean;
  /** Ask for a sync now; resolves when it has finished (a running one is joined, not duplicated). */
  requestSync(): Promise<SyncState>;
  stop(): Promise<void>;
}

export interface AdvisorySyncOptions {
  dataDir: string;
  url: string;
  cron: string;
  ecosystems: readonly string[];
  logger: Logger;
  now: () => Date;
}

function cronTime(cron: string, from: Date, direction: 'next' | 'prev'): Date {
  const interval = cronParser.parseExpression(cron, { currentDate: from, tz: 'UTC' });
  return (direction === 'next' ? interval.next() : interval.prev()).toDate();
}

/** True when some ecosystem never succeeded, or last succeeded before the latest scheduled time. */
export function behindSchedule(state: SyncState, ecosystems: readonly string[], cron: string, now: Date): boolean {
  const due = cronTime(cron, now, 'prev').getTime();
  return ecosystems.some((e) => {
    const at = state.ecosystems[e]?.lastSuccessAt;
    return !at || Date.parse(at) < due;
  });
}

export function startAdvisorySync(options: AdvisorySyncOptions): AdvisorySync {
  let timer: NodeJS.Timeout | undefined;
  let next: Date | undefined;
  let current: Promise<SyncState> | undefined;
  let stopped = false;
  const shutdown = new AbortController();

  const run = (): Promise<SyncState> => {
    current ??= (async () => {
      const started = performance.now();
      try {
        const state = await syncAdvisories({
          dataDir: options.dataDir,
          baseUrl: options.url,
          ecosystems: options.ecosystems,
          now: options.now,
          signal: shutdown.signal,
        });
        const failed = options.ecosystems.filter((e) => state.ecosystems[e]?.error);
        const summary = Object.fromEntries(options.ecosystems.map((e) => [e, state.ecosystems[e]?.error ? `error: ${state.ecosystems[e]!.error!.message}` : state.ecosystems[e]?.lastResult?.via]));
        if (failed.length > 0) options.logger.warn({ ecosystems: summary, durationMs: Math.round(performance.now() - started) }, 'advisory sync finished with errors');
        else options.logger.info({ ecosystems: summary, durationMs: Math.round(performance.now() - started) }, 'advisory sync finished');
        return state;
      } finally {
        current = undefined;
      }
    })();
    return current;
  };

  const schedule = () => {
    if (stopped) return;
    next = cronTime(options.cron, options.now(), 'next');
    // Timers longer than ~24.8 days overflow: wake up earlier and compute again.
    const delay = Math.min(Math.max(next.getTime() - options.now().getTime(), 1000), 2 ** 31 - 1);
    timer = setTimeout(() => {
      if (options.now().getTime() + 500 < next!.getTime()) return schedule();
      void run()
        .catch((error: unknown) => options.logger.warn({ err: error }, 'advisory sync failed'))
        .finally(schedule);
    }, delay);
    timer.unref();
  };

  if (behindSchedule(readSyncState(options.dataDir), options.ecosystems, options.cron, options.now())) {
    void run().catch((error: unknown) => options.logger.warn({ err: error }, 'advisory sync failed'));
  }
  schedule();

  return {
    source: options.url,
    nextSyncAt: () => (next && !stopped ? next.toISOString() : undefined),
    running: () => current !== undefined,
    requestSync: () => (stopped ? Promise.resolve(readSyncState(options.dataDir)) : run()),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      shutdown.abort();
      await current?.catch(() => {});
    },
  };
}
