// /api/v1/projects/{projectId}/environments/{environmentId}/services: catalogue components a team runs in an
// environment. Before anything is written, the version must be published, the values must match the chart's
// values.schema.json, the chart rendered with those values must pass the platform's checks, and it must fit in the
// environment's quota next to its other services; refusals are problem+json in the caller's language. Accepted
// changes answer at once (pending): the gitops reconcile step commits the Application (or the operator's custom
// resources) and reads the status back.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { inAuditedTransaction } from '../../audit/record.ts';
import { catalogueOperatorInstalls, environments, environmentServices, projects } from '../../db/schema.ts';
import { loadEnvironment } from '../../deploy/request-deployment.ts';
import { readServiceStatus } from '../../deploy/service-status.ts';
import { applicationStatusText } from '../../deploy/argocd-status-text.ts';
import { prepareInstance, type Refusal } from '../../component-catalogue/instances/prepare.ts';
import { quotaShortfalls } from '../../component-catalogue/instances/footprint.ts';
import { findingsChange, manifestDiff } from '../../component-catalogue/instances/upgrade.ts';
import { backupDestinations, findCatalogueItem, findVersion, loadServices, newestPublished, othersFootprint, pendingProposals, upgradeFor, type ServiceRecord } from '../../component-catalogue/instances/store.ts';
import { servicesAdvisories, type ServiceAdvisory } from '../../component-catalogue/instances/advisories.ts';
import { namespaceOf, serviceApplicationName } from '../../integrations/gitops/index.ts';
import { bilingual, Problem, type LocalisedText } from '../../errors.ts';
import { authorizeAdmin, authorizeProjectChange, authorizeProjectRead, requirePermission, type ProjectAccess } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { preferredLanguage } from '../plugins/problem-handler.ts';
import { presentConditions } from '../schemas/common.ts';
import { projectEnvironmentParams } from '../schemas/deployments.ts';
import { affectedServiceList, service, serviceCreate, serviceDeleteQuery, serviceList, serviceListQuery, serviceParams, serviceUpdate, serviceUpgrade, upgradeProposal } from '../schemas/environment-services.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';
import type { FastifyRequest } from 'fastify';

const tags = ['services'];
const base = '/projects/:projectId/environments/:environmentId/services';

type Presented = z.infer<typeof service>;

function present(record: ServiceRecord, projectSlug: string, environmentName: string, extra: { upgradeAvailable?: string | null; upgradeProposal?: { version: string; proposedAt: string } | null; advisories?: ServiceAdvisory[]; lang?: 'fr' | 'en' } = {}): Presented {
  const { service: s, item, version } = record;
  const removedBackups = s.removedAt && version.dataBearing ? backupDestinations(s.manifests) : [];
  return {
    id: s.id,
    projectId: s.projectId,
    environmentId: s.environmentId,
    name: s.name,
    item: { id: item.id, slug: item.slug, title: item.title, titleFr: item.titleFr, kind: item.kind },
    version: { id: version.id, version: version.version, digest: version.digest, dataBearing: version.dataBearing, covers: version.covers },
    values: s.values,
    verdict: s.verdict,
    findings: s.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: String(f.message ?? ''), ...(f.blocking !== undefined ? { blocking: f.blocking } : {}) })),
    images: s.images,
    status: s.status,
    conditions: presentConditions(s.conditions, extra.lang),
    gitopsCommit: s.gitopsCommit,
    argocd: {
      application: item.kind === 'chart' ? serviceApplicationName(projectSlug, environmentName, s.name) : null,
      sync: s.syncStatus,
      health: s.healthStatus,
      message: s.statusMessage,
      detail: s.statusDetail,
      statusText: s.syncStatus ? applicationStatusText({ sync: s.syncStatus, health: s.healthStatus ?? 'Unknown', detail: s.statusDetail, message: s.statusMessage }) : null,
      observedAt: s.observedAt ? s.observedAt.toISOString() : null,
    },
    upgradeAvailable: extra.upgradeAvailable ?? null,
    upgradeProposal: extra.upgradeProposal ?? null,
    advisories: extra.advisories ?? [],
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    removedAt: s.removedAt ? s.removedAt.toISOString() : null,
    retainedBackups: s.removedAt && version.dataBearing ? (removedBackups.length ? removedBackups.join(', ') : 'object storage of the platform (scheduled backups are not deleted with the service)') : null,
  };
}

/** A refusal as problem+json, in the caller's language. */
function refused(_request: FastifyRequest, refusal: Refusal): Problem {
  const detail = refusal.message;
  if (refusal.reason === 'quota-exceeded') {
    return new Problem('quotaExceeded', detail, refusal.shortfalls.map((s) => ({ field: s.resource, message: bilingual(`${s.requested} > ${s.available}`, `${s.requested} > ${s.available}`) })), { reason: refusal.reason, footprint: refusal.footprint, shortfalls: refusal.shortfalls });
  }
  if (refusal.reason === 'values-invalid') return new Problem('unprocessable', detail, refusal.problems.map((p) => ({ field: `values/${p.field}`.replace(/\/$/, ''), message: p.message })), { reason: refusal.reason });
  if (refusal.reason === 'checks-failed') {
    return new Problem('unprocessable', detail, undefined, { reason: refusal.reason, findings: refusal.findings.slice(0, 50).map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, requirements: f.requirements })) });
  }
  return new Problem('unprocessable', detail, undefined, { reason: refusal.reason });
}

function localised(_request: FastifyRequest, fr: string, en: string): LocalisedText {
  return bilingual(fr, en);
}

export default async function environmentServiceRoutes(app: App, services: Services): Promise<void> {
  const { db } = services;

  /** Changes need environments.manage, and deployments.production in a production environment. */
  async function authorizeChange(request: FastifyRequest, projectId: string, environmentId: string) {
    const access = await authorizeProjectChange(services, request, projectId, 'environments.manage', { what: 'environment' });
    const loaded = await loadEnvironment(db, access.project.id, environmentId);
    if (loaded.stage.production) requirePermission(access, 'deployments.production');
    return { access, ...loaded };
  }

  async function presentAll(records: ServiceRecord[], projectSlug: string, environmentName: (id: string) => string, lang: 'fr' | 'en'): Promise<Presented[]> {
    const newest = await newestPublished(db, records.map((r) => r.item.id));
    const proposals = await pendingProposals(db, records);
    const advisories = await servicesAdvisories(services, records);
    return records.map((r) => present(r, projectSlug, environmentName(r.service.environmentId), { upgradeAvailable: r.service.removedAt ? null : upgradeFor(r.version.version, newest.get(r.item.id)), upgradeProposal: proposals.get(r.service.id) ?? null, advisories: advisories.get(r.service.id) ?? [], lang }));
  }

  async function loadOne(access: ProjectAccess, environmentId: string, serviceId: string, includeRemoved = false): Promise<ServiceRecord> {
    const [record] = await loadServices(db, { serviceId, includeRemoved });
    if (!record || record.service.projectId !== access.project.id || record.service.environmentId !== environmentId) throw new Problem('notFound', bilingual('Service introuvable dans cet environnement, ou vous n’y avez pas accès.', 'No such service in this environment, or you cannot see it.'));
    return record;
  }

  /** Runs every check of a new or changed service; throws the refusal. */
  async function prepare(request: FastifyRequest, environment: typeof environments.$inferSelect, projectSlug: string, versionRow: NonNullable<Awaited<ReturnType<typeof findVersion>>>, kind: 'chart' | 'operator', name: string, values: Record<string, unknown>, exceptServiceId?: string) {
    let operatorInstalled: boolean | undefined;
    if (kind === 'operator') {
      const [install] = await db.select().from(catalogueOperatorInstalls).where(and(eq(catalogueOperatorInstalls.itemId, versionRow.itemId), eq(catalogueOperatorInstalls.clusterId, environment.clusterId))).limit(1);
      operatorInstalled = install !== undefined;
    }
    const prepared = await prepareInstance({
      version: { kind, version: versionRow.version, publishedAt: versionRow.publishedAt, archive: versionRow.archive, valuesSchema: versionRow.valuesSchema, defaultValues: versionRow.defaultValues, findings: versionRow.findings },
      values,
      namespace: namespaceOf(projectSlug, environment.name),
      name,
      quota: { cpuMillicores: environment.cpuMillicores, memoryMiB: environment.memoryMiB },
      others: await othersFootprint(db, environment.id, exceptServiceId),
      ...(operatorInstalled !== undefined ? { operatorInstalled } : {}),
      now: services.now(),
    });
    if (!prepared.ok) throw refused(request, prepared.refusal);
    return prepared;
  }

  /** Inside the write: lock the environment and check the quota again, so two concurrent additions cannot overbook. */
  async function recheckQuota(tx: typeof db, request: FastifyRequest, environmentId: string, footprint: { cpuMillicores: number; memoryMiB: number }, exceptServiceId?: string) {
    const [locked] = await tx.select().from(environments).where(eq(environments.id, environmentId)).for('update');
    if (!locked) throw new Problem('notFound');
    const shortfalls = quotaShortfalls({ cpuMillicores: locked.cpuMillicores, memoryMiB: locked.memoryMiB }, await othersFootprint(tx, environmentId, exceptServiceId), footprint);
    if (shortfalls.length) {
      const lines = shortfalls.map((s) => `${s.resource}: ${s.requested} > ${s.available}`).join('; ');
      throw new Problem('quotaExceeded', localised(request, `Le service dépasse le quota de l'environnement : ${lines}.`, `The service exceeds the environment's quota: ${lines}.`), undefined, { reason: 'quota-exceeded', footprint, shortfalls });
    }
  }

  app.get(base, { schema: { tags, summary: 'The catalogue services of an environment, with status, upgrade and advisories', params: projectEnvironmentParams, querystring: serviceListQuery, response: { 200: serviceList } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'environment');
    const { environment } = await loadEnvironment(db, access.project.id, request.params.environmentId);
    const records = await loadServices(db, { environmentIds: [environment.id], includeRemoved: request.query.includeRemoved === 'true' });
    return { items: await presentAll(records, access.project.slug, () => environment.name, preferredLanguage(request)) };
  });

  app.post(base, { schema: { tags, summary: 'Add a catalogue service (checked before commit; provisioned asynchronously)', params: projectEnvironmentParams, body: serviceCreate, response: { 201: service } } }, async (request, reply) => {
    const { access, environment } = await authorizeChange(request, request.params.projectId, request.params.environmentId);
    const body = request.body;
    const item = await findCatalogueItem(db, body.item);
    if (!item) throw new Problem('unprocessable', localised(request, `Aucun composant « ${body.item} » au catalogue.`, `No component "${body.item}" in the catalogue.`), [{ field: 'item', message: bilingual('composant inconnu', 'unknown item') }], { reason: 'item-unknown' });
    const versionRow = await findVersion(db, item.id, body.version);
    if (!versionRow) throw new Problem('unprocessable', localised(request, `Le composant ${item.slug} n'a pas de version ${body.version}.`, `Component ${item.slug} has no version ${body.version}.`), [{ field: 'version', message: bilingual('version inconnue', 'unknown version') }], { reason: 'version-unknown' });
    const values = body.values ?? {};
    const [existing] = await db.select({ id: environmentServices.id }).from(environmentServices).where(and(eq(environmentServices.environmentId, environment.id), eq(environmentServices.name, body.name), isNull(environmentServices.removedAt))).limit(1);
    if (existing) throw new Problem('conflict', localised(request, `L'environnement a déjà un service « ${body.name} ».`, `The environment already has a service named "${body.name}".`), [{ field: 'name', message: bilingual('déjà utilisé', 'already used') }]);
    const prepared = await prepare(request, environment, access.project.slug, versionRow, item.kind, body.name, values);
    // Added on an older version than the newest published: the proposal is there from the start, as for the others.
    const newer = upgradeFor(versionRow.version, (await newestPublished(db, [item.id])).get(item.id));
    const proposed = newer ? await findVersion(db, item.id, newer) : undefined;
    const created = await conflictAs(bilingual(`L’environnement a déjà un service « ${body.name} ».`, `The environment already has a service named "${body.name}".`), 'name', () =>
      inAuditedTransaction(db, request.actor, request.id, async (tx, audit) => {
        await recheckQuota(tx, request, environment.id, prepared.footprint);
        const [row] = await tx
          .insert(environmentServices)
          .values({
            projectId: access.project.id,
            environmentId: environment.id,
            itemId: item.id,
            versionId: versionRow.id,
            name: body.name,
            values,
            verdict: prepared.check.verdict,
            findings: prepared.check.findings as never,
            manifests: prepared.check.manifests,
            images: prepared.check.images,
            status: 'pending',
            createdBy: request.actor.kind === 'user' ? request.actor.userId : null,
            ...(proposed ? { proposedVersionId: proposed.id, proposedAt: services.now() } : {}),
          })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'service.create', targetType: 'environment-service', targetId: row.id, projectId: row.projectId, after: { name: row.name, item: item.slug, version: versionRow.version, values } });
        return row;
      }),
    );
    await services.requestReconcile({ kind: 'environment', id: environment.id, projectId: access.project.id });
    const [record] = await loadServices(db, { serviceId: created.id });
    return reply.code(201).send((await presentAll([record!], access.project.slug, () => environment.name, preferredLanguage(request)))[0]!);
  });

  app.get(`${base}/:serviceId`, { schema: { tags, summary: 'One service: checks, GitOps commit, ArgoCD sync and health (read live when configured)', params: serviceParams, response: { 200: service } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'environment');
    const { environment } = await loadEnvironment(db, access.project.id, request.params.environmentId);
    let record = await loadOne(access, environment.id, request.params.serviceId, true);
    if (services.config.gitops.argocd && record.service.gitopsCommit && !record.service.removedAt) {
      await readServiceStatus(services, record, access.project.slug, environment.name);
      record = await loadOne(access, environment.id, request.params.serviceId, true);
    }
    return (await presentAll([record], access.project.slug, () => environment.name, preferredLanguage(request)))[0]!;
  });

  /** Applies a new version and/or values after every check; shared by PATCH and the upgrade action. */
  async function change(request: FastifyRequest, params: { projectId: string; environmentId: string; serviceId: string }, next: { version?: string; values?: Record<string, unknown> }, action: string) {
    const { access, environment } = await authorizeChange(request, params.projectId, params.environmentId);
    const record = await loadOne(access, environment.id, params.serviceId);
    const versionRow = await findVersion(db, record.item.id, next.version ?? record.version.version);
    if (!versionRow) throw new Problem('unprocessable', localised(request, `Le composant ${record.item.slug} n'a pas de version ${next.version}.`, `Component ${record.item.slug} has no version ${next.version}.`), [{ field: 'version', message: bilingual('version inconnue', 'unknown version') }], { reason: 'version-unknown' });
    const values = next.values ?? record.service.values;
    const prepared = await prepare(request, environment, access.project.slug, versionRow, record.item.kind, record.service.name, values, record.service.id);
    const proposedVersion = (await pendingProposals(db, [record])).get(record.service.id)?.version;
    await inAuditedTransaction(db, request.actor, request.id, async (tx, audit) => {
      await recheckQuota(tx, request, environment.id, prepared.footprint, record.service.id);
      await tx
        .update(environmentServices)
        .set({
          versionId: versionRow.id,
          values,
          verdict: prepared.check.verdict,
          findings: prepared.check.findings as never,
          manifests: prepared.check.manifests,
          images: prepared.check.images,
          status: 'pending',
          updatedAt: services.now(),
          // Moving to (or past) the proposed version answers the proposal.
          ...(proposedVersion && !upgradeFor(versionRow.version, proposedVersion) ? { proposedVersionId: null, proposedAt: null } : {}),
        })
        .where(eq(environmentServices.id, record.service.id));
      await audit({ action, targetType: 'environment-service', targetId: record.service.id, projectId: access.project.id, before: { version: record.version.version, values: record.service.values }, after: { version: versionRow.version, values } });
    });
    await services.requestReconcile({ kind: 'environment', id: environment.id, projectId: access.project.id });
    const updated = await loadOne(access, environment.id, record.service.id);
    return (await presentAll([updated], access.project.slug, () => environment.name, preferredLanguage(request)))[0]!;
  }

  app.patch(`${base}/:serviceId`, { schema: { tags, summary: "Change a service's values or version (checked before commit)", params: serviceParams, body: serviceUpdate, response: { 202: service } } }, async (request, reply) => {
    const body = request.body;
    return reply.code(202).send(await change(request, request.params, { ...(body.version !== undefined ? { version: body.version } : {}), ...(body.values !== undefined ? { values: body.values } : {}) }, 'service.update'));
  });

  app.get(`${base}/:serviceId/upgrade`, { schema: { tags, summary: 'The upgrade proposal to the newest published version: manifest diff and change in findings', params: serviceParams, response: { 200: upgradeProposal } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'environment');
    const { environment } = await loadEnvironment(db, access.project.id, request.params.environmentId);
    const record = await loadOne(access, environment.id, request.params.serviceId);
    const target = upgradeFor(record.version.version, (await newestPublished(db, [record.item.id])).get(record.item.id));
    if (!target) throw new Problem('notFound', localised(request, `Aucune version publiée plus récente que ${record.version.version}.`, `No published version newer than ${record.version.version}.`));
    const versionRow = (await findVersion(db, record.item.id, target))!;
    const prepared = await prepareInstance(
      {
        version: { kind: record.item.kind, version: versionRow.version, publishedAt: versionRow.publishedAt, archive: versionRow.archive, valuesSchema: versionRow.valuesSchema, defaultValues: versionRow.defaultValues, findings: versionRow.findings },
        values: record.service.values,
        namespace: namespaceOf(access.project.slug, environment.name),
        name: record.service.name,
        quota: { cpuMillicores: environment.cpuMillicores, memoryMiB: environment.memoryMiB },
        others: await othersFootprint(db, environment.id, record.service.id),
        now: services.now(),
      },
      // The proposal shows the render even when applying it would be refused, so the refusal is reported, not thrown.
    );
    const lang = preferredLanguage(request);
    let manifests = '';
    let findings: typeof record.service.findings = [];
    let verdict: 'pass' | 'fail' | 'unevaluated' = 'unevaluated';
    if (prepared.ok) ({ manifests, findings, verdict } = { manifests: prepared.check.manifests, findings: prepared.check.findings as never, verdict: prepared.check.verdict });
    else if (prepared.refusal.reason === 'checks-failed' || prepared.refusal.reason === 'quota-exceeded') {
      const { checkChartVersion } = await import('../../component-catalogue/index.ts');
      const check = await checkChartVersion({ archive: versionRow.archive!, values: record.service.values, namespace: namespaceOf(access.project.slug, environment.name), releaseName: record.service.name, now: services.now() });
      ({ manifests, findings, verdict } = { manifests: check.manifests, findings: check.findings as never, verdict: check.verdict });
    }
    const change = findingsChange(record.service.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: String(f.message ?? ''), ...(f.blocking !== undefined ? { blocking: f.blocking } : {}) })), findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: String(f.message ?? ''), ...(f.blocking !== undefined ? { blocking: f.blocking } : {}) })));
    return {
      serviceId: record.service.id,
      from: record.version.version,
      to: target,
      manifestDiff: manifestDiff(record.service.manifests, manifests, { before: `${record.item.slug}-${record.version.version}`, after: `${record.item.slug}-${target}` }),
      findings: change,
      verdict,
      refusal: prepared.ok ? null : { reason: prepared.refusal.reason, message: prepared.refusal.message[lang] },
    };
  });

  app.post(`${base}/:serviceId/upgrade`, { schema: { tags, summary: 'Apply the upgrade proposal in one action (newest published version unless one is given)', params: serviceParams, body: serviceUpgrade, response: { 202: service } } }, async (request, reply) => {
    let version = request.body?.version;
    if (!version) {
      const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'environment');
      const record = await loadOne(access, request.params.environmentId, request.params.serviceId);
      const target = upgradeFor(record.version.version, (await newestPublished(db, [record.item.id])).get(record.item.id));
      if (!target) throw new Problem('unprocessable', localised(request, `Aucune version publiée plus récente que ${record.version.version}.`, `No published version newer than ${record.version.version}.`), undefined, { reason: 'no-upgrade' });
      version = target;
    }
    return reply.code(202).send(await change(request, request.params, { version }, 'service.upgrade'));
  });

  app.delete(`${base}/:serviceId`, { schema: { tags, summary: 'Remove a service (its Application is deleted); a data-bearing one needs ?confirm=true and keeps its backups', params: serviceParams, querystring: serviceDeleteQuery, response: { 204: z.null() } } }, async (request, reply) => {
    const { access, environment } = await authorizeChange(request, request.params.projectId, request.params.environmentId);
    const record = await loadOne(access, environment.id, request.params.serviceId);
    if (record.version.dataBearing && request.query.confirm !== 'true') {
      throw new Problem(
        'unprocessable',
        localised(
          request,
          `Le service « ${record.service.name} » contient des données : confirmez la suppression (confirm=true). Ses sauvegardes sont conservées.`,
          `Service "${record.service.name}" holds data: confirm the removal (confirm=true). Its backups are kept.`,
        ),
        [{ field: 'confirm', message: bilingual('obligatoire pour un service qui contient des données', 'required for a data-bearing service') }],
        { reason: 'confirmation-required', dataBearing: true },
      );
    }
    await inAuditedTransaction(db, request.actor, request.id, async (tx, audit) => {
      const removedBy = request.actor.kind === 'user' ? request.actor.userId : null;
      // A data-bearing service keeps its row (version, values, backup destinations); others go.
      if (record.version.dataBearing) await tx.update(environmentServices).set({ removedAt: services.now(), removedBy, status: 'pending', updatedAt: services.now() }).where(eq(environmentServices.id, record.service.id));
      else await tx.delete(environmentServices).where(eq(environmentServices.id, record.service.id));
      await audit({ action: 'service.delete', targetType: 'environment-service', targetId: record.service.id, projectId: access.project.id, before: { name: record.service.name, item: record.item.slug, version: record.version.version, dataBearing: record.version.dataBearing } });
    });
    await services.requestReconcile({ kind: 'environment', id: environment.id, projectId: access.project.id });
    return reply.code(204).send(null);
  });

  app.get('/projects/:projectId/services', { schema: { tags, summary: 'Every catalogue service of a project, across its environments', params: z.strictObject({ projectId: z.uuid() }), response: { 200: serviceList } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read');
    const envs = await db.select({ id: environments.id, name: environments.name }).from(environments).where(eq(environments.projectId, access.project.id));
    const names = new Map(envs.map((e) => [e.id, e.name]));
    const records = await loadServices(db, { projectIds: [access.project.id] });
    return { items: await presentAll(records, access.project.slug, (id) => names.get(id) ?? '', preferredLanguage(request)) };
  });

  app.get('/admin/services/affected', { schema: { tags, summary: 'Service instances whose images an advisory hits (platform administrators)', response: { 200: affectedServiceList } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const records = await loadServices(db, {});
    const advisories = await servicesAdvisories(services, records);
    const affected = records.filter((r) => (advisories.get(r.service.id) ?? []).length > 0);
    if (affected.length === 0) return { items: [] };
    const list = await db
      .select({ id: environments.id, name: environments.name, project_slug: projects.slug })
      .from(environments)
      .innerJoin(projects, eq(projects.id, environments.projectId))
      .where(inArray(environments.id, [...new Set(affected.map((r) => r.service.environmentId))]));
    const byId = new Map(list.map((r) => [r.id, r]));
    return {
      items: affected.map((r) => ({
        serviceId: r.service.id,
        projectId: r.service.projectId,
        projectSlug: byId.get(r.service.environmentId)?.project_slug ?? '',
        environmentId: r.service.environmentId,
        environmentName: byId.get(r.service.environmentId)?.name ?? '',
        name: r.service.name,
        item: r.item.slug,
        version: r.version.version,
        advisories: advisories.get(r.service.id)!,
      })),
    };
  });
}
