// Keeps the advisory store current from an OSV mirror in osv.dev's bucket layout (DSO_ADVISORIES_URL): per
// ecosystem, `<ecosystem>/modified_id.csv` (one `<modified>,<id>` line per record) and `<ecosystem>/<id>.json` let
// only the records that changed be fetched again; a mirror without that file is read through `<ecosystem>/all.zip`,
// downloaded only when its ETag or Last-Modified changed, and its records compared with the stored ones so that an
// unchanged export rewrites nothing. Level-triggered: each sync compares the source with what is stored, so running
// it twice, after a crash or after a manual import is safe. Each ecosystem succeeds or fails on its own, and its
// status (counts, dates, validators, the last error) is kept beside the store in sync-state.json.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { normalizePackageName as normalisedName } from '../../checks/advisories/affected.ts';
import { downloadIfChanged } from '../../checks/advisories/download.ts';
import { lockStore, parseAdvisoryFile, readAdvisoryRecords } from '../../checks/advisories/import.ts';
import type { OsvRecord } from '../../checks/advisories/osv.ts';
import { advisoriesDir, readEcosystem, readManifest, storeFormat, writeEcosystem, writeManifest, type AdvisoryManifest, type EcosystemRecords } from '../../checks/advisories/store.ts';

/** Above this many changed records, one zip download costs less than fetching them one by one. */
export const maxRecordFetches = 500;
const recordFetchConcurrency = 6;
const maxIndexBytes = 64 * 1024 * 1024;
const maxRecordBytes = 5 * 1024 * 1024;

export interface SyncResult {
  /** `records`: changed records fetched one by one; `zip`: the export was read; `not-modified`: the source said so. */
  via: 'records' | 'zip' | 'not-modified';
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  durationMs: number;
}

export interface EcosystemSyncState {
  /** `<DSO_ADVISORIES_URL>/<ecosystem>`. */
  source: string;
  lastAttemptAt?: string;
  /** Last sync that left the store equal to the source (updated or confirmed unchanged). */
  lastSuccessAt?: string;
  /** Last sync that changed the stored records. */
  lastChangeAt?: string;
  lastResult?: SyncResult;
  /** Validators of the resource last read (the CSV index, or the zip when the mirror has no index). */
  index?: { etag?: string; lastModified?: string };
  zip?: { etag?: string; lastModified?: string };
  /** The last attempt's failure; absent after a success. */
  error?: { at: string; message: string };
}

export interface SyncState {
  format: 1;
  ecosystems: Record<string, EcosystemSyncState>;
}

function stateFile(dataDir: string): string {
  return path.join(advisoriesDir(dataDir), 'sync-state.json');
}

export function readSyncState(dataDir: string): SyncState {
  try {
    const state = JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as SyncState;
    if (state.format === 1 && typeof state.ecosystems === 'object') return state;
  } catch {
    // absent or unreadable: start again from nothing (the next sync compares everything)
  }
  return { format: 1, ecosystems: {} };
}

function writeSyncState(dataDir: string, state: SyncState): void {
  mkdirSync(advisoriesDir(dataDir), { recursive: true });
  const temp = `${stateFile(dataDir)}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, stateFile(dataDir));
}

export interface SyncOptions {
  dataDir: string;
  /** DSO_ADVISORIES_URL, without a trailing slash. */
  baseUrl: string;
  ecosystems: readonly string[];
  now?: () => Date;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Syncs every configured ecosystem, one after the other; returns each one's state. */
export async function syncAdvisories(options: SyncOptions): Promise<SyncState> {
  const now = options.now ?? (() => new Date());
  for (const ecosystem of options.ecosystems) {
    if (options.signal?.aborted) break;
    const state = readSyncState(options.dataDir);
    const previous = state.ecosystems[ecosystem];
    const source = `${options.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}`;
    // Validators of another source mean nothing here: start again from a full comparison.
    const current: EcosystemSyncState = previous?.source === source ? { ...previous } : { source };
    current.lastAttemptAt = now().toISOString();
    try {
      const result = await syncEcosystem(ecosystem, source, current, options, now);
      current.lastResult = result;
      current.lastSuccessAt = now().toISOString();
      if (result.added + result.updated + result.removed > 0) current.lastChangeAt = current.lastSuccessAt;
      delete current.error;
    } catch (error) {
      current.error = { at: now().toISOString(), message: ((error as Error).message || String(error)).slice(0, 500) };
    }
    const latest = readSyncState(options.dataDir);
    latest.ecosystems[ecosystem] = current;
    writeSyncState(options.dataDir, latest);
  }
  return readSyncState(options.dataDir);
}

/** Only the packages of this ecosystem: an export may mention other ecosystems' packages too. */
function byIdOf(records: EcosystemRecords | undefined): Map<string, OsvRecord> {
  const byId = new Map<string, OsvRecord>();
  for (const perName of records?.values() ?? []) for (const [id, record] of perName) byId.set(id, record);
  return byId;
}

async function syncEcosystem(
  ecosystem: string,
  source: string,
  state: EcosystemSyncState,
  options: SyncOptions,
  now: () => Date,
): Promise<SyncResult> {
  const started = performance.now();
  const stored = readStored(options.dataDir, ecosystem);
  const index = await fetchIndex(`${source}/modified_id.csv`, stored.size > 0 ? state.index : undefined, options);
  if (index.kind === 'not-modified')
    return applyChanges(options, ecosystem, source, stored, [], [], now, started, 'not-modified');
  if (index.kind === 'found') {
    const changed = [...index.modified]
      .filter(([id, modified]) => stored.get(id)?.modified !== modified)
      .map(([id]) => id);
    const removed = [...stored.keys()].filter((id) => !index.modified.has(id));
    if (stored.size > 0 && changed.length <= maxRecordFetches) {
      const fetched = await fetchRecords(source, ecosystem, changed, options);
      const result = applyChanges(options, ecosystem, source, stored, fetched, removed, now, started, 'records');
      state.index = index.validators;
      return result;
    }
    // First sync, or too much changed: one download of the export.
    const result = await syncFromZip(ecosystem, source, state, stored, options, now, started, false);
    state.index = index.validators;
    return result;
  }
  return syncFromZip(ecosystem, source, state, stored, options, now, started, stored.size > 0);
}

function readStored(dataDir: string, ecosystem: string): Map<string, OsvRecord> {
  const manifest = readManifest(dataDir);
  if (!manifest?.ecosystems[ecosystem]) return new Map();
  const byId = new Map<string, OsvRecord>();
  for (const perName of readEcosystem(dataDir, ecosystem).values())
    for (const [id, record] of perName) byId.set(id, record);
  return byId;
}

async function syncFromZip(
  ecosystem: string,
  source: string,
  state: EcosystemSyncState,
  stored: Map<string, OsvRecord>,
  options: SyncOptions,
  now: () => Date,
  started: number,
  conditional: boolean,
): Promise<SyncResult> {
  const url = `${source}/all.zip`;
  const download = await downloadIfChanged(url, {
    ...(conditional ? (state.zip ?? {}) : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (download.notModified) return applyChanges(options, ecosystem, source, stored, [], [], now, started, 'not-modified');
  try {
    const { byEcosystem, report } = await readAdvisoryRecords(download.file, url, { dataDir: options.dataDir });
    const fresh = byIdOf(byEcosystem.get(ecosystem));
    if (fresh.size === 0) throw new Error(`${url} holds no ${ecosystem} record${report.problems[0] ? ` (${report.problems[0]})` : ''}`);
    const changed = [...fresh.values()].filter((r) => stored.get(r.id)?.modified !== r.modified || !stored.has(r.id));
    const removed = [...stored.keys()].filter((id) => !fresh.has(id));
    const result = applyChanges(options, ecosystem, source, stored, changed, removed, now, started, 'zip');
    state.zip = {
      ...(download.etag ? { etag: download.etag } : {}),
      ...(download.lastModified ? { lastModified: download.lastModified } : {}),
    };
    return result;
  } finally {
    download.dispose();
  }
}

/** Writes the ecosystem again only when something changed; the manifest records the check either way. */
function applyChanges(
  options: SyncOptions,
  ecosystem: string,
  source: string,
  stored: Map<string, OsvRecord>,
  changed: readonly OsvRecord[],
  removed: readonly string[],
  now: () => Date,
  started: number,
  via: SyncResult['via'],
): SyncResult {
  const added = changed.filter((r) => !stored.has(r.id)).length;
  const result: SyncResult = {
    via,
    added,
    updated: changed.length - added,
    removed: removed.length,
    unchanged: stored.size - (changed.length - added) - removed.length,
    durationMs: 0,
  };
  const release = lockStore(options.dataDir);
  try {
    const at = now().toISOString();
    const manifest: AdvisoryManifest = readManifest(options.dataDir) ?? {
      format: storeFormat,
      updatedAt: at,
      ecosystems: {},
    };
    const entry = manifest.ecosystems[ecosystem];
    const sameSource = entry?.sources.length === 1 && entry.sources[0]!.source === source;
    if (changed.length + removed.length > 0 || !sameSource) {
      for (const id of removed) stored.delete(id);
      for (const record of changed) stored.set(record.id, record);
      const records: EcosystemRecords = new Map();
      for (const record of stored.values()) {
        for (const a of record.affected ?? []) {
          if (!a.package || a.package.ecosystem.split(':')[0] !== ecosystem) continue;
          const key = normalisedName(ecosystem, a.package.name);
          let byId = records.get(key);
          if (!byId) records.set(key, (byId = new Map()));
          byId.set(record.id, record);
        }
      }
      const counts = writeEcosystem(options.dataDir, ecosystem, records);
      manifest.ecosystems[ecosystem] = {
        ...counts,
        sources: [{ source, records: counts.records, importedAt: at }],
        checkedAt: at,
      };
      manifest.updatedAt = at;
    } else {
      manifest.ecosystems[ecosystem] = { ...entry!, checkedAt: at };
    }
    writeManifest(options.dataDir, manifest);
  } finally {
    release();
  }
  result.durationMs = elapsed(started);
  return result;
}

type IndexAnswer = { kind: 'not-modified' } | { kind: 'absent' } | { kind: 'found'; modified: Map<string, string>; validators: { etag?: string; lastModified?: string } };

/** `modified_id.csv`: `<ISO modified>,<id>` lines (the bucket-wide file prefixes ids with `<ecosystem>/`). */
async function fetchIndex(url: string, validators: EcosystemSyncState['index'], options: SyncOptions): Promise<IndexAnswer> {
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  const response = await fetch(url, { headers, redirect: 'follow', signal: signalOf(options) });
  if (response.status === 304) return { kind: 'not-modified' };
  if (response.status === 404 || response.status === 403) {
    await response.body?.cancel();
    return { kind: 'absent' };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`${url} answered HTTP ${response.status}`);
  }
  const text = await boundedText(response, maxIndexBytes, url);
  const modified = new Map<string, string>();
  for (const line of text.split('\n')) {
    const comma = line.indexOf(',');
    if (comma < 0) continue;
    const date = line.slice(0, comma).trim();
    const id = line.slice(comma + 1).trim().split('/').at(-1)!;
    if (date && id && !Number.isNaN(Date.parse(date))) modified.set(id, date);
  }
  const found: IndexAnswer = { kind: 'found', modified, validators: {} };
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) found.validators.etag = etag;
  if (lastModified) found.validators.lastModified = lastModified;
  return found;
}

async function fetchRecords(
  source: string,
  ecosystem: string,
  ids: readonly string[],
  options: SyncOptions,
): Promise<OsvRecord[]> {
  const out: OsvRecord[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const url = `${source}/${encodeURIComponent(id)}.json`;
      const response = await fetch(url, { redirect: 'follow', signal: signalOf(options) });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`${url} answered HTTP ${response.status}`);
      }
      const parsed = parseAdvisoryFile(`${id}.json`, Buffer.from(await boundedText(response, maxRecordBytes, url)));
      const record = byIdOf(parsed.byEcosystem.get(ecosystem)).get(id);
      if (!record)
        throw new Error(
          `${url} is not an OSV record of ${ecosystem}${parsed.problems[0] ? ` (${parsed.problems[0]})` : ''}`,
        );
      out.push(record);
    }
  };
  await Promise.all(Array.from({ length: Math.min(recordFetchConcurrency, ids.length) }, worker));
  return out;
}

async function boundedText(response: Response, max: number, url: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw new Error(`${url} sent more than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function signalOf(options: SyncOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 5 * 60_000);
  return options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** Whether a store exists at all (the status route tells "never synced" from "synced, empty"). */
export function hasStore(dataDir: string): boolean {
  return existsSync(path.join(advisoriesDir(dataDir), 'manifest.json'));
}
