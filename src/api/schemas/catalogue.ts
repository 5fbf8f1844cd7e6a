// The component catalogue as the API shows and accepts it (issue 17): items (charts and managed services), their
// versions with the verdict and findings of their checks, sources, publication with an exception, operator installs.
import { z } from 'zod';

export const catalogueVerdict = z.enum(['pass', 'fail', 'unevaluated']);

export const catalogueFinding = z.looseObject({
  ruleId: z.string(),
  severity: z.string(),
  blocking: z.boolean().optional(),
  message: z.string(),
  text: z.object({ fr: z.string(), en: z.string() }).optional(),
  location: z.looseObject({ file: z.string(), line: z.number().optional() }).optional(),
  requirements: z.array(z.string()).optional(),
  fingerprint: z.string().optional(),
});

export const catalogueException = z.object({
  decidedBy: z.string(),
  decidedAt: z.string(),
  justification: z.string(),
  expiresAt: z.string(),
  /** False once past its end: the version stays published, the exception is shown as expired. */
  inForce: z.boolean(),
});

export const catalogueVersion = z.object({
  id: z.uuid(),
  version: z.string(),
  appVersion: z.string().nullable(),
  digest: z.string().describe('sha256 of the packaged chart, as the Helm repository serves it'),
  verdict: catalogueVerdict,
  blockingFindings: z.number().int(),
  findings: z.array(catalogueFinding),
  images: z.array(z.string()),
  checkedAt: z.string(),
  published: z.boolean(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  exception: catalogueException.nullable(),
  dataBearing: z.boolean(),
  covers: z.array(z.string()),
  customResourceKinds: z.array(z.string()).nullable(),
});

export const catalogueVersionDetail = catalogueVersion.extend({
  readme: z.string().describe('Markdown, as written by the chart; the console renders it without HTML'),
  defaultValues: z.string(),
  valuesSchema: z.record(z.string(), z.unknown()).nullable(),
});

export const catalogueInstall = z.object({ clusterId: z.uuid(), cluster: z.string(), operatorVersion: z.string() });

export const catalogueItem = z.object({
  id: z.uuid(),
  slug: z.string(),
  kind: z.enum(['chart', 'operator']),
  title: z
    .string()
    .describe("The chart's own title (annotation dso.pi/title, else its name), as the chart gives it: usually English"),
  titleFr: z.string().nullable().describe('The title in French when the chart gives one (annotation dso.pi/title-fr)'),
  description: z.string().describe("The chart's own description (Chart.yaml), as the chart gives it: usually English"),
  descriptionFr: z.string().nullable().describe('The description in French when the chart gives one (annotation dso.pi/description-fr)'),
  sourceId: z.uuid().nullable(),
  /** The newest version teams may use (published), if any. */
  latestPublished: z.string().nullable(),
  versions: z.array(catalogueVersion),
  installs: z.array(catalogueInstall),
});

export const catalogueItemDetail = catalogueItem.extend({ versions: z.array(catalogueVersionDetail) });

export const catalogueList = z.object({ items: z.array(catalogueItem), chartRepositoryUrl: z.string() });

export const catalogueListQuery = z.strictObject({
  all: z.enum(['true', 'false']).optional().describe('Administrators: include versions not published (default true for them)'),
});

export const catalogueItemParams = z.strictObject({ itemId: z.string().min(1).max(100) });
export const catalogueVersionParams = z.strictObject({ itemId: z.string().min(1).max(100), version: z.string().min(1).max(64) });

export const catalogueImportResult = z.object({ item: catalogueItem, version: z.string(), created: z.boolean() });

export const publishRequest = z.strictObject({
  exception: z
    .strictObject({
      justification: z.string().max(2000),
      expiresAt: z.iso.datetime({ offset: true }).describe('End of the exception (ISO 8601 with offset)'),
    })
    .optional()
    .describe('Required when the version has blocking findings or could not be evaluated'),
});

export const catalogueSourceCreate = z.strictObject({
  kind: z.enum(['helm-repository', 'oci']),
  url: z.string().min(1).max(2000).describe('https://… for a Helm repository (index.yaml below it), oci://host/path/chart for an OCI registry'),
  charts: z.array(z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)).max(200).optional().describe('Helm repository: only these charts (default: all)'),
  schedule: z.string().regex(/^\d{1,4}(m|h|d)$/).optional().describe('Interval between pulls, e.g. 30m, 6h, 1d (default 6h)'),
});

export const catalogueSource = z.object({
  id: z.uuid(),
  kind: z.enum(['helm-repository', 'oci']),
  url: z.string(),
  charts: z.array(z.string()).nullable(),
  schedule: z.string().nullable(),
  createdAt: z.string(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export const catalogueSourceList = z.object({ items: z.array(catalogueSource) });

export const catalogueSyncResult = z.object({
  imported: z.array(z.object({ slug: z.string(), version: z.string(), verdict: catalogueVerdict })),
  skipped: z.number().int().describe('Versions already in the catalogue'),
  errors: z.array(z.object({ chart: z.string(), version: z.string(), message: z.string() })),
});

export const operatorInstallsUpdate = z.strictObject({
  installs: z.array(z.strictObject({ clusterId: z.uuid(), operatorVersion: z.string().min(1).max(64) })).max(500),
});

export const catalogueAdvisoryHit = z.object({
  itemId: z.uuid(),
  slug: z.string(),
  version: z.string(),
  image: z.string(),
  advisories: z.array(z.object({ id: z.string(), summary: z.string(), severity: z.string().nullable(), aliases: z.array(z.string()) })),
});
export const catalogueAdvisories = z.object({ hits: z.array(catalogueAdvisoryHit) });
