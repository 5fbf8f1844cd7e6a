// A per-file text scan: the shape shared by the checkers whose work is "read each text file, look at its lines".
// The engine runs these in worker threads over batches of files, so they must be pure and synchronous.
import type { Finding, Rule } from '../model.ts';

export interface TextScanner {
  /** Same name as the checker it backs (secrets, configuration). */
  name: string;
  rules: readonly Rule[];
  /** Cheap test on the path alone: false = the file is not read for this scanner. */
  wants(path: string): boolean;
  scan(path: string, text: string): Finding[];
}
