// Schemas of /api/v1/projects/{projectId}/environments/{environmentId}/services: the catalogue components a team runs
// in an environment, their checks with the team's values, their GitOps and ArgoCD status, upgrade proposals and the
// advisories that hit their images.
import { z } from 'zod';
import { condition, id, iso, isoRequired, slug, timestamp } from './common.ts';

export const serviceParams = z.strictObject({ projectId: id, environmentId: id, serviceId: id });

/** Values are a JSON object (Helm values); bounded in size by the body limit, in depth by the schema check. */
const values = z.record(z.string(), z.unknown());

export const serviceCreate = z.strictObject({
  item: z.string().min(1).max(100).describe('Catalogue item: slug or id'),
  version: z.string().min(1).max(64).describe('A published version of the item (exact)'),
  name: slug.describe('Service name, unique in the environment (Helm release name)'),
  values: values.optional(),
});

export const serviceUpdate = z.strictObject({
  values: values.optional(),
  version: z.string().min(1).max(64).optional().describe('Another published version (upgrade or downgrade)'),
});

export const serviceUpgrade = z.strictObject({ version: z.string().min(1).max(64).optional().describe('Default: the newest published version') }).optional();

export const serviceListQuery = z.strictObject({ includeRemoved: z.enum(['true', 'false']).optional() });
export const serviceDeleteQuery = z.strictObject({ confirm: z.enum(['true', 'false']).optional().describe('Required (true) for a data-bearing service') });

const finding = z.object({ ruleId: z.string(), severity: z.string(), message: z.string(), blocking: z.boolean().optional() });
const advisory = z.object({ id: z.string(), summary: z.string(), severity: z.string().nullable(), image: z.string() });

export const service = z.object({
  id,
  projectId: id,
  environmentId: id,
  name: z.string(),
  item: z.object({
    id,
    slug: z.string(),
    title: z.string().describe("The catalogue item's own title (usually English)"),
    titleFr: z.string().nullable().describe('Its title in French, when the chart gives one'),
    kind: z.enum(['chart', 'operator']),
  }),
  version: z.object({ id, version: z.string(), digest: z.string(), dataBearing: z.boolean(), covers: z.array(z.string()) }),
  values,
  verdict: z.enum(['pass', 'fail', 'unevaluated']),
  findings: z.array(finding),
  images: z.array(z.string()),
  status: z.enum(['pending', 'ready', 'failed']),
  conditions: z.array(condition),
  gitopsCommit: z.string().nullable(),
  argocd: z.object({
    application: z.string().nullable(),
    sync: z.string().nullable().describe("ArgoCD's sync code (Synced, OutOfSync, Unknown)"),
    health: z.string().nullable().describe("ArgoCD's health code (Healthy, Progressing, Degraded, Suspended, Missing, Unknown)"),
    message: z.string().nullable().describe("ArgoCD's own message when something is wrong (a failed sync, an error condition, the health), as ArgoCD says it"),
    detail: z.object({ fr: z.string(), en: z.string() }).nullable().describe('What else the answer says, beyond sync and health: a sync running or failed, an error condition (e.g. the chart cannot be fetched), or no usable answer'),
    statusText: z.object({ fr: z.string(), en: z.string() }).nullable().describe("The whole state as one sentence in French and English: sync, health, detail, ArgoCD's message (null until ArgoCD is read)"),
    observedAt: timestamp.nullable(),
  }),
  /** Newest published version above the current one, when there is one. */
  upgradeAvailable: z.string().nullable(),
  /** The upgrade proposal recorded when an administrator published a newer version (still published and newer). */
  upgradeProposal: z.object({ version: z.string(), proposedAt: timestamp }).nullable(),
  advisories: z.array(advisory),
  createdAt: timestamp,
  updatedAt: timestamp,
  removedAt: timestamp.nullable(),
  /** For a removed data-bearing service: where its backups stay. */
  retainedBackups: z.string().nullable(),
});

export const serviceList = z.object({ items: z.array(service) });

export const upgradeProposal = z.object({
  serviceId: id,
  from: z.string(),
  to: z.string(),
  /** Unified diff of the manifests rendered with the service's values, current → proposed. */
  manifestDiff: z.string(),
  findings: z.object({ added: z.array(finding), resolved: z.array(finding) }),
  verdict: z.enum(['pass', 'fail', 'unevaluated']),
  /** Why applying it would be refused (values no longer valid, new blocking findings, quota), if it would. */
  refusal: z.object({ reason: z.string(), message: z.string() }).nullable(),
});

export const affectedService = z.object({
  serviceId: id,
  projectId: id,
  projectSlug: z.string(),
  environmentId: id,
  environmentName: z.string(),
  name: z.string(),
  item: z.string(),
  version: z.string(),
  advisories: z.array(advisory),
});
export const affectedServiceList = z.object({ items: z.array(affectedService) });

export { iso, isoRequired };
