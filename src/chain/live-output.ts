// The test command's output shown while it runs: whole lines only (a line is never cut in two log entries), at
// most one log write per interval (a chatty build cannot flood the database), and no more than the step's output
// allowance; past it, the end of the output is shown once the command is over, as before.
export interface LiveOutput {
  push(chunk: Buffer): void;
  /** Writes what is left; says whether everything the command printed was shown live (nothing printed: false). */
  finish(): boolean;
}

export function liveOutput(
  log: (text: string) => void,
  options: { maxBytes: number; intervalMs?: number; now?: () => number },
): LiveOutput {
  const intervalMs = options.intervalMs ?? 500;
  const now = options.now ?? Date.now;
  let pending = '';
  let shownBytes = 0;
  let overflow = false;
  let lastWrite = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (all: boolean) => {
    clearTimeout(timer);
    timer = undefined;
    const cut = all ? pending.length : pending.lastIndexOf('\n') + 1;
    if (cut <= 0) return;
    const text = pending.slice(0, cut).replace(/\n$/, '');
    pending = pending.slice(cut);
    lastWrite = now();
    if (text.length > 0) log(text);
  };

  return {
    push(chunk) {
      if (overflow) return;
      shownBytes += chunk.length;
      if (shownBytes > options.maxBytes) {
        overflow = true;
        flush(false);
        pending = '';
        return;
      }
      pending += chunk.toString('utf8');
      if (!pending.includes('\n')) return;
      const wait = lastWrite + intervalMs - now();
      if (wait <= 0) flush(false);
      else timer ??= setTimeout(() => flush(false), wait);
    },
    finish() {
      if (!overflow) flush(true);
      clearTimeout(timer);
      return !overflow && shownBytes > 0;
    },
  };
}
