// Chain runs: started by the primary chain (service-account token), a person or the nightly re-scan; read with
// their steps, logs (Server-Sent Events while running, plain text after), findings, SARIF, SBOM and evidence.
// Also the repository settings the chain needs (inbound webhook secret, commit-status token). The chain runtime
// (queue, workers, sweeper) is built and started by the composition root; routes only trigger runs.
import { randomBytes } from 'node:crypto';
import { note, stepNoteText } from '../../chain/step-notes.ts';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { repositories, repositoryChainSettings, runArtifacts, runLogChunks, runSteps, runs } from '../../db/schema.ts';
import type { CheckReport } from '../../checks/engine.ts';
import type { Finding } from '../../checks/model.ts';
import { evidenceManifest } from '../../chain/evidence.ts';
import { loadArtifact } from '../../chain/artifacts.ts';
import type { Unevaluated } from '../../checks/unevaluated.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { auditRunCancelled, auditRunStarted } from '../../audit/run-events.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead } from '../authorize.ts';
import { adminAccess } from '../../domain/permissions.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { currentEndpointUrlPolicy } from '../../chain/url-allow-list.ts';
import { requireAllowedUrl } from '../outbound-url.ts';
import { commitStatusSettings, findingPage, findingsQuery, presentRun, nightlyRescanStarted, projectRepositoryParams, run, runListQuery, runPage, runParams, runStart, terminalStatuses, webhookSecret } from '../schemas/runs.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['runs'];
const artifactKinds = z.enum(['check-report', 'sarif', 'sbom', 'tests', 'gate', 'runtime']);

type FindingStatus = 'new' | 'existing' | 'fixed';
/** A run's findings in a fixed order (the report's, then the fixed ones): a position is a stable keyset cursor. */
interface IndexedFindings {
  rows: { finding: Finding; status: FindingStatus }[];
  summary: CheckReport['summary'];
  gate: CheckReport['gate'] | null;
}

/**
 * Reports are immutable once stored, and parsing one with 10,000 findings for every page would dominate the
 * request: the last few parsed reports are kept, keyed by run and content hash.
 */
const indexedCache = new Map<string, IndexedFindings>();
const indexedCacheSize = 8;

function matchesRule(ruleId: string, wanted: string): boolean {
  return wanted.endsWith('*') ? ruleId.startsWith(wanted.slice(0, -1)) : ruleId === wanted;
}
function matchesFile(file: string, wanted: string): boolean {
  const folder = wanted.replace(/\/+$/, '');
  return file === wanted || file.startsWith(`${folder}/`);
}

export default async function runRoutes(app: App, services: Services): Promise<void> {
  const runtime = services.chain;

  async function repositoryIn(projectId: string, repositoryId: string) {
    const [row] = await services.db.select().from(repositories).where(and(eq(repositories.id, repositoryId), eq(repositories.projectId, projectId))).limit(1);
    if (!row) throw new Problem('notFound', bilingual('Dépôt introuvable, ou vous n’y avez pas accès.', 'No such repository, or you cannot see it.'));
    return row;
  }

  /** The run, after checking the caller may read its project (404 otherwise: existence is not leaked). */
  async function readableRun(request: Parameters<typeof requireAuthenticated>[0], runId: string) {
    requireAuthenticated(request);
    const [row] = await services.db.select().from(runs).where(eq(runs.id, runId)).limit(1);
    if (!row) throw new Problem('notFound', bilingual('Exécution introuvable, ou vous n’y avez pas accès.', 'No such run, or you cannot see it.'));
    await authorizeProjectRead(services, request, row.projectId, 'runs.read', 'run');
    return row;
  }

  app.post(
    '/projects/:projectId/repositories/:repositoryId/runs',
    { schema: { tags, summary: 'Start the secondary chain on a revision (asynchronous: 202 with the queued run)', params: projectRepositoryParams, body: runStart, response: { 202: run } } },
    async (request, reply) => {
      const { projectId, repositoryId } = request.params;
      await authorizeProjectChange(services, request, projectId, 'runs.start', { what: 'repository' });
      await repositoryIn(projectId, repositoryId);
      const actor = request.actor;
      const created = await runtime.trigger({
        projectId,
        repositoryId,
        trigger: actor.kind === 'service-account' ? 'api' : 'manual',
        ref: request.body.ref,
        revision: request.body.revision,
        requestedBy: actor.kind === 'user' || actor.kind === 'service-account' ? actor.userId : actor.kind,
      });
      await auditRunStarted(services.db, actor, request.id, { ...created, revision: created.requestedRevision });
      return reply.code(202).send(presentRun(created));
    },
  );

  app.get(
    '/projects/:projectId/repositories/:repositoryId/runs',
    { schema: { tags, summary: 'Runs of a repository, newest first', params: projectRepositoryParams, querystring: runListQuery, response: { 200: runPage } } },
    async (request) => {
      const { projectId, repositoryId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'runs.read', 'repository');
      await repositoryIn(projectId, repositoryId);
      const { limit, cursor, status } = request.query;
      const after = decodeCursor(cursor, 2);
      const rows = await services.db
        .select()
        .from(runs)
        .where(
          and(
            eq(runs.repositoryId, repositoryId),
            status ? eq(runs.status, status) : undefined,
            after ? sql`(date_trunc('milliseconds', ${runs.createdAt}), ${runs.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(sql`date_trunc('milliseconds', ${runs.createdAt})`), desc(runs.id))
        .limit(limit + 1);
      return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id], (r) => presentRun(r));
    },
  );

  app.get('/runs/:runId', { schema: { tags, summary: 'One run: status, steps, verdict, commit, image digest', params: runParams, response: { 200: run } } }, async (request) => {
    const row = await readableRun(request, request.params.runId);
    const steps = await services.db.select().from(runSteps).where(eq(runSteps.runId, row.id));
    return presentRun(row, steps);
  });

  app.post('/runs/:runId/cancel', { schema: { tags, summary: 'Cancel a queued or running run', params: runParams, response: { 202: run } } }, async (request, reply) => {
    const row = await readableRun(request, request.params.runId);
    await authorizeProjectChange(services, request, row.projectId, 'runs.start', { what: 'run' });
    if (terminalStatuses.has(row.status)) throw new Problem('conflict', bilingual(`Cette exécution est déjà terminée (${row.status}).`, `This run is already finished (${row.status}).`));
    const [updated] = await services.db
      .update(runs)
      .set({
        cancelRequested: true,
        // A run nobody executes yet is cancelled at once; a running one is stopped by its executor within a second or so (the running step's processes are killed).
        ...(row.status === 'queued' ? { status: 'cancelled' as const, finishedAt: sql`now()`, message: stepNoteText(note('run.cancelled')).fr, note: note('run.cancelled') } : {}),
      })
      .where(eq(runs.id, row.id))
      .returning();
    await auditRunCancelled(services.db, request.actor, request.id, row);
    if (row.status === 'queued') await services.db.update(runSteps).set({ status: 'cancelled' }).where(and(eq(runSteps.runId, row.id), eq(runSteps.status, 'pending')));
    return reply.code(202).send(presentRun(updated ?? row));
  });

  app.get(
    '/runs/:runId/logs',
    { schema: { tags, summary: 'Log of a run: text/event-stream while it runs, text/plain once finished', params: runParams, querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }) } },
    async (request, reply) => {
      const row = await readableRun(request, request.params.runId);
      const chunksAfter = (id: number) =>
        services.db.select().from(runLogChunks).where(and(eq(runLogChunks.runId, row.id), gt(runLogChunks.id, id))).orderBy(asc(runLogChunks.id)).limit(200);
      if (terminalStatuses.has(row.status)) {
        let last = request.query.after ?? 0;
        const parts: string[] = [];
        for (;;) {
          const chunks = await chunksAfter(last);
          for (const c of chunks) parts.push(c.text);
          if (chunks.length < 200) break;
          last = chunks.at(-1)!.id;
        }
        return reply.type('text/plain; charset=utf-8').send(parts.join(''));
      }
      // Server-Sent Events: each chunk is an event (id = chunk id, so a client can resume with Last-Event-ID).
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
      const lastEventId = Number(request.headers['last-event-id']);
      let last = Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : (request.query.after ?? 0);
      let open = true;
      request.raw.on('close', () => {
        open = false;
      });
      const send = (event: string, id: number | undefined, data: string) => {
        res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\n${data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`);
      };
      const deadline = Date.now() + 60 * 60 * 1000;
      while (open && Date.now() < deadline) {
        const chunks = await chunksAfter(last);
        for (const c of chunks) {
          send('log', c.id, c.text.replace(/\n$/, ''));
          last = c.id;
        }
        if (chunks.length === 200) continue;
        const [current] = await services.db.select({ status: runs.status }).from(runs).where(eq(runs.id, row.id)).limit(1);
        if (!current || terminalStatuses.has(current.status)) {
          const rest = await chunksAfter(last);
          for (const c of rest) send('log', c.id, c.text.replace(/\n$/, ''));
          send('end', undefined, JSON.stringify({ status: current?.status ?? 'unknown' }));
          break;
        }
        await new Promise((r) => setTimeout(r, 400));
      }
      res.end();
    },
  );

  async function artifact(runId: string, kind: z.infer<typeof artifactKinds>) {
    const [row] = await services.db.select().from(runArtifacts).where(and(eq(runArtifacts.runId, runId), eq(runArtifacts.kind, kind))).limit(1);
    if (!row) throw new Problem('notFound', bilingual(`Cette exécution n’a pas (encore) de ${kind} : voyez ses étapes.`, `This run has no ${kind} (yet): see its steps.`));
    return row;
  }

  /** The run's findings with their status; fixed ones come from the baseline (last certified run) report. */
  async function indexedFindings(runId: string): Promise<IndexedFindings> {
    const [meta] = await services.db.select({ sha256: runArtifacts.sha256 }).from(runArtifacts).where(and(eq(runArtifacts.runId, runId), eq(runArtifacts.kind, 'check-report'))).limit(1);
    if (!meta) throw new Problem('notFound', bilingual('Cette exécution n’a pas (encore) de rapport de vérification : voyez ses étapes.', 'This run has no check-report (yet): see its steps.'));
    const key = `${runId}:${meta.sha256}`;
    const cached = indexedCache.get(key);
    if (cached) {
      indexedCache.delete(key);
      indexedCache.set(key, cached);
      return cached;
    }
    const report = JSON.parse((await artifact(runId, 'check-report')).content) as CheckReport;
    const comparison = report.gate?.comparison;
    const fresh = new Set(comparison?.new ?? report.findings.map((f) => f.fingerprint));
    const rows: IndexedFindings['rows'] = report.findings.map((finding) => ({ finding, status: fresh.has(finding.fingerprint) ? 'new' : 'existing' }));
    if (comparison && comparison.fixed.length > 0) {
      // The checks step records which certified run it compared with; fixed findings are described there.
      const [step] = await services.db.select({ result: runSteps.result }).from(runSteps).where(and(eq(runSteps.runId, runId), eq(runSteps.name, 'checks'))).limit(1);
      const baselineRunId = typeof step?.result?.baselineRunId === 'string' ? step.result.baselineRunId : undefined;
      const [baseline] = baselineRunId
        ? await services.db.select({ content: runArtifacts.content }).from(runArtifacts).where(and(eq(runArtifacts.runId, baselineRunId), eq(runArtifacts.kind, 'check-report'))).limit(1)
        : [];
      if (baseline) {
        const fixed = new Set(comparison.fixed);
        for (const finding of (JSON.parse(baseline.content) as CheckReport).findings) if (fixed.has(finding.fingerprint)) rows.push({ finding, status: 'fixed' });
      }
    }
    const indexed: IndexedFindings = { rows, summary: report.summary, gate: report.gate ?? null };
    indexedCache.set(key, indexed);
    if (indexedCache.size > indexedCacheSize) indexedCache.delete(indexedCache.keys().next().value!);
    return indexed;
  }

  app.get(
    '/runs/:runId/findings',
    {
      schema: {
        tags,
        summary: 'Findings of a run, paginated (?limit, ?cursor) and filtered (?severity, ?ruleId, ?file, ?status=new|existing|fixed, ?scope=production|test); new = not in the last certified run',
        params: runParams,
        querystring: findingsQuery,
        response: { 200: findingPage },
      },
    },
    async (request) => {
      const row = await readableRun(request, request.params.runId);
      const { rows, summary, gate } = await indexedFindings(row.id);
      const { severity, ruleId, file, limit, cursor, scope } = request.query;
      // `new` is the older filter: true = new only; false = what was already there (fixed ones are not "in" this run).
      const status = request.query.status ?? (request.query.new === 'true' ? 'new' : request.query.new === 'false' ? 'existing' : undefined);
      const after = decodeCursor(cursor, 1);
      const start = after ? Number(after[0]) + 1 : 0;
      if (!Number.isInteger(start) || start < 0) throw new Problem('validation', bilingual('Ce curseur n’a pas été produit par cette API.', 'The cursor is not one this API produced.'), [{ field: 'cursor', message: bilingual('curseur invalide', 'invalid cursor') }]);
      const wanted = (r: IndexedFindings['rows'][number]) =>
        (!severity || r.finding.severity === severity) && (!ruleId || matchesRule(r.finding.ruleId, ruleId)) && (!file || matchesFile(r.finding.location.file, file)) && (status ? r.status === status : r.status !== 'fixed') &&
        (!scope || (scope === 'test') === (r.finding.scope !== undefined));
      // Without a status filter the list is the run's own findings; fixed ones are asked for explicitly.
      let total = 0;
      const page: { position: number; row: IndexedFindings['rows'][number] }[] = [];
      for (let position = 0; position < rows.length; position++) {
        const r = rows[position]!;
        if (!wanted(r)) continue;
        total++;
        if (position >= start && page.length <= limit) page.push({ position, row: r });
      }
      return {
        ...toPage(page, limit, (p) => [p.position], (p) => ({ ...p.row.finding, status: p.row.status, new: p.row.status === 'new' })),
        total,
        // A stored report without these figures (an older or hand-made one) still lists its findings.
        summary: { ...summary, findings: (summary as Partial<typeof summary>).findings ?? rows.length, bySeverity: (summary as Partial<typeof summary>).bySeverity ?? {} },
        gate: gate as unknown as Record<string, unknown> | null,
      };
    },
  );

  const download = (kind: z.infer<typeof artifactKinds>, fileName: string) => async (request: { params: { runId: string } } & Parameters<typeof requireAuthenticated>[0], reply: import('fastify').FastifyReply) => {
    const row = await readableRun(request, request.params.runId);
    const found = await artifact(row.id, kind);
    return reply
      .type(found.mediaType)
      .header('content-disposition', `attachment; filename="${fileName.replace('{id}', row.id)}"`)
      .header('digest', `sha-256=${Buffer.from(found.sha256, 'hex').toString('base64')}`)
      .send(found.content);
  };
  app.get('/runs/:runId/sarif', { schema: { tags, summary: 'SARIF 2.1.0 report of the run', params: runParams } }, download('sarif', 'run-{id}.sarif'));
  app.get('/runs/:runId/sbom', { schema: { tags, summary: 'CycloneDX SBOM of the run', params: runParams } }, download('sbom', 'run-{id}.cdx.json'));
  app.get('/runs/:runId/artifacts/:kind', { schema: { tags, summary: 'One artifact of the run (check-report, sarif, sbom, tests, gate, runtime: the image started in the sandbox)', params: z.strictObject({ runId: z.uuid(), kind: artifactKinds }) } }, async (request, reply) =>
    download(request.params.kind, `run-{id}-${request.params.kind}.json`)(request, reply),
  );

  app.get('/runs/:runId/evidence', { schema: { tags, summary: 'Evidence manifest: every artifact with its sha256, tool and rule versions, commit, image digest, times', params: runParams } }, async (request) => {
    const row = await readableRun(request, request.params.runId);
    const [steps, artifacts, [repository]] = await Promise.all([
      services.db.select().from(runSteps).where(eq(runSteps.runId, row.id)),
      services.db
        .select({ kind: runArtifacts.kind, mediaType: runArtifacts.mediaType, sha256: runArtifacts.sha256, size: runArtifacts.size, tool: runArtifacts.tool, createdAt: runArtifacts.createdAt })
        .from(runArtifacts)
        .where(eq(runArtifacts.runId, row.id)),
      services.db.select().from(repositories).where(eq(repositories.id, row.repositoryId)).limit(1),
    ]);
    if (!repository) throw new Problem('notFound', bilingual('Le dépôt de cette exécution a été supprimé.', 'The repository of this run was removed.'));
    // What the checks could not evaluate is part of the evidence: read from the run's check report.
    const report = await loadArtifact(services.db, row.id, 'check-report');
    let unevaluated: Unevaluated[] | undefined;
    try {
      unevaluated = report ? ((JSON.parse(report.content) as { unevaluated?: Unevaluated[] }).unevaluated ?? []) : undefined;
    } catch {
      unevaluated = undefined;
    }
    return evidenceManifest(row, steps, artifacts, repository, unevaluated);
  });

  app.post('/runs/nightly-rescan', { schema: { tags, summary: 'Run the nightly re-scan now (platform administrators)', response: { 202: nightlyRescanStarted } } }, async (request, reply) => {
    const actor = requireAuthenticated(request);
    if (adminAccess(actor) !== 'write') throw new Problem('forbidden', bilingual('Seuls les administrateurs de la plateforme peuvent lancer la nouvelle analyse.', 'Only platform administrators can start the re-scan.'));
    const created = await runtime.nightlyRescan();
    return reply.code(202).send({ created: created.map((r) => r.id) });
  });

  // Repository settings of the chain: the secret its forge signs push webhooks with, and the commit-status token.
  app.post(
    '/projects/:projectId/repositories/:repositoryId/webhook-secret',
    { schema: { tags, summary: 'Generate (or replace) the secret of the repository push webhook; shown only in this response', params: projectRepositoryParams, response: { 201: webhookSecret } } },
    async (request, reply) => {
      const { projectId, repositoryId } = request.params;
      await authorizeProjectChange(services, request, projectId, 'repositories.manage', { what: 'repository' });
      await repositoryIn(projectId, repositoryId);
      const secret = randomBytes(32).toString('base64url');
      const sealed = services.secretBox.seal(secret);
      await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        await tx.insert(repositoryChainSettings).values({ repositoryId, webhookSecretSealed: sealed }).onConflictDoUpdate({ target: repositoryChainSettings.repositoryId, set: { webhookSecretSealed: sealed, updatedAt: services.now() } });
        await audit({ action: 'repository.webhook-secret', targetType: 'repository', targetId: repositoryId, projectId, after: { secret: '[redacted]' } });
      });
      const base = `${services.config.publicUrl}/api/v1/hooks`;
      return reply.code(201).send({ secret, gitlabUrl: `${base}/gitlab/${repositoryId}`, githubUrl: `${base}/github/${repositoryId}` });
    },
  );

  app.put(
    '/projects/:projectId/repositories/:repositoryId/commit-status',
    { schema: { tags, summary: 'Send the verdict of each run as a commit status to GitLab or GitHub (token stored sealed, never returned)', params: projectRepositoryParams, body: commitStatusSettings, response: { 204: z.null() } } },
    async (request, reply) => {
      const { projectId, repositoryId } = request.params;
      await authorizeProjectChange(services, request, projectId, 'repositories.manage', { what: 'repository' });
      await repositoryIn(projectId, repositoryId);
      const { forge, apiUrl, project, token } = request.body;
      await requireAllowedUrl(apiUrl, await currentEndpointUrlPolicy(services), 'apiUrl');
      const values = { statusForge: forge, statusApiUrl: apiUrl, statusProject: project, statusTokenSealed: services.secretBox.seal(token), updatedAt: services.now() };
      await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        await tx.insert(repositoryChainSettings).values({ repositoryId, ...values }).onConflictDoUpdate({ target: repositoryChainSettings.repositoryId, set: values });
        await audit({ action: 'repository.commit-status', targetType: 'repository', targetId: repositoryId, projectId, after: { forge, apiUrl, project, token: '[redacted]' } });
      });
      return reply.code(204).send(null);
    },
  );
}
