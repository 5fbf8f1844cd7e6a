// Status of catalogue services, as for deployments: after the gitops step commits an environment, its services are
// `committed at <sha>` (Ready) or, when the environment's render was refused, Failed with the reasons; removed
// services leave the table once their files are gone (data-bearing ones stay, marked removed). With ArgoCD
// configured, a chart service's Application sync and health are read back (live on GET, as deployments are).
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { catalogueItems, environmentServices } from '../db/schema.ts';
import { failedConditions, readyConditions } from '../reconcile/conditions.ts';
import type { ConditionMessage } from '../reconcile/condition-messages.ts';
import { serviceApplicationName } from '../integrations/gitops/index.ts';
import type { Services } from '../system/services.ts';
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { recomputeProjectConformity } from '../homologation/recompute.ts';
import { readApplicationStatus } from './argocd-status.ts';
import { applicationStatusDetail } from './argocd-status-text.ts';

/** After a GitOps commit: the services of environments that rendered are committed; those of refused ones failed. */
export async function recordServicesAfterCommit(
  services: Pick<Services, 'db' | 'config' | 'now'>,
  projectSlug: string,
  environments: readonly { id: string; name: string }[],
  commit: string | null,
  /** Why each refused environment (by name) was refused. */
  failures: ReadonlyMap<string, ConditionMessage>,
): Promise<void> {
  const { db } = services;
  const now = services.now();
  const ids = environments.map((e) => e.id);
  if (ids.length === 0) return;
  const rows = await db.select().from(environmentServices).where(inArray(environmentServices.environmentId, ids));
  if (rows.length === 0) return;
  const names = new Map(environments.map((e) => [e.id, e.name]));
  // Only chart services have an Application of their own; an operator's custom resources are not one.
  const itemIds = [...new Set(rows.map((r) => r.itemId))];
  const charts = new Set((await db.select({ id: catalogueItems.id }).from(catalogueItems).where(and(inArray(catalogueItems.id, itemIds), eq(catalogueItems.kind, 'chart')))).map((i) => i.id));
  // A service committed, failed or removed changes the evidence of the requirements it covers.
  let evidenceChanged = false;
  for (const row of rows) {
    if (row.status !== 'ready' || failures.has(names.get(row.environmentId)!)) evidenceChanged = true;
    const environmentName = names.get(row.environmentId)!;
    const failure = failures.get(environmentName);
    if (row.removedAt) {
      // The files are gone from the repository: the removal is done; the row stays as the record of the backups.
      if (!failure && row.status !== 'ready') await db.update(environmentServices).set({ status: 'ready', conditions: readyConditions(row.conditions, now), gitopsCommit: commit }).where(eq(environmentServices.id, row.id));
      continue;
    }
    if (failure) {
      await db.update(environmentServices).set({ status: 'failed', conditions: failedConditions(row.conditions, 'render', failure, now) }).where(eq(environmentServices.id, row.id));
      continue;
    }
    let argocd: Pick<typeof row, 'syncStatus' | 'healthStatus' | 'statusMessage' | 'statusDetail' | 'observedAt'> = { syncStatus: row.syncStatus, healthStatus: row.healthStatus, statusMessage: row.statusMessage, statusDetail: row.statusDetail, observedAt: row.observedAt };
    const endpoint = services.config.gitops.argocd;
    if (endpoint && row.status !== 'ready' && charts.has(row.itemId)) argocd = await argocdStatus(endpoint, serviceApplicationName(projectSlug, environmentName, row.name), now);
    await db
      .update(environmentServices)
      .set({ status: 'ready', conditions: readyConditions(row.conditions, now), gitopsCommit: commit, ...argocd })
      .where(eq(environmentServices.id, row.id));
  }
  const projectId = rows[0]!.projectId;
  if (evidenceChanged) await recomputeProjectConformity(db, projectId, now, currentCatalogue, services.config.conformity);
}

async function argocdStatus(endpoint: { url: string; token: string }, application: string, now: Date) {
  const status = await readApplicationStatus(endpoint, application);
  const statusDetail = applicationStatusDetail(status);
  return status.ok
    ? { syncStatus: status.sync, healthStatus: status.health, statusMessage: status.message, statusDetail, observedAt: now }
    : { syncStatus: 'Unknown', healthStatus: 'Unknown', statusMessage: null, statusDetail, observedAt: now };
}

/** Live read of a chart service's Application (GET on the service), stored for the lists. */
export async function readServiceStatus(services: Pick<Services, 'db' | 'config' | 'now'>, record: { service: { id: string; name: string }; item: { kind: string } }, projectSlug: string, environmentName: string): Promise<void> {
  const endpoint = services.config.gitops.argocd;
  if (!endpoint || record.item.kind !== 'chart') return;
  const status = await argocdStatus(endpoint, serviceApplicationName(projectSlug, environmentName, record.service.name), services.now());
  await services.db.update(environmentServices).set(status).where(and(eq(environmentServices.id, record.service.id), isNull(environmentServices.removedAt), isNotNull(environmentServices.gitopsCommit)));
}
