// What the chain's child processes (the team's test command, the image builder) share: they run in their own
// process group, so that a deadline or a cancellation kills everything they started, and only the end of their
// output is kept, since a hostile or chatty command may print gigabytes.
import type { ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';

/** The last `max` bytes of a stream; the chunks before are dropped as they arrive (no copying on each write). */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Every byte received, kept or not. */
  total = 0;
  constructor(private readonly max: number) {}
  get truncated(): boolean {
    return this.total > this.max;
  }
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.total += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.max)
      this.size -= this.chunks.shift()!.length;
  }
  /** The kept bytes as text, after `marker(dropped)` when the beginning was dropped. */
  text(marker: (droppedBytes: number) => string = () => '[…]\n'): string {
    const all = Buffer.concat(this.chunks);
    const kept = all.subarray(Math.max(0, all.length - this.max)).toString('utf8');
    return this.truncated ? `${marker(this.total - this.max)}${kept}` : kept;
  }
}

export interface GroupSupervision {
  /** The deadline passed and the group was killed. */
  readonly timedOut: boolean;
  /** The signal aborted and the group was killed. */
  readonly aborted: boolean;
  /** Kills the whole group now (what the command left in the background too). */
  kill(): void;
  /** Stops watching: call once the child has closed or failed to start. */
  done(): void;
}

/** Kills a whole process group (a child spawned with `detached: true`, and what it started: ssh, git helpers…). */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Kills `child`'s process group (spawned with `detached: true`) at `deadline` (epoch ms; none when undefined) or
 * when `signal` aborts.
 */
export function superviseGroup(
  child: ChildProcess,
  deadline: number | undefined,
  signal?: AbortSignal,
): GroupSupervision {
  const state = { timedOut: false, aborted: false };
  const kill = () => killGroup(child.pid);
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(
          () => {
            state.timedOut = true;
            kill();
          },
          Math.max(1, deadline - Date.now()),
        );
  const onAbort = () => {
    state.aborted = true;
    kill();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    get timedOut() {
      return state.timedOut;
    },
    get aborted() {
      return state.aborted;
    },
    kill,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Nice value of the chain's work (git, the test command, the image build): below the console's own. */
export const backgroundNiceness = 10;

/**
 * Gives `child` (and what it starts from now on) a lower CPU priority than this process, so that on a busy
 * machine the chain's work waits for the API rather than the reverse. Best effort: a process already gone, or a
 * system refusing it, keeps the default priority.
 */
export function lowerPriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, backgroundNiceness);
  } catch {
    // Not fatal: the work still runs, at the normal priority.
  }
}
