// Deployments of certified revisions to environments, and the deployment status read back (GitOps commit, ArgoCD).
import { z } from 'zod';
import type { deployments, environmentDeploymentStatus } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { id, iso, isoRequired, timestamp } from './common.ts';
import { argocdWord } from '../../domain/argocd-words.ts';
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
  argocd: z.object({ sync: z.string(), health: z.string(), revision: z.string().nullable(), message: z.string().nullable() }).nullable(),
  observedAt: timestamp.nullable(),
});

export function presentDeploymentStatus(environmentId: string, s: Omit<typeof environmentDeploymentStatus.$inferSelect, 'environmentId' | 'projectId'> | undefined): z.infer<typeof deploymentStatus> {
  if (!s) return { environmentId, summary: 'not reconciled yet', summaryText: { fr: 'pas encore réconcilié', en: 'not reconciled yet' }, gitopsCommit: null, revision: null, argocd: null, observedAt: null };
  const argocd = s.syncStatus ? { sync: s.syncStatus, health: s.healthStatus ?? 'Unknown', revision: s.syncedRevision, message: s.message } : null;
  const summary = argocd
    ? `${argocd.sync}, ${argocd.health}${argocd.revision ? ` at ${argocd.revision.slice(0, 12)}` : ''}${argocd.message ? ` (${argocd.message})` : ''}`
    : s.gitopsCommit
      ? `committed at ${s.gitopsCommit}`
      : 'not committed yet';
  const summaryText = argocd
    ? {
        fr: `ArgoCD : ${argocdWord('sync', argocd.sync, 'fr')}, ${argocdWord('health', argocd.health, 'fr')}${argocd.revision ? ` à ${argocd.revision.slice(0, 12)}` : ''}${argocd.message ? ` (${argocd.message})` : ''}`,
        en: `ArgoCD: ${argocdWord('sync', argocd.sync, 'en')}, ${argocdWord('health', argocd.health, 'en')}${argocd.revision ? ` at ${argocd.revision.slice(0, 12)}` : ''}${argocd.message ? ` (${argocd.message})` : ''}`,
      }
    : s.gitopsCommit
      ? { fr: `écrit dans le dépôt GitOps au commit ${s.gitopsCommit}`, en: summary }
      : { fr: 'pas encore écrit dans le dépôt GitOps', en: summary };
  return { environmentId, summary, summaryText, gitopsCommit: s.gitopsCommit, revision: s.revision, argocd, observedAt: isoRequired(s.observedAt) };
}
