// The advisory database on disk, shared by `dso check` and the server.
//
// Layout under <dataDir>/advisories/:
//   manifest.json                  what was imported, when, from where, how many records
//   <ecosystem>/records.jsonl      one OSV record per line, lines grouped by package name
//   <ecosystem>/index.json         { "<normalised package name>": [byteOffset, byteLength] }
//
// A lookup reads the ecosystem's index once, then only the bytes of the packages asked for, so
// the cost of a `dso check` grows with the project's dependencies, not with the database size.
// When nothing was imported, the small default set shipped with the product is used.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { normalizePackageName } from './affected.ts';
import type { OsvRecord } from './osv.ts';

export const storeFormat = 1;

export interface ImportedSource {
  source: string;
  records: number;
  importedAt: string;
}

export interface EcosystemManifest {
  records: number;
  packages: number;
  sources: ImportedSource[];
  /** Newest `modified` date among the records. */
  newestModified?: string;
  /** When a sync last confirmed this data current with its source (unchanged or updated). */
  checkedAt?: string;
}

export interface AdvisoryManifest {
  format: number;
  updatedAt: string;
  ecosystems: Record<string, EcosystemManifest>;
}

export interface AdvisoryDatabase {
  /** Where the records come from: the imported store or the shipped default set. */
  origin: 'imported' | 'default';
  manifest: AdvisoryManifest;
  /** OSV records that mention this package (the caller decides which versions are affected). */
  lookup(ecosystem: string, name: string): OsvRecord[];
  /** Whether any advisory of this ecosystem is known (else its components are not evaluated). */
  covers(ecosystem: string): boolean;
  /**
   * When this ecosystem's data was last known current: the last sync or import, or for the shipped set its snapshot
   * date (newest record). Undefined when unknown (in-memory sets of tests): its age is then not judged.
   */
  currentAsOf(ecosystem: string): string | undefined;
  close(): void;
}

export function advisoriesDir(dataDir: string): string {
  return path.join(dataDir, 'advisories');
}

function ecosystemDirName(ecosystem: string): string {
  return encodeURIComponent(ecosystem).replace(/\./g, '%2E');
}

export const defaultSetDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'default');

/** Names under which a record is filed: every package of its `affected` list in that ecosystem. */
export function recordKeys(record: OsvRecord): { ecosystem: string; name: string }[] {
  const keys = new Map<string, { ecosystem: string; name: string }>();
  for (const a of record.affected ?? []) {
    if (!a.package) continue;
    const ecosystem = a.package.ecosystem.split(':')[0]!;
    const name = normalizePackageName(ecosystem, a.package.name);
    keys.set(`${ecosystem}\0${name}`, { ecosystem, name });
  }
  return [...keys.values()];
}

/** package name → record id → record; one per ecosystem. */
export type EcosystemRecords = Map<string, Map<string, OsvRecord>>;

export function readManifest(dataDir: string): AdvisoryManifest | undefined {
  const file = path.join(advisoriesDir(dataDir), 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as AdvisoryManifest;
    return m.format === storeFormat && typeof m.ecosystems === 'object' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Every record stored for an ecosystem (used to merge a new import into existing data). */
export function readEcosystem(dataDir: string, ecosystem: string): EcosystemRecords {
  const out: EcosystemRecords = new Map();
  const file = path.join(advisoriesDir(dataDir), ecosystemDirName(ecosystem), 'records.jsonl');
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const { name, record } = JSON.parse(line) as { name: string; record: OsvRecord };
    let byId = out.get(name);
    if (!byId) out.set(name, (byId = new Map()));
    byId.set(record.id, record);
  }
  return out;
}

/**
 * Replaces the stored records of one ecosystem atomically (write aside, then rename), so a
 * concurrent `dso check` sees either the old or the new data, never half of it.
 */
export function writeEcosystem(
  dataDir: string,
  ecosystem: string,
  records: EcosystemRecords,
): { records: number; packages: number; newestModified?: string } {
  const root = advisoriesDir(dataDir);
  mkdirSync(root, { recursive: true });
  const final = path.join(root, ecosystemDirName(ecosystem));
  const temp = `${final}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  const fd = openSync(path.join(temp, 'records.jsonl'), 'w');
  const index: Record<string, [number, number]> = {};
  const ids = new Set<string>();
  let newestModified = '';
  let offset = 0;
  try {
    for (const name of [...records.keys()].sort()) {
      const chunk = Buffer.from(
        [...records.get(name)!.values()]
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((record) => {
            ids.add(record.id);
            if (record.modified && record.modified > newestModified) newestModified = record.modified;
            return `${JSON.stringify({ name, record })}\n`;
          })
          .join(''),
      );
      writeFileSync(fd, chunk);
      index[name] = [offset, chunk.length];
      offset += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(path.join(temp, 'index.json'), JSON.stringify(index));
  const old = `${final}.old-${process.pid}`;
  if (existsSync(final)) renameSync(final, old);
  renameSync(temp, final);
  rmSync(old, { recursive: true, force: true });
  return { records: ids.size, packages: records.size, ...(newestModified ? { newestModified } : {}) };
}

export function writeManifest(dataDir: string, manifest: AdvisoryManifest): void {
  const root = advisoriesDir(dataDir);
  mkdirSync(root, { recursive: true });
  const temp = path.join(root, `manifest.json.tmp-${process.pid}`);
  writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temp, path.join(root, 'manifest.json'));
}

class StoredDatabase implements AdvisoryDatabase {
  readonly origin = 'imported' as const;
  private readonly open = new Map<string, { fd: number; index: Record<string, [number, number]> } | null>();
  constructor(
    private readonly dataDir: string,
    readonly manifest: AdvisoryManifest,
    /** Used for ecosystems that were never imported (importing PyPI alone must not drop npm). */
    private readonly fallback: () => AdvisoryDatabase,
  ) {}

  private ecosystem(ecosystem: string) {
    if (this.open.has(ecosystem)) return this.open.get(ecosystem)!;
    const dir = path.join(advisoriesDir(this.dataDir), ecosystemDirName(ecosystem));
    let entry: { fd: number; index: Record<string, [number, number]> } | null = null;
    try {
      const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as Record<string, [number, number]>;
      entry = { fd: openSync(path.join(dir, 'records.jsonl'), 'r'), index };
    } catch {
      entry = null;
    }
    this.open.set(ecosystem, entry);
    return entry;
  }

  lookup(ecosystem: string, name: string): OsvRecord[] {
    if (!Object.hasOwn(this.manifest.ecosystems, ecosystem)) return this.fallback().lookup(ecosystem, name);
    const eco = this.ecosystem(ecosystem);
    if (!eco) return [];
    const key = normalizePackageName(ecosystem, name);
    const slot = Object.hasOwn(eco.index, key) ? eco.index[key] : undefined;
    if (!slot) return [];
    const buf = Buffer.alloc(slot[1]);
    readSync(eco.fd, buf, 0, slot[1], slot[0]);
    return buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => (JSON.parse(l) as { record: OsvRecord }).record);
  }

  covers(ecosystem: string): boolean {
    return Object.hasOwn(this.manifest.ecosystems, ecosystem)
      ? this.manifest.ecosystems[ecosystem]!.records > 0
      : this.fallback().covers(ecosystem);
  }

  currentAsOf(ecosystem: string): string | undefined {
    if (!Object.hasOwn(this.manifest.ecosystems, ecosystem)) return this.fallback().currentAsOf(ecosystem);
    return ecosystemCurrentAsOf(this.manifest.ecosystems[ecosystem]!);
  }

  close(): void {
    for (const e of this.open.values()) if (e) closeSync(e.fd);
    this.open.clear();
  }
}

/** The latest of the last sync check and the imports: how current the stored data is known to be. */
export function ecosystemCurrentAsOf(entry: EcosystemManifest): string | undefined {
  const dates = [entry.checkedAt, ...entry.sources.map((s) => s.importedAt)].filter((d): d is string => !!d);
  return dates.length ? dates.sort().at(-1) : undefined;
}

class MemoryDatabase implements AdvisoryDatabase {
  readonly origin = 'default' as const;
  private readonly byKey = new Map<string, OsvRecord[]>();
  readonly manifest: AdvisoryManifest;
  constructor(
    records: readonly OsvRecord[],
    source: string,
    private readonly datedBySnapshot = false,
    snapshots: Readonly<Record<string, string>> = {},
  ) {
    const ecosystems: AdvisoryManifest['ecosystems'] = {};
    for (const record of records) {
      for (const { ecosystem, name } of recordKeys(record)) {
        const key = `${ecosystem}\0${name}`;
        const list = this.byKey.get(key) ?? [];
        list.push(record);
        this.byKey.set(key, list);
        ecosystems[ecosystem] ??= { records: 0, packages: 0, sources: [{ source, records: 0, importedAt: '' }] };
      }
    }
    for (const [eco, info] of Object.entries(ecosystems)) {
      info.records = records.filter((r) => recordKeys(r).some((k) => k.ecosystem === eco)).length;
      info.packages = [...this.byKey.keys()].filter((k) => k.startsWith(`${eco}\0`)).length;
      info.sources[0]!.records = info.records;
      const newest = records
        .filter((r) => recordKeys(r).some((k) => k.ecosystem === eco))
        .reduce((max, r) => (r.modified && r.modified > max ? r.modified : max), '');
      // Records without dates (the Go database's repository copy) are as current as the snapshot they were taken in.
      const snapshot = snapshots[eco] ?? '';
      if (newest || snapshot) info.newestModified = newest > snapshot ? newest : snapshot;
    }
    this.manifest = { format: storeFormat, updatedAt: '', ecosystems };
  }
  lookup(ecosystem: string, name: string): OsvRecord[] {
    return this.byKey.get(`${ecosystem}\0${normalizePackageName(ecosystem, name)}`) ?? [];
  }
  covers(ecosystem: string): boolean {
    return (this.manifest.ecosystems[ecosystem]?.records ?? 0) > 0;
  }
  currentAsOf(ecosystem: string): string | undefined {
    // A snapshot is as current as its newest record.
    return this.datedBySnapshot ? this.manifest.ecosystems[ecosystem]?.newestModified : undefined;
  }
  close(): void {}
}

/** An in-memory database over the given records (tests, and the shipped default set). */
export function databaseOf(records: readonly OsvRecord[], source = 'in-memory', datedBySnapshot = false): AdvisoryDatabase {
  return new MemoryDatabase(records, source, datedBySnapshot);
}

/** Opens the imported database of `dataDir`, or the shipped default set when nothing was imported. */
let defaultSet: AdvisoryDatabase | undefined;

/** The advisory set shipped with the product (read once per process). */
export function defaultDatabase(): AdvisoryDatabase {
  defaultSet ??= new MemoryDatabase(
    JSON.parse(gunzipSync(readFileSync(path.join(defaultSetDir, 'records.json.gz'))).toString('utf8')) as OsvRecord[],
    'default set shipped with DSO π (see src/checks/advisories/default/README.md)',
    true,
    JSON.parse(readFileSync(path.join(defaultSetDir, 'snapshots.json'), 'utf8')) as Record<string, string>,
  );
  return defaultSet;
}

/**
 * Opens the imported database of `dataDir`; ecosystems never imported (or everything, when
 * nothing was imported) use the small default set shipped with the product. Cheap: open one per
 * check run (the manifest is read now, each ecosystem's index on its first lookup).
 */
export async function openAdvisoryDatabase(dataDir: string): Promise<AdvisoryDatabase> {
  const manifest = readManifest(dataDir);
  if (manifest && Object.keys(manifest.ecosystems).length > 0)
    return new StoredDatabase(dataDir, manifest, defaultDatabase);
  return defaultDatabase();
}
