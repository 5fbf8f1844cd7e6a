// Worker thread body: receives batches of paths, answers with findings and notes.
import { parentPort } from 'node:worker_threads';
import { scanBatch, type BatchRequest } from './scan-batch.ts';
import { workerTextScanners } from './text-scanners.ts';

parentPort?.on('message', (message: { id: number; request: BatchRequest }) => {
  let result;
  try {
    result = scanBatch(message.request, workerTextScanners);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  parentPort?.postMessage({ id: message.id, result });
});
parentPort?.postMessage({ ready: true });
