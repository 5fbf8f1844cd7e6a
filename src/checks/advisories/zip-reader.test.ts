import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openZip, readZipEntry, zipEntries, ZipFormatError } from './zip-reader.ts';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dso-zip-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function readAll(file: string, max = 1024 * 1024): Record<string, string> {
  const zip = openZip(file);
  try {
    const out: Record<string, string> = {};
    for (const e of zipEntries(zip.fd)) out[e.name] = readZipEntry(zip.fd, e, max).toString('utf8');
    return out;
  } finally {
    zip.close();
  }
}

/** Rewrites a small archive's end records the way ZIP64 writers do (saturated fields + ZIP64 records). */
function toZip64(zip: Uint8Array): Buffer {
  const buf = Buffer.from(zip);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(eocd), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.from(buf.subarray(eocd));
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([buf.subarray(0, eocd), record, locator, end]);
}

describe('zip reader', () => {
  it('reads stored and deflated entries', () => {
    const file = path.join(work, 'a.zip');
    writeFileSync(file, zipSync({ 'a.json': strToU8('{"a":1}'), 'dir/b.yaml': [strToU8('id: b\n'), { level: 0 }] }));
    expect(readAll(file)).toEqual({ 'a.json': '{"a":1}', 'dir/b.yaml': 'id: b\n' });
  });

  it('reads archives with ZIP64 end records', () => {
    const file = path.join(work, 'z64.zip');
    writeFileSync(file, toZip64(zipSync({ 'one.json': strToU8('1'), 'two.json': strToU8('2') })));
    expect(readAll(file)).toEqual({ 'one.json': '1', 'two.json': '2' });
  });

  it('refuses an entry that inflates beyond the limit, even when its header lies about its size', () => {
    const bomb = zipSync({ 'bomb.json': [new Uint8Array(2 * 1024 * 1024), { level: 9 }] });
    const file = path.join(work, 'bomb.zip');
    // Claim a tiny uncompressed size in the central directory.
    const buf = Buffer.from(bomb);
    const cd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    buf.writeUInt32LE(10, cd + 24);
    writeFileSync(file, buf);
    expect(() => readAll(file, 64 * 1024)).toThrow(/larger than 65536 bytes/);
  });

  it('says what is wrong with something that is not a zip', () => {
    const file = path.join(work, 'x.zip');
    writeFileSync(file, 'not a zip at all');
    expect(() => readAll(file)).toThrow(ZipFormatError);
    expect(() => readAll(file)).toThrow(/end of central directory/);
  });
});
