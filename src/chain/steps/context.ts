// What every chain step receives, and what it answers. A step is idempotent: it may run again after a crash
// (the run resumes at the step that was running), so it overwrites rather than appends, and "already there"
// is success.
import type { Services } from '../../system/services.ts';
import type { StepNote } from '../step-notes.ts';
import type { projects, repositories, runs } from '../../db/schema.ts';
import type { RunLog } from '../run-log.ts';

export type RunRow = typeof runs.$inferSelect;
export type RepositoryRow = typeof repositories.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;

export const stepNames = ['sync', 'checkout', 'checks', 'tests', 'build', 'publish', 'gate', 'certify', 'notify'] as const;
export type StepName = (typeof stepNames)[number];

export interface StepContext {
  services: Services;
  run: RunRow;
  repository: RepositoryRow;
  project: ProjectRow;
  /** Append to this step's log (redacted, chunked, capped). */
  log(text: string): void;
  runLog: RunLog;
  signal: AbortSignal;
  workDir: string;
  mirrorDir: string;
  /** Results recorded by earlier steps of this run (also after a resume). */
  results: Partial<Record<StepName, Record<string, unknown>>>;
  /** Records run fields (commit, image digest…) as soon as they are known. */
  updateRun(patch: Partial<Pick<RunRow, 'commitSha' | 'imageDigest' | 'verdict'>>): Promise<void>;
  /** Secrets known for this run (redaction). */
  secrets: string[];
}

export type StepOutcome =
  | { status: 'succeeded' | 'skipped'; note?: StepNote; result?: Record<string, unknown> }
  /**
   * `fatal`: the run cannot go on (sync, checkout, publish problems); `retryable` says whether trying again later
   * may help. A non-fatal failure (tests, image build) lets the run go on to the gate, which refuses certification.
   */
  | { status: 'failed'; note: StepNote; fatal: boolean; retryable?: boolean; result?: Record<string, unknown> };

export type Step = (context: StepContext) => Promise<StepOutcome>;
