// Reads the entries of a zip archive one at a time from its central directory, with positional
// reads: memory stays at one entry whatever the archive size, and ZIP64 archives (osv.dev's
// exports of large ecosystems hold more than 65,535 records) are supported. Only the "stored"
// and "deflate" methods exist in such exports.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  method: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  if (n !== length) throw new ZipFormatError('truncated archive');
  return buf;
}

function readBigUInt64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('entry offset too large');
  return Number(v);
}

function centralDirectory(fd: number, fileSize: number): { offset: number; size: number; count: number } {
  const tailLength = Math.min(fileSize, 65_557);
  const tail = readAt(fd, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new ZipFormatError('no end of central directory record (not a zip file?)');
  let count = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw new ZipFormatError('ZIP64 locator missing');
    const recordOffset = readBigUInt64(tail, locator + 8);
    const record = readAt(fd, recordOffset, 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('ZIP64 end of central directory missing');
    count = readBigUInt64(record, 32);
    size = readBigUInt64(record, 40);
    offset = readBigUInt64(record, 48);
  }
  if (offset + size > fileSize) throw new ZipFormatError('central directory outside the file');
  return { offset, size, count };
}

export function* zipEntries(fd: number): Generator<ZipEntry> {
  const { offset, size, count } = centralDirectory(fd, fstatSync(fd).size);
  // Read the directory in slices so a huge one is never held whole.
  let position = offset;
  const end = offset + size;
  let buf = Buffer.alloc(0);
  let at = 0;
  const ensure = (n: number): void => {
    if (buf.length - at >= n) return;
    const rest = buf.subarray(at);
    const more = Math.min(Math.max(n, 1 << 20), end - position);
    if (rest.length + more < n) throw new ZipFormatError('truncated central directory');
    buf = Buffer.concat([rest, readAt(fd, position, more)]);
    position += more;
    at = 0;
  };
  for (let i = 0; i < count; i++) {
    ensure(46);
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new ZipFormatError('corrupt central directory');
    const method = buf.readUInt16LE(at + 10);
    let compressedSize = buf.readUInt32LE(at + 20);
    let uncompressedSize = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    let localHeaderOffset = buf.readUInt32LE(at + 42);
    ensure(46 + nameLength + extraLength + commentLength);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    // ZIP64 extended information: 64-bit values for the fields saturated above, in this order.
    let e = at + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        if (uncompressedSize === 0xffffffff && p + 8 <= e + 4 + len) {
          uncompressedSize = readBigUInt64(buf, p);
          p += 8;
        }
        if (compressedSize === 0xffffffff && p + 8 <= e + 4 + len) {
          compressedSize = readBigUInt64(buf, p);
          p += 8;
        }
        if (localHeaderOffset === 0xffffffff && p + 8 <= e + 4 + len) localHeaderOffset = readBigUInt64(buf, p);
      }
      e += 4 + len;
    }
    at += 46 + nameLength + extraLength + commentLength;
    yield { name, compressedSize, size: uncompressedSize, method, localHeaderOffset };
  }
}

/** The entry's bytes; refuses entries bigger than `maxBytes` once inflated (zip bombs). */
export function readZipEntry(fd: number, entry: ZipEntry, maxBytes: number): Buffer {
  if (entry.size > maxBytes) throw new ZipFormatError(`larger than ${maxBytes} bytes`);
  const header = readAt(fd, entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError('corrupt local header');
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = readAt(fd, dataStart, entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ZipFormatError(`compression method ${entry.method} not supported`);
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    throw new ZipFormatError((e as Error).message.includes('maxOutputLength') || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? `larger than ${maxBytes} bytes` : `cannot inflate (${(e as Error).message})`);
  }
}

export function openZip(file: string): { fd: number; close(): void } {
  const fd = openSync(file, 'r');
  return { fd, close: () => closeSync(fd) };
}
