// A background task repeated on an interval that never overlaps itself: a tick while the previous one still runs is
// skipped, errors go to the caller's handler, and stop() waits for the tick in flight. Shared by the conformity
// sweeper and the catalogue source puller so both stop the same way on SIGTERM.
export interface PeriodicTask {
  stop(): Promise<void>;
}

export function startPeriodicTask(
  work: (isStopped: () => boolean) => Promise<unknown>,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): PeriodicTask {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const isStopped = () => stopped;
  const tick = () => {
    if (running || stopped) return;
    running = work(isStopped)
      .catch((error) => options.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
