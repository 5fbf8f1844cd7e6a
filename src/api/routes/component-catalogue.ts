// /api/v1/catalogue: the component catalogue (issue 17). Everyone signed in browses published versions; platform
// administrators import charts (a packaged .tgz as the body), declare sources, publish versions (with a recorded
// exception when the checks block), declare operator installs and see which published versions advisories hit.
// /api/v1/catalogue/repository is the Helm repository of published versions for ArgoCD: readable without
// authentication, because it serves only what administrators published for every team (no project data) and
// ArgoCD in each cluster reads it with no credential to distribute; unpublished versions are never served.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { bilingual, Problem, type ProblemType } from '../../errors.ts';
import { catalogueSources, clusters } from '../../db/schema.ts';
import { adminAccess } from '../../domain/permissions.ts';
import { inAuditedTransaction, recordAudit } from '../../audit/record.ts';
import { openAdvisoryDatabase } from '../../checks/advisories/store.ts';
import { archiveLimits, chartRepositoryUrl } from '../../component-catalogue/index.ts';
import { CatalogueProblem } from '../../component-catalogue/problems.ts';
import { findItem, importChartArchive, listCatalogue, publishVersion, setOperatorInstalls, versionArchive, type CatalogueEntry, type CatalogueVersionSummary } from '../../component-catalogue/store.ts';
import { recordUpgradeProposals, upgradeProposedAudit } from '../../component-catalogue/instances/store.ts';
import { sourceUrlProblem, syncSource } from '../../component-catalogue/sources.ts';
import { helmRepositoryIndex, parseArchiveFileName } from '../../component-catalogue/helm-index.ts';
import { advisoryHits } from '../../component-catalogue/advisories.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { preferredLanguage } from '../plugins/problem-handler.ts';
import { authorizeAdmin } from '../authorize.ts';
import {
  catalogueAdvisories,
  catalogueImportResult,
  catalogueItem,
  catalogueItemDetail,
  catalogueItemParams,
  catalogueList,
  catalogueListQuery,
  catalogueSource,
  catalogueSourceList,
  catalogueSourceCreate,
  catalogueSyncResult,
  catalogueVersionParams,
  operatorInstallsUpdate,
  publishRequest,
} from '../schemas/catalogue.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['catalogue'];

const problemTypeOf: Record<CatalogueProblem['code'], ProblemType> = {
  'invalid-archive': 'unprocessable',
  'version-exists': 'conflict',
  'kind-mismatch': 'conflict',
  'not-found': 'notFound',
  'blocking-findings': 'unprocessable',
  'exception-invalid': 'validation',
  'source-failed': 'unprocessable',
  'not-operator': 'unprocessable',
};

/** A catalogue problem as an RFC 9457 problem, its detail in the caller's language. */
export function asProblem(error: unknown, _request: FastifyRequest): unknown {
  if (!(error instanceof CatalogueProblem)) return error;
  return new Problem(problemTypeOf[error.code], error.text, undefined, { reason: error.code, ...error.extensions });
}

/** An operator's version as its project tags it (1.25.1, v0.18.0, 1.25.1-rc1): no space, bounded. */
const operatorVersionPattern = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function presentVersion(v: CatalogueVersionSummary, now: Date) {
  return {
    id: v.id,
    version: v.version,
    appVersion: v.appVersion,
    digest: v.digest,
    verdict: v.verdict,
    blockingFindings: v.findings.filter((f) => f.blocking === true).length,
    findings: v.findings as z.infer<typeof catalogueItem>['versions'][number]['findings'],
    images: v.images,
    checkedAt: v.checkedAt.toISOString(),
    published: v.publishedAt !== null,
    publishedAt: iso(v.publishedAt),
    publishedBy: v.publishedBy,
    exception: v.exception ? { ...v.exception, inForce: new Date(v.exception.expiresAt).getTime() > now.getTime() } : null,
    dataBearing: v.dataBearing,
    covers: v.covers,
    customResourceKinds: v.customResourceKinds,
  };
}

function presentItem(entry: CatalogueEntry, now: Date) {
  return {
    id: entry.id,
    slug: entry.slug,
    kind: entry.kind,
    title: entry.title,
    titleFr: entry.titleFr,
    description: entry.description,
    descriptionFr: entry.descriptionFr,
    sourceId: entry.sourceId,
    latestPublished: entry.versions.find((v) => v.publishedAt !== null)?.version ?? null,
    versions: entry.versions.map((v) => presentVersion(v, now)),
    installs: entry.installs,
  };
}

function presentItemDetail(entry: CatalogueEntry, now: Date) {
  return {
    ...presentItem(entry, now),
    versions: entry.versions.map((v) => ({ ...presentVersion(v, now), readme: v.readme, defaultValues: v.defaultValues, valuesSchema: v.valuesSchema })),
  };
}

/** A source as administrators see it: its last error in the caller's language (both kept for the audit). */
function presentSource(s: typeof catalogueSources.$inferSelect, lang: 'fr' | 'en') {
  return { id: s.id, kind: s.kind, url: s.url, charts: s.charts, schedule: s.schedule, createdAt: s.createdAt.toISOString(), lastSyncAt: iso(s.lastSyncAt), lastError: s.lastError ? s.lastError[lang] : null };
}

export default async function componentCatalogueRoutes(app: App, services: Services): Promise<void> {
  // Imports are raw .tgz bytes, whatever type the client declares.
  app.removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: archiveLimits.maxCompressedBytes }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error, request) => {
    throw asProblem(error, request);
  });

  /** Administrators (read or write) see every version; others only published ones. */
  const seesEverything = (request: FastifyRequest, all?: string) => adminAccess(requireAuthenticated(request)) !== undefined && all !== 'false';

  app.get('/catalogue', { schema: { tags, summary: 'Catalogue items (charts and managed services) with their versions, verdicts and findings', querystring: catalogueListQuery, response: { 200: catalogueList } } }, async (request) => {
    const publishedOnly = !seesEverything(request, request.query.all);
    const entries = await listCatalogue(services.db, { publishedOnly });
    const now = services.now();
    return { items: entries.map((e) => presentItem(e, now)), chartRepositoryUrl: chartRepositoryUrl(services) };
  });

  app.post(
    '/catalogue',
    {
      bodyLimit: archiveLimits.maxCompressedBytes,
      schema: { tags, summary: `Import a packaged chart (.tgz as the body, at most ${archiveLimits.maxCompressedBytes / 1024 / 1024} MiB): read under limits, rendered, checked, stored unpublished`, response: { 200: catalogueImportResult, 201: catalogueImportResult } },
      onRequest: async (request) => {
        if (Number(request.headers['content-length'] ?? 0) > archiveLimits.maxCompressedBytes) {
          throw new Problem('payloadTooLarge', bilingual(`Une archive de chart fait au plus ${archiveLimits.maxCompressedBytes / 1024 / 1024} Mio.`, `A chart archive is at most ${archiveLimits.maxCompressedBytes / 1024 / 1024} MiB.`), undefined, { maxBytes: archiveLimits.maxCompressedBytes });
        }
      },
    },
    async (request, reply) => {
      const actor = await authorizeAdmin(services, request, 'write');
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (!body || body.length === 0) {
        throw new Problem('validation', bilingual('Envoyez l’archive du chart (.tgz) comme corps de la requête.', 'Send the chart archive (.tgz) as the request body.'), [{ field: 'body', message: bilingual('vide', 'empty') }]);
      }
      const result = await importChartArchive(services.db, body, { now: services.now() });
      if (result.created) {
        await recordAudit(services.db, actor, request.id, { action: 'catalogue.import', targetType: 'catalogue-version', targetId: result.version.id, after: { slug: result.item.slug, version: result.version.version, digest: result.version.digest, verdict: result.version.verdict } });
      }
      const [entry] = await listCatalogue(services.db, { publishedOnly: false, itemId: result.item.id });
      return reply.code(result.created ? 201 : 200).send({ item: presentItem(entry!, services.now()), version: result.version.version, created: result.created });
    },
  );

  app.get('/catalogue/sources', { schema: { tags, summary: 'Sources chart versions are pulled from (platform administration)', response: { 200: catalogueSourceList } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const rows = await services.db.select().from(catalogueSources).orderBy(catalogueSources.createdAt);
    return { items: rows.map((row) => presentSource(row, preferredLanguage(request))) };
  });

  app.post('/catalogue/sources', { schema: { tags, summary: 'Add a source: a Helm repository (https, index.yaml) or an OCI registry path (oci://…), pulled on a schedule', body: catalogueSourceCreate, response: { 201: catalogueSource } } }, async (request, reply) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const body = request.body;
    const problem = sourceUrlProblem(body.kind, body.url);
    if (problem) throw new Problem('validation', problem, [{ field: 'url', message: problem }]);
    const row = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [created] = await tx
        .insert(catalogueSources)
        .values({ kind: body.kind, url: body.url.replace(/\/+$/, ''), charts: body.charts ?? null, schedule: body.schedule ?? null, createdBy: actor.kind === 'user' ? actor.userId : null })
        .returning();
      await audit({ action: 'catalogue-source.create', targetType: 'catalogue-source', targetId: created!.id, after: presentSource(created!, 'fr') });
      return created!;
    });
    return reply.code(201).send(presentSource(row, preferredLanguage(request)));
  });

  app.post('/catalogue/sources/:sourceId/sync', { schema: { tags, summary: 'Pull the new versions of a source now (each imported and checked); the schedule does it by itself', params: z.strictObject({ sourceId: z.uuid() }), response: { 200: catalogueSyncResult } } }, async (request) => {
    await authorizeAdmin(services, request, 'write');
    const result = await syncSource(services.db, request.params.sourceId, services.now);
    const lang = preferredLanguage(request);
    return { ...result, errors: result.errors.map((e) => ({ ...e, message: e.message[lang] })) };
  });

  app.get('/catalogue/advisories', { schema: { tags, summary: 'Published versions whose images an advisory of the current advisory set hits (platform administration)', response: { 200: catalogueAdvisories } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const entries = await listCatalogue(services.db, { publishedOnly: true });
    const database = await openAdvisoryDatabase(services.config.dataDir);
    try {
      return { hits: advisoryHits(entries.flatMap((e) => e.versions.map((v) => ({ itemId: e.id, slug: e.slug, version: v.version, images: v.images }))), database) };
    } finally {
      database.close();
    }
  });

  app.get('/catalogue/:itemId', { schema: { tags, summary: 'One catalogue item (by id or name) with its versions, README, default values and values schema', params: catalogueItemParams, response: { 200: catalogueItemDetail } } }, async (request) => {
    const publishedOnly = !seesEverything(request);
    const item = await findItem(services.db, request.params.itemId);
    const [entry] = item ? await listCatalogue(services.db, { publishedOnly, itemId: item.id }) : [];
    if (!entry) throw new Problem('notFound', bilingual('Élément introuvable dans le catalogue.', 'No such catalogue item.'));
    return presentItemDetail(entry, services.now());
  });

  app.post('/catalogue/:itemId/versions/:version/publish', { schema: { tags, summary: 'Publish a version for teams; blocking findings need a recorded exception (why, until when)', params: catalogueVersionParams, body: publishRequest, response: { 200: catalogueItem } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const body = request.body ?? {};
    const published = await publishVersion(services.db, {
      itemId: request.params.itemId,
      version: request.params.version,
      publishedBy: actor.kind === 'user' ? actor.userId : null,
      ...(body.exception ? { exception: { justification: body.exception.justification, expiresAt: new Date(body.exception.expiresAt) } } : {}),
      now: services.now(),
    });
    await recordAudit(services.db, actor, request.id, { action: 'catalogue.publish', targetType: 'catalogue-version', targetId: published.id, after: { version: published.version, verdict: published.verdict, exception: published.exception } });
    // Each instance of an older version gets its upgrade proposal now, in its project's audit log too.
    await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      for (const proposal of await recordUpgradeProposals(tx, published, services.now())) await audit(upgradeProposedAudit(proposal));
    });
    const [entry] = await listCatalogue(services.db, { publishedOnly: false, itemId: published.itemId });
    return presentItem(entry!, services.now());
  });

  app.put('/catalogue/:itemId/installs', { schema: { tags, summary: 'Declare the operator version the host runs on each cluster (managed services)', params: catalogueItemParams, body: operatorInstallsUpdate, response: { 200: catalogueItem } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const wanted = request.body.installs;
    const seen = new Set<string>();
    for (const [index, install] of wanted.entries()) {
      if (!operatorVersionPattern.test(install.operatorVersion)) {
        throw new Problem('validation', bilingual(`Version « ${install.operatorVersion.slice(0, 64)} » invalide.`, `Invalid version "${install.operatorVersion.slice(0, 64)}".`), [
          { field: `installs/${index}/operatorVersion`, message: bilingual('une version : lettres, chiffres, « . », « - », « + » ou « _ », sans espace (par exemple 1.25.1)', 'a version: letters, digits, ".", "-", "+" or "_", no space (for example 1.25.1)') },
        ]);
      }
      if (seen.has(install.clusterId)) throw new Problem('validation', bilingual('Un cluster a une seule version installée par opérateur.', 'A cluster has one installed version per operator.'), [{ field: `installs/${index}/clusterId`, message: bilingual('cluster en double', 'duplicate cluster') }]);
      seen.add(install.clusterId);
      const [cluster] = await services.db.select({ id: clusters.id }).from(clusters).where(eq(clusters.id, install.clusterId));
      if (!cluster) throw new Problem('validation', bilingual('Cluster inconnu.', 'Unknown cluster.'), [{ field: `installs/${index}/clusterId`, message: bilingual('cluster inconnu', 'unknown cluster') }]);
    }
    await setOperatorInstalls(services.db, request.params.itemId, wanted);
    const item = await findItem(services.db, request.params.itemId);
    await recordAudit(services.db, actor, request.id, { action: 'catalogue.operator-installs', targetType: 'catalogue-item', targetId: item!.id, after: { installs: wanted } });
    const [entry] = await listCatalogue(services.db, { publishedOnly: false, itemId: item!.id });
    return presentItem(entry!, services.now());
  });

  // The Helm repository (no authentication: see the top of this file).
  app.get('/catalogue/repository/index.yaml', { schema: { tags, summary: 'Helm repository index of the published versions (for ArgoCD and helm; no authentication)' } }, async (_request, reply) => {
    return reply.type('application/x-yaml; charset=utf-8').header('cache-control', 'no-cache').send(await helmRepositoryIndex(services.db, services.now()));
  });

  app.get('/catalogue/repository/charts/:file', { schema: { tags, summary: 'Packaged chart of a published version (no authentication)', params: z.strictObject({ file: z.string().max(200) }) } }, async (request, reply) => {
    const parsed = parseArchiveFileName(request.params.file);
    const found = parsed ? await versionArchive(services.db, parsed.slug, parsed.version, { publishedOnly: true }) : undefined;
    if (!found) throw new Problem('notFound', bilingual('Aucune version publiée de ce nom.', 'No published version of this name.'));
    return reply.type('application/gzip').header('digest', `sha-256=${Buffer.from(found.digest.slice('sha256:'.length), 'hex').toString('base64')}`).header('cache-control', 'public, max-age=31536000, immutable').send(found.archive);
  });
}
