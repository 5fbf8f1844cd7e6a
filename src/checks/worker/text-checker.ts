// A checker backed by a per-file text scan. The engine spots these and runs their scans in worker threads;
// called directly (outside the engine), `check` simply scans file after file on the calling thread.
import type { Checker, CheckerResult, CheckInput } from '../model.ts';
import type { TextScanner } from './text-scanner.ts';

export interface TextChecker extends Checker {
  textScanner: TextScanner;
}

export function isTextChecker(checker: Checker): checker is TextChecker {
  return typeof (checker as Partial<TextChecker>).textScanner === 'object';
}

export function textChecker(scanner: TextScanner): TextChecker {
  return {
    name: scanner.name,
    rules: scanner.rules,
    textScanner: scanner,
    async check(input: CheckInput): Promise<CheckerResult> {
      const result: CheckerResult = { findings: [], notes: [] };
      for (const file of input.files) {
        if (!scanner.wants(file.path)) continue;
        const text = await input.readText(file.path);
        if (text !== undefined) result.findings.push(...scanner.scan(file.path, text));
      }
      return result;
    },
  };
}
