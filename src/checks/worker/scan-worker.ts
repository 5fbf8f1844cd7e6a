// Worker thread body: receives the whole list of batches once, then claims batch after batch from a counter shared
// by every worker (Atomics), so the workers balance themselves without waiting for the calling thread, which may be
// busy running the other checkers. Each batch's result is posted as soon as it is done.
import { parentPort } from 'node:worker_threads';
import { scanBatch } from './scan-batch.ts';
import { workerTextScanners } from './text-scanners.ts';

export interface WorkerJob {
  root: string;
  scanners: string[];
  batches: string[][];
  /** One Int32: the index of the next batch to claim. */
  next: SharedArrayBuffer;
}

parentPort?.once('message', (job: WorkerJob) => {
  const next = new Int32Array(job.next);
  for (let index = Atomics.add(next, 0, 1); index < job.batches.length; index = Atomics.add(next, 0, 1)) {
    try {
      const result = scanBatch(
        { root: job.root, paths: job.batches[index] as string[], scanners: job.scanners },
        workerTextScanners,
      );
      parentPort?.postMessage({ index, result });
    } catch (error) {
      // The calling thread scans this batch itself.
      parentPort?.postMessage({ index, error: error instanceof Error ? error.message : String(error) });
    }
  }
  parentPort?.postMessage({ done: true });
});
parentPort?.postMessage({ ready: true });
