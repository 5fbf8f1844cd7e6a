// /api/v1/projects/{projectId}/conformity: the project's conformity to the catalogue, computed from its last
// certified runs, attestations, derogations and not-applicable declarations by the one pure evaluator; its
// history (one point per change, for the trend); and the deployment gate as seen from one environment.
import { deliveryMeasures } from '../../catalogue/observed-facts.ts';
import { defaultConformityPolicy } from '../../catalogue/policy.ts';
import type { ProjectFacts } from '../../catalogue/facts.ts';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { currentCatalogue, findRequirement } from '../../catalogue/catalogue.ts';
import { evaluateConformity, type ConformityResult } from '../../catalogue/conformity.ts';
import { rulesByRequirement } from '../../catalogue/requirement-rules.ts';
import { conformitySnapshots } from '../../db/schema.ts';
import { parseInstant } from '../../domain/derogation.ts';
import { evaluateDeploymentGate } from '../../homologation/deployment-gate.ts';
import { gatherProjectFacts } from '../../homologation/facts.ts';
import { recomputeProjectConformity } from '../../homologation/recompute.ts';
import { authorizeProjectRead } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { conformity, conformityQuery, historyPage, historyQuery, projectParams } from '../schemas/conformity.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['homologation'];

/** `?at=`: an instant with its offset (the same instant everywhere), else a 400 saying how to write it. */
/** The DORA measures shown with the conformity (EX17), when the platform observed the project. */
function deliveryOf(facts: ProjectFacts): { delivery?: NonNullable<ReturnType<typeof deliveryMeasures>> } {
  const measures = deliveryMeasures(facts, facts.policy ?? defaultConformityPolicy);
  return measures ? { delivery: measures } : {};
}

export function instantParameter(value: string | undefined, field = 'at'): Date | undefined {
  if (value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === undefined) throw new Problem('validation', bilingual('Utilisez un horodatage ISO 8601 avec fuseau, par exemple 2027-01-31T23:59:59+01:00.', 'Use an ISO 8601 instant with its offset, e.g. 2027-01-31T23:59:59+01:00.'), [{ field, message: bilingual('horodatage ISO 8601 avec fuseau attendu', 'ISO 8601 instant with offset expected') }]);
  return new Date(ms);
}

/**
 * The evaluator's result with what a reader needs next to an id: the requirement's title, and the check rules that
 * establish it (the console links each to its rule page; the open findings and the run are already in the targets).
 */
function withTitles(result: ConformityResult): z.infer<typeof conformity> {
  const rules = rulesByRequirement(currentCatalogue);
  const requirements = result.requirements.map((r) => {
    const title = findRequirement(r.id, currentCatalogue)?.title;
    const ruleIds = rules.get(r.id);
    return { ...r, ...(title ? { title } : {}), ...(ruleIds ? { rules: ruleIds } : {}) };
  });
  return { ...result, requirements } as unknown as z.infer<typeof conformity>;
}

export default async function conformityRoutes(app: App, services: Services): Promise<void> {
  app.get(
    '/projects/:projectId/conformity',
    { schema: { tags, summary: 'Conformity of a project: state, reasons and evidence per requirement, scores (now, or ?at= an instant)', params: projectParams, querystring: conformityQuery, response: { 200: conformity } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const at = instantParameter(request.query.at);
      const environmentId = request.query.environmentId;
      if (at === undefined && environmentId === undefined) {
        // Looking at the conformity now also records it when it changed (an expiry nobody else noticed).
        const recorded = await recomputeProjectConformity(
          services.db,
          projectId,
          services.now(),
          currentCatalogue,
          services.config.conformity,
        );
        if (!recorded) throw new Problem('notFound', bilingual('Projet introuvable, ou vous n’y avez pas accès.', 'No such project, or you cannot see it.'));
        return { ...withTitles(recorded.result), ...deliveryOf(recorded.facts) };
      }
      const facts = await gatherProjectFacts(services.db, projectId, {
        policy: services.config.conformity,
        now: at ?? services.now(),
      });
      if (!facts) throw new Problem('notFound', bilingual('Projet introuvable, ou vous n’y avez pas accès.', 'No such project, or you cannot see it.'));
      if (environmentId !== undefined && !facts.environments.some((e) => e.id === environmentId)) {
        throw new Problem('validation', bilingual('Cet environnement n’appartient pas au projet.', 'This environment is not one of the project’s.'), [{ field: 'environmentId', message: bilingual('environnement inconnu dans ce projet', 'unknown environment in this project') }]);
      }
      return {
        ...withTitles(
          evaluateConformity(
            currentCatalogue,
            facts,
            at ?? services.now(),
            environmentId !== undefined ? { environmentId } : {},
          ),
        ),
        ...deliveryOf(facts),
      };
    },
  );

  app.get(
    '/projects/:projectId/conformity/history',
    { schema: { tags, summary: 'History of the conformity (one point each time it changed), oldest first', params: projectParams, querystring: historyQuery, response: { 200: historyPage } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, 2);
      const rows = await services.db
        .select()
        .from(conformitySnapshots)
        .where(
          and(
            eq(conformitySnapshots.projectId, projectId),
            after ? sql`(${conformitySnapshots.evaluatedAt}, ${conformitySnapshots.id}) > (${String(after[0])}::timestamptz, ${Number(after[1])})` : undefined,
          ),
        )
        .orderBy(asc(conformitySnapshots.evaluatedAt), asc(conformitySnapshots.id))
        .limit(limit + 1);
      return toPage(
        rows,
        limit,
        (r) => [r.evaluatedAt.toISOString(), r.id],
        (r) => {
          const s = r.snapshot as Record<string, any>;
          return {
            evaluatedAt: r.evaluatedAt.toISOString(),
            catalogueVersion: r.catalogueVersion,
            P: s.P,
            I: s.I,
            states: s.states ?? {},
            changes: s.changes ?? [],
          };
        },
      );
    },
  );

  app.get(
    '/projects/:projectId/deployment-gate',
    {
      schema: {
        tags,
        summary: 'Would a deployment to this environment pass the homologation gate? (production stages: every P requirement satisfied or derogated)',
        params: projectParams,
        querystring: z.strictObject({ environmentId: z.uuid(), at: z.string().max(60).optional() }),
      },
    },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const now = instantParameter(request.query.at) ?? services.now();
      const gate = await evaluateDeploymentGate(
        services.db,
        projectId,
        request.query.environmentId,
        now,
        services.config.conformity,
      );
      if (!gate) throw new Problem('notFound', bilingual('Environnement introuvable dans ce projet, ou vous n’y avez pas accès.', 'No such environment in this project, or you cannot see it.'));
      return {
        outcome: gate.outcome,
        unmet: gate.unmet,
        environment: gate.environment,
        evaluatedAt: gate.conformity.evaluatedAt,
        catalogueVersion: gate.conformity.catalogueVersion,
      };
    },
  );
}
