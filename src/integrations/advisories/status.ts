// The status of this process's advisory store, per ecosystem, as the API shows it: the imported or synced data, the
// default set for ecosystems never imported, and the ecosystems configured for sync that have nothing yet. Reads the
// manifest and the sync state only (never the records), so it is cheap enough for every request.
import { defaultDatabase, ecosystemCurrentAsOf, readManifest } from '../../checks/advisories/store.ts';
import { readSyncState } from './osv-mirror-sync.ts';

export interface EcosystemStatus {
  ecosystem: string;
  origin: 'imported' | 'default' | 'none';
  records: number;
  packages: number;
  newestModified: string | null;
  source: string | null;
  lastSyncAt: string | null;
  lastChangeAt: string | null;
  lastAttemptAt: string | null;
  ageDays: number | null;
  stale: boolean;
  synced: boolean;
  lastResult: { via: 'records' | 'zip' | 'not-modified'; added: number; updated: number; removed: number; unchanged: number; durationMs: number } | null;
  error: { at: string; message: string } | null;
}

const dayMs = 86_400_000;

export function advisoryEcosystemStatuses(
  dataDir: string,
  options: { syncedEcosystems: readonly string[]; maxAgeDays: number; now: Date },
): EcosystemStatus[] {
  const manifest = readManifest(dataDir);
  const state = readSyncState(dataDir);
  const fallback = defaultDatabase();
  const names = new Set([
    ...options.syncedEcosystems,
    ...Object.keys(manifest?.ecosystems ?? {}),
    ...Object.keys(fallback.manifest.ecosystems),
  ]);
  const age = (asOf: string | undefined) => {
    const at = asOf ? Date.parse(asOf) : NaN;
    return Number.isNaN(at) ? null : Math.max(0, Math.floor((options.now.getTime() - at) / dayMs));
  };
  return [...names]
    .sort((a, b) => a.localeCompare(b))
    .map((ecosystem): EcosystemStatus => {
      const synced = state.ecosystems[ecosystem];
      const common = {
        ecosystem,
        lastChangeAt: synced?.lastChangeAt ?? null,
        lastAttemptAt: synced?.lastAttemptAt ?? null,
        synced: options.syncedEcosystems.includes(ecosystem),
        lastResult: synced?.lastResult ?? null,
        error: synced?.error ?? null,
      };
      const imported = manifest?.ecosystems[ecosystem];
      if (imported) {
        const asOf = ecosystemCurrentAsOf(imported);
        const ageDays = age(asOf);
        return {
          ...common,
          origin: 'imported',
          records: imported.records,
          packages: imported.packages,
          newestModified: imported.newestModified ?? null,
          source: imported.sources.at(-1)?.source ?? null,
          lastSyncAt: asOf ?? null,
          ageDays,
          stale: ageDays !== null && ageDays > options.maxAgeDays,
        };
      }
      const shipped = fallback.manifest.ecosystems[ecosystem];
      if (shipped) {
        const ageDays = age(fallback.currentAsOf(ecosystem));
        return {
          ...common,
          origin: 'default',
          records: shipped.records,
          packages: shipped.packages,
          newestModified: shipped.newestModified ?? null,
          source: shipped.sources[0]?.source ?? null,
          lastSyncAt: null,
          ageDays,
          stale: ageDays === null || ageDays > options.maxAgeDays,
        };
      }
      return {
        ...common,
        origin: 'none',
        records: 0,
        packages: 0,
        newestModified: null,
        source: null,
        lastSyncAt: null,
        ageDays: null,
        stale: true,
      };
    });
}
