// Running text scanners over many files on every core: one worker thread per core, each claiming the next batch of
// paths from a shared counter (work stealing: a worker that drew small files simply takes more batches; each worker
// reads its own files, so reading is parallel too). If workers cannot start or crash, whatever batch they did not
// report is scanned on the calling thread: slower, never wrong.
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../model.ts';
import { workerBundle } from './bundle.ts';
import { scanBatch, type BatchResult, type SkipCategory } from './scan-batch.ts';
import type { WorkerJob } from './scan-worker.ts';
import { workerTextScanners } from './text-scanners.ts';

export interface PoolScanInput {
  root: string;
  files: readonly SourceFile[];
  scanners: string[];
  workers: number;
  onBatch?: (filesDone: number, bytesDone: number) => void;
}

// Small batches: claiming one costs an atomic add, and the two workers then finish within a batch of each other.
const batchFiles = 128;
const batchBytes = 1024 * 1024;
/** Longer than any sane worker start (~0.1 s), short enough that a stuck one costs little. */
const workerStartTimeoutMs = 15_000;

export function emptyBatchResult(): BatchResult {
  return { findings: [], notes: [], skipped: { binary: 0, 'too-large': 0, unreadable: 0, 'scanner-error': 0 }, filesRead: 0, bytesRead: 0 };
}

export function mergeBatchResult(into: BatchResult, from: BatchResult): void {
  for (const f of from.findings) into.findings.push(f);
  for (const n of from.notes) into.notes.push(n);
  for (const key of Object.keys(from.skipped) as SkipCategory[]) into.skipped[key] += from.skipped[key];
  into.filesRead += from.filesRead;
  into.bytesRead += from.bytesRead;
}

function batchesOf(files: readonly SourceFile[]): { paths: string[]; bytes: number }[] {
  const batches: { paths: string[]; bytes: number }[] = [];
  let current = { paths: [] as string[], bytes: 0 };
  for (const file of files) {
    current.paths.push(file.path);
    current.bytes += file.size;
    if (current.paths.length >= batchFiles || current.bytes >= batchBytes) {
      batches.push(current);
      current = { paths: [], bytes: 0 };
    }
  }
  if (current.paths.length > 0) batches.push(current);
  return batches;
}

export async function scanWithWorkers(input: PoolScanInput): Promise<BatchResult> {
  const total = emptyBatchResult();
  const batches = batchesOf(input.files);
  const completed = new Uint8Array(batches.length);
  let filesDone = 0;
  let bytesDone = 0;
  const done = (index: number, result: BatchResult) => {
    if (completed[index] === 1) return;
    completed[index] = 1;
    const batch = batches[index] as { paths: string[]; bytes: number };
    mergeBatchResult(total, result);
    filesDone += batch.paths.length;
    bytesDone += batch.bytes;
    input.onBatch?.(filesDone, bytesDone);
  };
  const scanHere = (index: number) =>
    done(
      index,
      scanBatch(
        { root: input.root, paths: (batches[index] as { paths: string[] }).paths, scanners: input.scanners },
        workerTextScanners,
      ),
    );

  const count = Math.max(0, Math.min(input.workers, batches.length));
  const code = count > 0 ? await workerBundle() : undefined;
  const job: WorkerJob = {
    root: input.root,
    scanners: input.scanners,
    batches: batches.map((b) => b.paths),
    next: new SharedArrayBuffer(4),
  };
  await Promise.all(Array.from({ length: count }, () => runWorker()));
  // Whatever no worker reported (workers failed to start, crashed, or could not scan a batch) is scanned here.
  for (let index = 0; index < batches.length; index++) if (completed[index] !== 1) scanHere(index);
  return total;

  function runWorker(): Promise<void> {
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = code !== undefined
          ? new Worker(code, { eval: true, execArgv: [] })
          : new Worker(new URL('./entry.mjs', import.meta.url), { execArgv: [] });
      } catch {
        resolve();
        return;
      }
      let finished = false;
      // A worker that never says it is ready (stuck while loading) is given up: its share is scanned here.
      const startDeadline = setTimeout(() => finish(), workerStartTimeoutMs);
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(startDeadline);
        void worker.terminate();
        resolve();
      };
      worker.on('message', (message: { ready?: boolean; done?: boolean; index?: number; result?: BatchResult }) => {
        if (message.ready) {
          clearTimeout(startDeadline);
          worker.postMessage(job);
        }
        else if (message.index !== undefined && message.result) done(message.index, message.result);
        else if (message.done) finish();
      });
      worker.on('error', finish);
      worker.on('exit', finish);
    });
  }
}
