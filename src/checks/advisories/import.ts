// `dso advisories import`: reads OSV records (JSON or YAML) from a folder (recursively) or a zip
// archive such as osv.dev's per-ecosystem export, converts Node.js Security WG advisories to OSV,
// and stores them as the shared advisory database (see store.ts). Each ecosystem found in the
// input replaces the stored one (exports are full snapshots) unless `merge` is set.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { downloadExport, isHttpSource } from './download.ts';
import { isNpmWgAdvisory, npmWgToOsv } from './npm-security-wg.ts';
import { validateOsv, type OsvRecord } from './osv.ts';
import { openZip, readZipEntry, zipEntries, ZipFormatError } from './zip-reader.ts';
import { advisoriesDir, readEcosystem, readManifest, recordKeys, storeFormat, writeEcosystem, writeManifest, type AdvisoryManifest, type EcosystemRecords } from './store.ts';

/** One advisory file is small; anything larger is not a record (and could be a zip bomb). */
export const maxRecordBytes = 5 * 1024 * 1024;
const maxFiles = 2_000_000;
const maxProblemsKept = 20;

export interface ImportReport {
  source: string;
  filesRead: number;
  recordsImported: number;
  converted: number;
  skipped: number;
  /** First problems met, each with the file it concerns. */
  problems: string[];
  ecosystems: Record<string, { records: number; packages: number }>;
  durationMs: number;
}

interface Collector {
  onProgress?: (filesRead: number) => void;
  byEcosystem: Map<string, EcosystemRecords>;
  report: ImportReport;
  /** Distinct record ids, since the same record may be met twice (an index file and its parts). */
  ids: Set<string>;
  convertedIds: Set<string>;
}

function problem(c: Collector, message: string): void {
  c.report.skipped++;
  if (c.report.problems.length < maxProblemsKept) c.report.problems.push(message);
}

function newer(a: OsvRecord, b: OsvRecord): boolean {
  return (a.modified ?? '') >= (b.modified ?? '');
}

function addRecord(c: Collector, record: OsvRecord): void {
  const keys = recordKeys(record);
  if (keys.length === 0) return;
  c.ids.add(record.id);
  for (const { ecosystem, name } of keys) {
    let eco = c.byEcosystem.get(ecosystem);
    if (!eco) c.byEcosystem.set(ecosystem, (eco = new Map()));
    let byId = eco.get(name);
    if (!byId) eco.set(name, (byId = new Map()));
    const existing = byId.get(record.id);
    if (!existing || newer(record, existing)) byId.set(record.id, record);
  }
}

function parseText(name: string, text: string): unknown {
  if (/\.ya?ml$/i.test(name)) {
    // js-yaml: about ten times faster than `yaml` on advisory exports. The failsafe schema keeps
    // every scalar a string (OSV version 1.10 stays "1.10"). Aliases are not expanded into copies;
    // validateOsv bounds how much of a record it walks, so alias bombs cost nothing.
    return jsYaml.load(text, { schema: jsYaml.FAILSAFE_SCHEMA, json: true });
  }
  return JSON.parse(text);
}

// The Node.js Security WG repository also has an index.json: an object of id → advisory.
function recordsIn(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'object' && raw !== null && !('id' in raw)) {
    const values = Object.values(raw);
    if (values.length > 0 && values.every(isNpmWgAdvisory)) return values;
  }
  return [raw];
}

/** Parses one file's content; it may hold one record, a list of records, or an npm WG advisory. */
function addFile(c: Collector, name: string, bytes: Uint8Array): void {
  c.report.filesRead++;
  if (c.onProgress && c.report.filesRead % 5000 === 0) c.onProgress(c.report.filesRead);
  if (bytes.byteLength > maxRecordBytes) return problem(c, `${name}: larger than ${maxRecordBytes} bytes, skipped`);
  let raw: unknown;
  try {
    raw = parseText(name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    return problem(c, `${name}: not valid ${/\.ya?ml$/i.test(name) ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`);
  }
  for (const item of recordsIn(raw)) {
    if (isNpmWgAdvisory(item)) {
      const converted = npmWgToOsv(item);
      if (typeof converted === 'string') problem(c, `${name}: ${converted}`);
      else {
        c.convertedIds.add(converted.id);
        addRecord(c, converted);
      }
      continue;
    }
    const record = validateOsv(item);
    if (typeof record === 'string') problem(c, `${name}: not an OSV record (${record})`);
    else addRecord(c, record);
  }
}

const recordFile = /\.(json|ya?ml)$/i;
// Files that sit next to records in exports and repositories but are not advisories.
const ignoredNames = /^(package(-lock)?\.json|tsconfig\.json|\..*|.*\.schema\.json)$/i;

async function readZip(c: Collector, file: string): Promise<void> {
  const zip = openZip(file);
  try {
    let entries;
    try {
      entries = zipEntries(zip.fd);
      for (const entry of entries) {
        if (c.report.filesRead >= maxFiles) return;
        if (entry.name.endsWith('/') || !recordFile.test(entry.name) || ignoredNames.test(path.posix.basename(entry.name))) continue;
        let bytes: Buffer;
        try {
          bytes = readZipEntry(zip.fd, entry, maxRecordBytes);
        } catch (e) {
          if (!(e instanceof ZipFormatError)) throw e;
          c.report.filesRead++;
          problem(c, `${entry.name}: ${e.message}, skipped`);
          continue;
        }
        addFile(c, entry.name, bytes);
      }
    } catch (e) {
      if (e instanceof ZipFormatError) throw new Error(`${file}: not a readable zip archive (${e.message})`);
      throw e;
    }
  } finally {
    zip.close();
  }
}

async function readFolder(c: Collector, dir: string, root: string, store: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (c.report.filesRead >= maxFiles) return;
    const full = path.join(dir, entry.name);
    // Symbolic links are not followed: an import reads only what is inside the given folder.
    if (entry.isDirectory()) {
      // The store itself may sit inside the folder being imported (`import .` with ./data).
      if (entry.name !== '.git' && entry.name !== 'node_modules' && path.resolve(full) !== store) await readFolder(c, full, root, store);
    } else if (entry.isFile()) {
      if (/\.zip$/i.test(entry.name)) await readZip(c, full);
      else if (recordFile.test(entry.name) && !ignoredNames.test(entry.name)) {
        const { size } = await lstat(full);
        if (size > maxRecordBytes) problem(c, `${path.relative(root, full)}: larger than ${maxRecordBytes} bytes, skipped`);
        else addFile(c, path.relative(root, full), await readFile(full));
      }
    }
  }
}

export interface ImportOptions {
  dataDir: string;
  /** Called every few thousand files, for progress on long imports. */
  onProgress?: (filesRead: number) => void;
  /** Keep the records already stored for the imported ecosystems (default: replace them). */
  merge?: boolean;
  now?: Date;
}

/** Reads `source` (folder or zip) and stores its records. Throws only for an unreadable source. */
export async function importAdvisories(source: string, options: ImportOptions): Promise<ImportReport> {
  // An http(s) URL (osv.dev's bucket, an internal mirror): downloaded, then imported as a zip under its URL.
  if (isHttpSource(source)) {
    const { file, dispose } = await downloadExport(source);
    try {
      const report = await importFrom(file, source, options);
      return report;
    } finally {
      dispose();
    }
  }
  return importFrom(source, source, options);
}

/** The records of a folder or a zip, by ecosystem, without storing them (the server's sync compares them first). */
export async function readAdvisoryRecords(source: string, label: string, options: Pick<ImportOptions, 'dataDir' | 'onProgress'>): Promise<{ byEcosystem: Map<string, EcosystemRecords>; report: ImportReport }> {
  const report: ImportReport = {
    source: label,
    filesRead: 0,
    recordsImported: 0,
    converted: 0,
    skipped: 0,
    problems: [],
    ecosystems: {},
    durationMs: 0,
  };
  const c: Collector = { byEcosystem: new Map(), report, ids: new Set(), convertedIds: new Set() };
  if (options.onProgress) c.onProgress = options.onProgress;
  const info = await lstat(source);
  if (info.isDirectory()) await readFolder(c, source, source, path.resolve(advisoriesDir(options.dataDir)));
  else if (info.isFile()) await readZip(c, source);
  else throw new Error(`${source}: not a folder or a zip file`);
  report.recordsImported = c.ids.size;
  report.converted = c.convertedIds.size;
  return { byEcosystem: c.byEcosystem, report };
}

/** The OSV records in one file's bytes (JSON or YAML by its name), or why none could be read. */
export function parseAdvisoryFile(
  name: string,
  bytes: Uint8Array,
): { byEcosystem: Map<string, EcosystemRecords>; problems: string[] } {
  const report: ImportReport = {
    source: name,
    filesRead: 0,
    recordsImported: 0,
    converted: 0,
    skipped: 0,
    problems: [],
    ecosystems: {},
    durationMs: 0,
  };
  const c: Collector = { byEcosystem: new Map(), report, ids: new Set(), convertedIds: new Set() };
  addFile(c, name, bytes);
  return { byEcosystem: c.byEcosystem, problems: report.problems };
}

async function importFrom(source: string, label: string, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const { byEcosystem, report } = await readAdvisoryRecords(source, label, options);
  const c = { byEcosystem, report };

  if (c.byEcosystem.size === 0) {
    report.durationMs = Math.round(performance.now() - started);
    return report;
  }
  const release = lockStore(options.dataDir);
  try {
    writeImported(c, label, options);
  } finally {
    release();
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

/**
 * One import at a time per data folder: two writers renaming the same ecosystem folder would
 * fail half-way. A lock left by a process that died is taken over.
 */
export function lockStore(dataDir: string): () => void {
  const dir = advisoriesDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, '.import.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8'));
      let alive = false;
      try {
        alive = Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new Error(`another import (process ${pid}) is writing ${dir}; try again when it has finished`);
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`cannot lock ${dir}`);
}

function writeImported(c: Pick<Collector, 'byEcosystem' | 'report'>, source: string, options: ImportOptions): void {
  const report = c.report;
  const now = (options.now ?? new Date()).toISOString();
  const manifest: AdvisoryManifest = readManifest(options.dataDir) ?? {
    format: storeFormat,
    updatedAt: now,
    ecosystems: {},
  };
  for (const [ecosystem, records] of [...c.byEcosystem.entries()].sort()) {
    let fresh = records;
    if (options.merge) {
      fresh = readEcosystem(options.dataDir, ecosystem);
      for (const [name, byId] of records) {
        const existing = fresh.get(name) ?? new Map<string, OsvRecord>();
        for (const [id, r] of byId) existing.set(id, r);
        fresh.set(name, existing);
      }
    }
    const counts = writeEcosystem(options.dataDir, ecosystem, fresh);
    const imported = new Set<string>();
    for (const byId of records.values()) for (const id of byId.keys()) imported.add(id);
    const entry: ImportedSource = {
      source: isHttpSource(source) ? source : path.resolve(source),
      records: imported.size,
      importedAt: now,
    };
    const previous = options.merge ? (manifest.ecosystems[ecosystem]?.sources ?? []) : [];
    manifest.ecosystems[ecosystem] = { ...counts, sources: [...previous, entry] };
    report.ecosystems[ecosystem] = { records: counts.records, packages: counts.packages };
  }
  manifest.updatedAt = now;
  if (c.byEcosystem.size > 0) writeManifest(options.dataDir, manifest);
}

type ImportedSource = AdvisoryManifest['ecosystems'][string]['sources'][number];
