// Reading one file of the scanned tree as text, safely: bounded size, binary files recognised, invalid UTF-8
// replaced rather than rejected, and every failure turned into a reason instead of an exception.
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';

export const maxFileBytes = 5 * 1024 * 1024;
const sniffBytes = 8 * 1024;

export type SourceRead =
  | { text: string; bytes: number }
  | { skipped: 'binary' | 'too-large' | 'unreadable'; bytes: number; reason?: string };

/** NUL bytes, or more than 10 % of control characters in the first 8 KB, mean binary. */
export function looksBinary(content: Uint8Array): boolean {
  const end = Math.min(content.length, sniffBytes);
  let control = 0;
  for (let i = 0; i < end; i++) {
    const b = content[i] as number;
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x08 && b !== 0x1b) || b === 0x7f)
      control++;
  }
  // control / end > 0.1, in integers: a fractional result would make V8 discard this loop's optimised code.
  return end > 0 && control * 10 > end;
}

export function readSource(absolutePath: string, limit = maxFileBytes): SourceRead {
  let content: Buffer;
  try {
    content = readFileSync(absolutePath);
  } catch (error) {
    return { skipped: 'unreadable', bytes: 0, reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  if (content.length > limit) return { skipped: 'too-large', bytes: content.length };
  if (looksBinary(content)) return { skipped: 'binary', bytes: content.length };
  // Most source files are pure ASCII, where Latin-1 decoding gives the same string several times faster.
  // Otherwise toString('utf8') replaces invalid sequences with U+FFFD: Latin-1 files still get scanned.
  return { text: isAscii(content) ? content.toString('latin1') : content.toString('utf8'), bytes: content.length };
}
