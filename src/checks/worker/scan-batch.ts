// Scanning a batch of files with text scanners: what one worker thread does per message (and what the engine
// does on its own thread for small trees). Never throws: unreadable files and scanner crashes become notes.
import { join } from 'node:path';
import type { Finding, Note } from '../model.ts';
import { readSource } from './read-source.ts';
import type { TextScanner } from './text-scanner.ts';

export interface BatchRequest {
  root: string;
  paths: string[];
  scanners: string[];
}

export type SkipCategory = 'binary' | 'too-large' | 'unreadable' | 'scanner-error';

export interface BatchResult {
  findings: Finding[];
  /** Capped per category by the sender; `skipped` has the true counts. */
  notes: { category: SkipCategory; note: Note }[];
  skipped: Record<SkipCategory, number>;
  filesRead: number;
  bytesRead: number;
}

const notesPerBatch = 50;

export function scanBatch(request: BatchRequest, known: ReadonlyMap<string, TextScanner>): BatchResult {
  const scanners = request.scanners.map((name) => known.get(name)).filter((s): s is TextScanner => s !== undefined);
  const result: BatchResult = {
    findings: [],
    notes: [],
    skipped: { binary: 0, 'too-large': 0, unreadable: 0, 'scanner-error': 0 },
    filesRead: 0,
    bytesRead: 0,
  };
  const note = (category: SkipCategory, file: string, message: string) => {
    result.skipped[category]++;
    if (result.skipped[category] <= notesPerBatch) result.notes.push({ category, note: { file, message } });
  };
  for (const path of request.paths) {
    const wanted = scanners.filter((s) => s.wants(path));
    if (wanted.length === 0) continue;
    const read = readSource(join(request.root, path));
    result.bytesRead += read.bytes;
    if ('skipped' in read) {
      if (read.skipped === 'binary') note('binary', path, 'binary file, not scanned');
      else if (read.skipped === 'too-large') note('too-large', path, 'file larger than 5 MB, not scanned');
      else note('unreadable', path, `file not readable (${read.reason ?? 'unknown error'}), not scanned`);
      continue;
    }
    result.filesRead++;
    for (const scanner of wanted) {
      try {
        result.findings.push(...scanner.scan(path, read.text));
      } catch (error) {
        note('scanner-error', path, `the ${scanner.name} scan failed on this file (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }
  return result;
}
