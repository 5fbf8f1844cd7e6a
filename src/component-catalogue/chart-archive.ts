// Reading a packaged chart (.tgz) that came from outside: an administrator's upload, a Helm repository, an OCI
// registry. Nothing in it is trusted, so it is read in memory under fixed limits (compressed and expanded size,
// entry count, path depth) before any byte reaches the disk: a gzip or tar bomb, an absolute or `..` path, a link or
// a device entry is refused with a reason, never half-extracted.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const archiveLimits = {
  /** The packaged chart as uploaded or downloaded. */
  maxCompressedBytes: 10 * 1024 * 1024,
  /** Everything it expands to. */
  maxExpandedBytes: 64 * 1024 * 1024,
  maxEntries: 5_000,
  maxFileBytes: 8 * 1024 * 1024,
  maxPathLength: 512,
  maxDepth: 24,
} as const;

export type ArchiveProblemCode = 'too-large' | 'not-gzip' | 'expands-too-much' | 'not-tar' | 'unsafe-path' | 'unsupported-entry' | 'too-many-entries' | 'no-chart';

export class ChartArchiveError extends Error {
  constructor(readonly code: ArchiveProblemCode, message: string) {
    super(message);
  }
}

export interface ArchiveEntry {
  /** Path inside the archive, POSIX, without the chart's top folder. */
  path: string;
  content: Buffer;
}

export interface ChartArchive {
  /** The chart's top folder in the archive (helm names it after the chart). */
  top: string;
  files: ArchiveEntry[];
  /** `sha256:…` of the archive bytes, as Helm repositories and ArgoCD see them. */
  digest: string;
}

export const digestOf = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const readString = (block: Buffer, start: number, length: number): string => {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8');
};
const readOctal = (block: Buffer, start: number, length: number): number => {
  const text = readString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ChartArchiveError('not-tar', 'the archive is not a valid tar file (size field)');
  return parseInt(text, 8);
};

/** A path is kept only when relative, without `..`, bounded; returns it normalised. */
function safePath(raw: string): string {
  const name = raw.replace(/\\/g, '/');
  if (name.length > archiveLimits.maxPathLength) throw new ChartArchiveError('unsafe-path', `the archive holds a path longer than ${archiveLimits.maxPathLength} characters`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new ChartArchiveError('unsafe-path', `the archive holds an absolute path (${name.slice(0, 100)})`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new ChartArchiveError('unsafe-path', `the archive holds a path leaving its folder (${name.slice(0, 100)})`);
  if (parts.length > archiveLimits.maxDepth) throw new ChartArchiveError('unsafe-path', 'the archive nests folders too deeply');
  if (parts.some((p) => /[\0]/.test(p))) throw new ChartArchiveError('unsafe-path', 'the archive holds a path with a NUL character');
  return parts.join('/');
}

/** Reads a chart .tgz in memory; throws ChartArchiveError with a reason a user can act on. */
export function readChartArchive(bytes: Buffer): ChartArchive {
  if (bytes.length > archiveLimits.maxCompressedBytes) throw new ChartArchiveError('too-large', `the archive is larger than ${archiveLimits.maxCompressedBytes / 1024 / 1024} MiB`);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new ChartArchiveError('not-gzip', 'the file is not a gzip-compressed archive (.tgz)');
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: archiveLimits.maxExpandedBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength|too large/i.test(String((error as Error).message))) {
      throw new ChartArchiveError('expands-too-much', `the archive expands to more than ${archiveLimits.maxExpandedBytes / 1024 / 1024} MiB`);
    }
    throw new ChartArchiveError('not-gzip', 'the archive could not be decompressed (corrupt gzip data)');
  }
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let count = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    if (++count > archiveLimits.maxEntries) throw new ChartArchiveError('too-many-entries', `the archive holds more than ${archiveLimits.maxEntries} entries`);
    // Checksum: sum of the header with the checksum field read as spaces.
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (readOctal(header, 148, 8) !== sum) throw new ChartArchiveError('not-tar', 'the archive is not a valid tar file (checksum)');
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + 512;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new ChartArchiveError('not-tar', 'the archive is truncated');
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / 512) * 512;
    const prefix = readString(header, 345, 155);
    const plainName = prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100);
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      paxPath = match?.[1];
      continue;
    }
    if (type === 'g') continue;
    const name = safePath(paxPath ?? longName ?? plainName);
    longName = undefined;
    paxPath = undefined;
    if (type === '5') continue;
    if (type !== '0' && type !== '\0' && type !== '7') {
      throw new ChartArchiveError('unsupported-entry', `the archive holds a link or special file (${name.slice(0, 100)}); charts hold plain files only`);
    }
    if (size > archiveLimits.maxFileBytes) throw new ChartArchiveError('too-large', `${name.slice(0, 100)} is larger than ${archiveLimits.maxFileBytes / 1024 / 1024} MiB`);
    if (name !== '') entries.push({ path: name, content: Buffer.from(data) });
  }
  const tops = new Set(entries.map((e) => e.path.split('/')[0]!));
  const top = [...tops].find((t) => entries.some((e) => e.path === `${t}/Chart.yaml`));
  if (top === undefined || tops.size !== 1) throw new ChartArchiveError('no-chart', 'the archive holds no chart: a single top folder with a Chart.yaml is expected');
  const files = entries.map((e) => ({ path: e.path.slice(top.length + 1), content: e.content })).filter((e) => e.path !== '');
  return { top, files, digest: digestOf(bytes) };
}

/** Writes the archive's files under `dir` (paths were checked when read). */
export async function extractChart(archive: ChartArchive, dir: string): Promise<void> {
  for (const file of archive.files) {
    const target = path.join(dir, file.path);
    if (!target.startsWith(dir + path.sep)) throw new ChartArchiveError('unsafe-path', `unsafe path ${file.path.slice(0, 100)}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content, { mode: 0o644 });
  }
}

export const fileOf = (archive: ChartArchive, name: string): string | undefined => archive.files.find((f) => f.path === name)?.content.toString('utf8');
