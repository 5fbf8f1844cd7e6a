// The text scanners a worker thread knows how to run, by name.
import { configurationScanner } from '../configuration/checker.ts';
import { secretsScanner } from '../secrets/checker.ts';
import type { TextScanner } from './text-scanner.ts';

export const workerTextScanners: ReadonlyMap<string, TextScanner> = new Map([
  [secretsScanner.name, secretsScanner],
  [configurationScanner.name, configurationScanner],
]);
