import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

describe('data folder lock', () => {
  it('lets one holder in, says who holds it, and frees it on release', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-lock-'));
    const lockFile = path.join(dir, 'dso.lock');
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(String(process.pid));
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    lock.release(); // twice is harmless
    const again = lockDataDir(dir);
    expect(fs.existsSync(lockFile)).toBe(true);
    again.release();
    fs.rmSync(dir, { recursive: true });
  });

  it('takes over a lock left by a dead process', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-lock-'));
    const lockFile = path.join(dir, 'dso.lock');
    fs.writeFileSync(lockFile, '999999999\n');
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
