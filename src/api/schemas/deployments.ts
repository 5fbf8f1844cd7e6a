// Deployments of certified revisions to environments, and the deployment status read back (GitOps commit, ArgoCD:
// its codes kept raw, and what they mean said in French and English beside them).
import { z } from 'zod';
import type { deployments, environmentDeploymentStatus } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, iso, isoRequired, timestamp } from './common.ts';
import { applicationStatusText } from '../../deploy/argocd-status-text.ts';
import { conditionMessageText } from '../../reconcile/condition-messages.ts';

export const projectEnvironmentParams = z.strictObject({ projectId: id, environmentId: id });

const revision = z.string().regex(/^[0-9a-fA-F]{7,64}$/, 'a commit id (7 to 64 hexadecimal digits)');
export const deploymentCreate = z.strictObject({ revision });
export const deploymentPromote = z.strictObject({ from: id.describe('Environment whose current revision is promoted (an earlier stage)') });
export const deploymentRollback = z.strictObject({}).optional();
export const deploymentListQuery = z.strictObject({ ...pageQueryShape });

export const deployment = z.object({
  id,
  projectId: id,
  environmentId: id,
  repositoryId: id,
  revision: z.string(),
  imageDigest: z.string().nullable(),
  action: z.enum(['deploy', 'promote', 'rollback']),
  fromEnvironmentId: id.nullable(),
  status: z.enum(['pending', 'committed', 'superseded', 'failed']),
  gate: z.object({ outcome: z.string(), mode: z.string(), unmet: z.array(z.string()) }).nullable(),
  gitopsCommit: z.string().nullable(),
  changeSize: z.object({ commits: z.number(), files: z.number(), linesAdded: z.number(), linesDeleted: z.number(), since: z.string().optional() }).nullable().describe('DORA change size since the revision the environment ran before (null: first deployment, or not measurable)'),
  message: z.string().nullable().describe('Why the deployment failed, in English (kept for older clients)'),
  note: z
    .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional(), text: z.object({ fr: z.string(), en: z.string() }) })
    .nullable()
    .describe('Why the deployment failed, as a code with parameters and in French and English'),
  requestedBy: z.string().nullable(),
  createdAt: timestamp,
  committedAt: timestamp.nullable(),
});
export const deploymentPage = pageSchema(deployment);

export function presentDeployment(d: typeof deployments.$inferSelect): z.infer<typeof deployment> {
  return {
    id: d.id,
    projectId: d.projectId,
    environmentId: d.environmentId,
    repositoryId: d.repositoryId,
    revision: d.revision,
    imageDigest: d.imageDigest,
    action: d.action,
    fromEnvironmentId: d.fromEnvironmentId,
    status: d.status,
    gate: d.gate ?? null,
    gitopsCommit: d.gitopsCommit,
    changeSize: d.changeSize,
    message: d.message,
    note: d.note ? { code: d.note.code, ...(d.note.params ? { params: d.note.params } : {}), text: conditionMessageText(d.note) } : null,
    requestedBy: d.requestedBy,
    createdAt: isoRequired(d.createdAt),
    committedAt: iso(d.committedAt),
  };
}

export const deploymentStatus = z.object({
  environmentId: id,
  /** "committed at <sha>" without ArgoCD; with it, ArgoCD's words. */
  summary: z.string(),
  summaryText: z.object({ fr: z.string(), en: z.string() }).describe('The summary in French and in English'),
  gitopsCommit: z.string().nullable(),
  revision: z.string().nullable(),
  argocd: z
    .object({
      sync: z.string().describe("ArgoCD's sync code (Synced, OutOfSync, Unknown)"),
      health: z.string().describe("ArgoCD's health code (Healthy, Progressing, Degraded, Suspended, Missing, Unknown)"),
      revision: z.string().nullable(),
      message: z.string().nullable().describe("Why, in English: ArgoCD's own message, or the platform's note when ArgoCD gave no usable answer"),
      reason: z.string().nullable().describe("ArgoCD's own message only, as ArgoCD says it (null when ArgoCD gave no usable answer)"),
      detail: z.object({ fr: z.string(), en: z.string() }).nullable().describe('What else the answer says, beyond sync and health: a sync running or failed, an error condition (e.g. the chart cannot be fetched), or no usable answer (ArgoCD does not answer, does not know the application)'),
      statusText: z.object({ fr: z.string(), en: z.string() }).describe("The whole state as one sentence in French and English: sync, health, detail, ArgoCD's own message"),
    })
    .nullable(),
  observedAt: timestamp.nullable(),
});

export function presentDeploymentStatus(environmentId: string, s: StoredStatus | undefined): z.infer<typeof deploymentStatus> {
  if (!s) return { environmentId, summary: 'not reconciled yet', summaryText: { fr: 'pas encore réconcilié', en: 'not reconciled yet' }, gitopsCommit: null, revision: null, argocd: null, observedAt: null };
  const argocd = s.syncStatus ? presentArgocd(s, s.syncStatus) : null;
  const summary = argocd
    ? `${argocd.sync}, ${argocd.health}${argocd.revision ? ` at ${argocd.revision.slice(0, 12)}` : ''}${argocd.message ? ` (${argocd.message})` : ''}`
    : s.gitopsCommit
      ? `committed at ${s.gitopsCommit}`
      : 'not committed yet';
  const summaryText = argocd
    ? {
        fr: `ArgoCD${argocd.revision ? ` (révision ${argocd.revision.slice(0, 12)})` : ''} : ${argocd.statusText.fr}`,
        en: `ArgoCD${argocd.revision ? ` (revision ${argocd.revision.slice(0, 12)})` : ''}: ${argocd.statusText.en}`,
      }
    : s.gitopsCommit
      ? { fr: `écrit dans le dépôt GitOps au commit ${s.gitopsCommit}`, en: summary }
      : { fr: 'pas encore écrit dans le dépôt GitOps', en: summary };
  return { environmentId, summary, summaryText, gitopsCommit: s.gitopsCommit, revision: s.revision, argocd, observedAt: isoRequired(s.observedAt) };
}

type StoredStatus = Omit<typeof environmentDeploymentStatus.$inferSelect, 'environmentId' | 'projectId'>;

/** ArgoCD's codes as read, and what they mean for the team in French and English (src/deploy/argocd-status-text.ts). */
function presentArgocd(s: StoredStatus, sync: string): NonNullable<z.infer<typeof deploymentStatus>['argocd']> {
  const health = s.healthStatus ?? 'Unknown';
  // A status read before the detail was kept has neither: its message was then ArgoCD's or the platform's, as now.
  const reason = s.statusDetail || s.argocdMessage ? s.argocdMessage : s.message;
  return {
    sync,
    health,
    revision: s.syncedRevision,
    message: s.message,
    reason,
    detail: s.statusDetail,
    statusText: applicationStatusText({ sync, health, detail: s.statusDetail, message: reason }),
  };
}
