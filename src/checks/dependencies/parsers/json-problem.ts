// Turns a JSON.parse error into a located problem ("position 123" → line and column).
import type { ParseProblem } from '../component.ts';
import { LineIndex } from './lines.ts';

export function jsonProblem(text: string, error: unknown): ParseProblem {
  const message = error instanceof Error ? error.message : String(error);
  const m = /position (\d+)/.exec(message);
  if (!m) {
    // "Unexpected end of JSON input": the problem is at the end of the file.
    const line = /end of JSON input/.test(message) ? new LineIndex(text).lineAt(Math.max(0, text.length - 1)) : undefined;
    return { ...(line !== undefined ? { line } : {}), message: `invalid JSON: ${message}` };
  }
  const offset = Number(m[1]);
  const lines = new LineIndex(text);
  const line = lines.lineAt(offset);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { line, column: offset - lineStart + 1, message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` };
}

/** Parses JSON and checks that the top level is an object. */
export function parseJsonObject(text: string): { value: Record<string, unknown> } | { problem: ParseProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: jsonProblem(text, e) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: { line: 1, message: 'expected a JSON object at the top level' } };
  return { value: value as Record<string, unknown> };
}
