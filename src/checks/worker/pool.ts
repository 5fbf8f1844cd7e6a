// Running text scanners over many files on every core: one worker thread per core pulls batches of paths
// (each worker reads its own files, so reading is parallel too). If workers cannot start, the same batches
// are scanned on the calling thread: slower, never wrong.
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../model.ts';
import { workerBundle } from './bundle.ts';
import { scanBatch, type BatchRequest, type BatchResult, type SkipCategory } from './scan-batch.ts';
import { workerTextScanners } from './text-scanners.ts';

export interface PoolScanInput {
  root: string;
  files: readonly SourceFile[];
  scanners: string[];
  workers: number;
  onBatch?: (filesDone: number, bytesDone: number) => void;
}

const batchFiles = 256;
const batchBytes = 4 * 1024 * 1024;

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
  const queue = batchesOf(input.files);
  let filesDone = 0;
  let bytesDone = 0;
  const done = (batch: { paths: string[]; bytes: number }, result: BatchResult) => {
    mergeBatchResult(total, result);
    filesDone += batch.paths.length;
    bytesDone += batch.bytes;
    input.onBatch?.(filesDone, bytesDone);
  };
  const request = (paths: string[]): BatchRequest => ({ root: input.root, paths, scanners: input.scanners });
  const scanHere = (batch: { paths: string[]; bytes: number }) => done(batch, scanBatch(request(batch.paths), workerTextScanners));

  const count = Math.max(0, Math.min(input.workers, queue.length));
  const code = count > 0 ? await workerBundle() : undefined;
  await Promise.all(Array.from({ length: count }, () => runWorker()));
  // Whatever no worker could take (workers failed to start or crashed) is scanned here.
  while (queue.length > 0) scanHere(queue.shift() as { paths: string[]; bytes: number });
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
      let current: { paths: string[]; bytes: number } | undefined;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        void worker.terminate();
        resolve();
      };
      const next = () => {
        current = queue.shift();
        if (!current) return finish();
        worker.postMessage({ id: 0, request: request(current.paths) });
      };
      worker.on('message', (message: { ready?: boolean; result?: BatchResult; error?: string }) => {
        if (message.ready) return next();
        if (current && message.result) done(current, message.result);
        else if (current) scanHere(current);
        next();
      });
      worker.on('error', () => {
        // The batch in flight goes back to the queue; the calling thread finishes the work.
        if (current) queue.unshift(current);
        current = undefined;
        finish();
      });
      worker.on('exit', () => {
        if (current) queue.unshift(current);
        current = undefined;
        finish();
      });
    });
  }
}
