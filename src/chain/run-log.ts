// A run's log: lines buffered per step and written to the database in chunks (few writes, readable while the
// run goes on), secrets redacted before anything is stored, and a size cap per run so a chatty or hostile test
// command cannot fill the database.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export interface RunLog {
  write(step: string, text: string): void;
  /**
   * The platform's own short lines (a step's outcome, a cancellation, a retry): still written once a chatty
   * command has used up the cap, within a small reserve, so the end of a run is always explained.
   */
  notice(step: string, text: string): void;
  /** Writes what is buffered; resolves when stored. */
  flush(): Promise<void>;
}

const chunkBytes = 16 * 1024;
const flushDelayMs = 250;
const noticeReserveBytes = 2048;
const noticeMaxBytes = 400;

export function createRunLog(
  db: Db,
  runId: string,
  options: { maxBytes: number; alreadyStored: number; redact: (text: string) => string },
): RunLog {
  let stored = options.alreadyStored;
  let truncated = stored >= options.maxBytes;
  let pending: { step: string; text: string }[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const writeOut = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    if (batch.length === 0) return writing;
    // Consecutive texts of one step become one chunk.
    const chunks: { step: string; text: string }[] = [];
    for (const item of batch) {
      const last = chunks.at(-1);
      if (last && last.step === item.step) last.text += item.text;
      else chunks.push({ ...item });
    }
    const bytes = chunks.reduce((n, c) => n + Buffer.byteLength(c.text), 0);
    writing = writing
      .then(async () => {
        // One round trip: on PGlite every statement waits its turn on the single connection, steps included.
        const rows = sql.join(
          chunks.map((c) => sql`(${runId}, ${c.step}, ${c.text})`),
          sql`, `,
        );
        await db.execute(
          sql`WITH c AS (INSERT INTO run_log_chunks (run_id, step, text) VALUES ${rows}) UPDATE runs SET log_bytes = log_bytes + ${bytes} WHERE id = ${runId}`,
        );
      })
      .catch(() => {
        // A lost log chunk must not fail the run; the step status still tells the outcome.
      });
    return writing;
  };

  const push = (step: string, text: string, bytes: number) => {
    stored += bytes;
    pending.push({ step, text });
    pendingBytes += bytes;
    if (pendingBytes >= chunkBytes) void writeOut();
    else timer ??= setTimeout(() => void writeOut(), flushDelayMs);
  };

  return {
    write(step, raw) {
      if (truncated || raw.length === 0) return;
      let text = options.redact(raw);
      if (!text.endsWith('\n')) text += '\n';
      let bytes = Buffer.byteLength(text);
      if (stored + bytes > options.maxBytes) {
        const room = Math.max(0, options.maxBytes - stored);
        text = `${Buffer.from(text)
          .subarray(0, room)
          .toString('utf8')
          .replace(
            /\uFFFD$/,
            '',
          )}\n[log truncated: limit of ${Math.round(options.maxBytes / 1024)} KiB per run reached]\n`;
        bytes = Buffer.byteLength(text);
        truncated = true;
      }
      push(step, text, bytes);
    },
    notice(step, raw) {
      if (!truncated) return this.write(step, raw);
      let text = options.redact(raw.length > noticeMaxBytes ? `${raw.slice(0, noticeMaxBytes)}…` : raw);
      if (!text.endsWith('\n')) text += '\n';
      const bytes = Buffer.byteLength(text);
      if (stored + bytes > options.maxBytes + noticeReserveBytes) return;
      push(step, text, bytes);
    },
    flush: () => writeOut(),
  };
}
