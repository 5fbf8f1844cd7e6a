import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

describe('data folder lock', () => {
  it('lets one holder in, says who holds it, and frees it on release', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-lock-'));
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(String(process.pid));
    lock.release();
    lockDataDir(dir).release();
    fs.rmSync(dir, { recursive: true });
  });

  it('takes over a lock left by a dead process', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-lock-'));
    fs.writeFileSync(path.join(dir, 'dso.lock'), '999999999\n');
    lockDataDir(dir).release();
    fs.rmSync(dir, { recursive: true });
  });
});
