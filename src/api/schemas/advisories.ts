// The advisory database's status, per ecosystem: what the checks match dependencies against, where it comes from,
// how old it is and whether the last sync failed (GET /api/v1/advisories; the admin console's page reads it).
import { z } from 'zod';

const isoOrNull = z.string().nullable();

export const advisoryEcosystemStatus = z.object({
  ecosystem: z.string().describe('OSV ecosystem name (npm, PyPI, Go, Maven…).'),
  origin: z.enum(['imported', 'default', 'none']).describe('imported (sync or `dso advisories import`), the default set shipped with DSO π, or no data at all.'),
  records: z.number().int(),
  packages: z.number().int(),
  newestModified: isoOrNull.describe('Newest `modified` date among the records.'),
  source: z.string().nullable().describe('Where the data comes from: the mirror folder, the imported file or URL, or the default set.'),
  lastSyncAt: isoOrNull.describe('Last time the data was confirmed current with its source (sync) or imported.'),
  lastChangeAt: isoOrNull.describe('Last sync that changed records.'),
  lastAttemptAt: isoOrNull,
  ageDays: z.number().int().nullable().describe('Days since lastSyncAt (for the default set: since its snapshot).'),
  stale: z.boolean().describe('Older than DSO_ADVISORIES_MAX_AGE_DAYS: runs say vulnerabilities were not fully evaluated.'),
  synced: z.boolean().describe('Part of DSO_ADVISORIES_ECOSYSTEMS, synced from DSO_ADVISORIES_URL.'),
  lastResult: z
    .object({ via: z.enum(['records', 'zip', 'not-modified']), added: z.number().int(), updated: z.number().int(), removed: z.number().int(), unchanged: z.number().int(), durationMs: z.number().int() })
    .nullable(),
  error: z.object({ at: z.string(), message: z.string() }).nullable().describe('The last sync attempt failed: why (the previous data stays in use).'),
});

export const advisoryStatus = z.object({
  source: z.string().nullable().describe('DSO_ADVISORIES_URL, or null when the server does not sync.'),
  cron: z.string().nullable(),
  nextSyncAt: isoOrNull,
  syncing: z.boolean(),
  maxAgeDays: z.number().int(),
  ecosystems: z.array(advisoryEcosystemStatus),
});

export type AdvisoryStatus = z.infer<typeof advisoryStatus>;
export type AdvisoryEcosystemStatus = z.infer<typeof advisoryEcosystemStatus>;
