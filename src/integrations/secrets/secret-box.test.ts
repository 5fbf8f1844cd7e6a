import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadOrCreateKey } from './secret-box.ts';

describe('secret box', () => {
  it('seals and opens; the sealed form reveals nothing and differs each time', () => {
    const box = createSecretBox(Buffer.alloc(32, 3));
    const a = box.seal('glpat-very-secret');
    expect(a).not.toContain('glpat');
    expect(box.seal('glpat-very-secret')).not.toBe(a);
    expect(box.open(a)).toBe('glpat-very-secret');
  });

  it('detects another key or tampering', () => {
    const sealed = createSecretBox(Buffer.alloc(32, 3)).seal('x');
    expect(() => createSecretBox(Buffer.alloc(32, 4)).open(sealed)).toThrow(/another key or altered/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('y').toString('base64url');
    expect(() => createSecretBox(Buffer.alloc(32, 3)).open(parts.join('.'))).toThrow();
  });

  it('generates a key file readable by its owner only, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-key-'));
    const key = loadOrCreateKey(undefined, dir);
    expect(key).toHaveLength(32);
    expect(fs.statSync(path.join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(undefined, dir).equals(key)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });
});
