// Asking for a deployment: only a certified revision of the project's infrastructure repository, and to a
// production stage only with `deployments.production` and through the homologation gate (enforce blocks, audit
// records the warnings). The request writes the desired state and returns; the gitops reconcile commits it.
import { and, desc, eq, inArray, like } from 'drizzle-orm';
import { inAuditedTransaction } from '../audit/record.ts';
import { certifiedRevisions, deployments, environments, projects, stages, type DeploymentAction } from '../db/schema.ts';
import { mirrorPath } from '../chain/paths.ts';
import { measureChangeSize } from './change-size.ts';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Actor } from '../domain/actor.ts';
import type { ProjectPermission } from '../domain/permissions.ts';
import { bilingual, Problem } from '../errors.ts';
import type { Services } from '../system/services.ts';
import type { ConformityPolicy } from '../catalogue/policy.ts';
import { evaluateDeploymentGate } from '../homologation/deployment-gate.ts';
import { infrastructureRepository } from './desired-state.ts';

export type DeploymentRow = typeof deployments.$inferSelect;
type EnvironmentRow = typeof environments.$inferSelect;

/** The homologation gate as this module needs it (one line to swap). */
export type GateCheck = (db: Db, projectId: string, environmentId: string, now: Date, policy?: ConformityPolicy) => Promise<{ outcome: 'allowed' | 'allowed-with-warnings' | 'blocked'; unmet: { id: string }[]; environment: { gateMode: 'audit' | 'enforce' } } | undefined>;
export const homologationGate: GateCheck = evaluateDeploymentGate;

export async function loadEnvironment(
  db: Db,
  projectId: string,
  environmentId: string,
): Promise<{ environment: EnvironmentRow; stage: typeof stages.$inferSelect }> {
  const [row] = await db
    .select({ environment: environments, stage: stages })
    .from(environments)
    .innerJoin(stages, eq(stages.id, environments.stageId))
    .where(and(eq(environments.id, environmentId), eq(environments.projectId, projectId)))
    .limit(1);
  if (!row)
    throw new Problem(
      'notFound',
      bilingual(
        'Environnement introuvable dans ce projet, ou vous n’y avez pas accès.',
        'No such environment in this project, or you cannot see it.',
      ),
    );
  return row;
}

/** The certified revision of the infrastructure repository matching `revision` (full id, or a unique prefix of 7+). */
async function certified(db: Db, projectId: string, revision: string) {
  const repository = await infrastructureRepository(db, projectId);
  if (!repository) throw new Problem('unprocessable', bilingual('Le projet n’a pas de dépôt d’infrastructure à déployer : ajoutez d’abord un dépôt de nature « infrastructure ».', 'The project has no infrastructure repository to deploy from: add a repository of kind "infrastructure" first.'), [{ field: 'revision', message: bilingual('aucun dépôt d’infrastructure', 'no infrastructure repository') }], { reason: 'no-infrastructure-repository' });
  const wanted = revision.toLowerCase();
  const rows = await db
    .select()
    .from(certifiedRevisions)
    .where(and(eq(certifiedRevisions.repositoryId, repository.id), wanted.length >= 40 ? eq(certifiedRevisions.commitSha, wanted) : like(certifiedRevisions.commitSha, `${wanted}%`)))
    .orderBy(desc(certifiedRevisions.certifiedAt))
    .limit(5);
  const commits = new Set(rows.map((r) => r.commitSha));
  if (commits.size === 0) {
    throw new Problem('unprocessable', bilingual(`La révision ${revision} du dépôt d’infrastructure « ${repository.name} » n’est pas certifiée : seules les révisions certifiées par la chaîne secondaire peuvent être déployées. Lancez une exécution sur cette révision et déployez-la une fois certifiée.`, `Revision ${revision} of the infrastructure repository "${repository.name}" is not certified: only revisions certified by the secondary chain can be deployed. Start a run on it and deploy once it is certified.`), [{ field: 'revision', message: bilingual('non certifiée', 'not certified') }], { reason: 'revision-not-certified' });
  }
  if (commits.size > 1) throw new Problem('unprocessable', bilingual(`Le préfixe de révision ${revision} correspond à plusieurs commits certifiés : donnez plus de chiffres.`, `Revision prefix ${revision} matches several certified commits; give more digits.`), [{ field: 'revision', message: bilingual('ambiguë', 'ambiguous') }], { reason: 'revision-ambiguous' });
  return { repository, certification: rows[0]! };
}

export interface DeploymentAsk {
  action: DeploymentAction;
  revision: string;
  fromEnvironmentId?: string;
}

/** Who asks (the API passes its request: the actor and the request id for the audit trail). */
export interface DeploymentRequester {
  actor: Actor;
  id: string;
}

/** The asker's rights in the project, as authorisation resolved them. */
export interface DeploymentGrant {
  project: { id: string };
  permissions: ReadonlySet<ProjectPermission>;
}

export async function requestDeployment(
  services: Services,
  request: DeploymentRequester,
  access: DeploymentGrant,
  environmentId: string,
  ask: DeploymentAsk,
): Promise<DeploymentRow> {
  const { db } = services;
  const projectId = access.project.id;
  const { environment, stage } = await loadEnvironment(db, projectId, environmentId);
  const { repository, certification } = await certified(db, projectId, ask.revision);
  let gate: DeploymentRow['gate'] = null;
  if (stage.production) {
    if (!access.permissions.has('deployments.production')) {
      throw new Problem(
        'forbidden',
        bilingual(
          'Votre rôle dans ce projet n’inclut pas la permission « deployments.production ».',
          'Your role in this project does not include the permission "deployments.production".',
        ),
      );
    }
    const decision = await homologationGate(db, projectId, environment.id, services.now(), services.config.conformity);
    if (!decision)
      throw new Problem(
        'notFound',
        bilingual(
          'Environnement introuvable dans ce projet, ou vous n’y avez pas accès.',
          'No such environment in this project, or you cannot see it.',
        ),
      );
    gate = { outcome: decision.outcome, mode: decision.environment.gateMode, unmet: decision.unmet.map((u) => u.id) };
    if (decision.outcome === 'blocked') {
      throw new Problem(
        'unprocessable',
        bilingual(
          `La porte d’homologation bloque ce déploiement en production : exigences non satisfaites ${gate.unmet.join(', ')} (zone en mode bloquant). Satisfaites-les, attestez-les ou obtenez une dérogation.`,
          `The homologation gate blocks this production deployment: requirements not met ${gate.unmet.join(', ')} (zone in enforce mode). Meet them, attest them, or obtain a derogation.`,
        ),
        gate.unmet.map((id) => ({ field: 'revision', message: bilingual(`${id} non satisfaite`, `${id} not met`) })),
        { reason: 'homologation-gate-blocked', unmet: gate.unmet },
      );
    }
  }
  const changeSize = await changeSizeOf(services, projectId, environment.id, repository, certification.commitSha);
  const row = await inAuditedTransaction(db, request.actor, request.id, async (tx, audit) => {
    const [created] = await tx
      .insert(deployments)
      .values({
        projectId,
        environmentId: environment.id,
        repositoryId: repository.id,
        revision: certification.commitSha,
        certifiedRevisionId: certification.id,
        imageDigest: certification.imageDigest,
        action: ask.action,
        fromEnvironmentId: ask.fromEnvironmentId ?? null,
        gate,
        changeSize: changeSize ?? null,
        message:
          gate?.outcome === 'allowed-with-warnings'
            ? `Deployed despite unmet requirements (zone in audit mode): ${gate.unmet.join(', ')}.`
            : null,
        requestedBy:
          request.actor.kind === 'user' || request.actor.kind === 'service-account'
            ? request.actor.userId
            : request.actor.kind,
        createdAt: services.now(),
      })
      .returning();
    if (!created) throw new Error('insert returned nothing');
    // The environment's desired state changed: it is pending until the reconcile commits it.
    await tx
      .update(environments)
      .set({ generation: sql`${environments.generation} + 1`, status: 'pending', updatedAt: services.now() })
      .where(eq(environments.id, environment.id));
    await audit({
      action: `deployment.${ask.action}`,
      targetType: 'environment',
      targetId: environment.id,
      projectId,
      after: {
        deploymentId: created.id,
        revision: created.revision,
        repository: repository.name,
        fromEnvironmentId: created.fromEnvironmentId,
        gate,
      },
    });
    return created;
  });
  await services.requestReconcile({ kind: 'environment', id: environment.id, projectId });
  return row;
}

/** Change size against the revision the environment runs now (DORA); undefined when it cannot be measured. */
async function changeSizeOf(
  services: Services,
  projectId: string,
  environmentId: string,
  repository: { id: string; name: string },
  revision: string,
) {
  try {
    const previous = await currentRevision(services.db, environmentId);
    if (!previous || previous.repositoryId !== repository.id) return undefined;
    const [project] = await services.db
      .select({ slug: projects.slug })
      .from(projects)
      .where(eq(projects.id, projectId))
      .limit(1);
    if (!project) return undefined;
    return await measureChangeSize(
      mirrorPath(services.config.dataDir, project.slug, repository.name),
      previous.revision,
      revision,
    );
  } catch (error) {
    // A measure never stands in the way of a deployment.
    services.logger.warn({ err: error, projectId }, 'change size not measured');
    return undefined;
  }
}

/** The revision an environment runs or is about to run (its latest deployment not refused at render time). */
export async function currentRevision(db: Db, environmentId: string): Promise<DeploymentRow | undefined> {
  const [row] = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.environmentId, environmentId), inArray(deployments.status, ['pending', 'committed'])))
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .limit(1);
  return row;
}

/** Same revision, next stage: `from` must be on an earlier stage (by position) than the target. */
export async function promotionRevision(
  db: Db,
  projectId: string,
  fromEnvironmentId: string,
  targetEnvironmentId: string,
): Promise<string> {
  if (fromEnvironmentId === targetEnvironmentId)
    throw new Problem(
      'unprocessable',
      bilingual(
        'Promouvez depuis un autre environnement du projet.',
        'Promote from another environment of the project.',
      ),
      [{ field: 'from', message: bilingual('même environnement', 'same environment') }],
    );
  const from = await loadEnvironment(db, projectId, fromEnvironmentId).catch(() => {
    throw new Problem(
      'unprocessable',
      bilingual(
        'L’environnement d’origine de la promotion n’appartient pas à ce projet.',
        'The environment to promote from is not one of this project.',
      ),
      [{ field: 'from', message: bilingual('environnement inconnu', 'unknown environment') }],
    );
  });
  const target = await loadEnvironment(db, projectId, targetEnvironmentId);
  if (from.stage.position >= target.stage.position) {
    throw new Problem(
      'unprocessable',
      bilingual(
        `Une promotion va seulement vers l’avant : « ${from.environment.name} » (${from.stage.slug}) n’est pas sur un type d’environnement antérieur à « ${target.environment.name} » (${target.stage.slug}).`,
        `Promotion goes forward only: "${from.environment.name}" (${from.stage.slug}) is not on a stage before "${target.environment.name}" (${target.stage.slug}).`,
      ),
      [{ field: 'from', message: bilingual('pas un type d’environnement antérieur', 'not an earlier stage') }],
      { reason: 'promotion-backwards' },
    );
  }
  const current = await currentRevision(db, fromEnvironmentId);
  if (!current)
    throw new Problem(
      'unprocessable',
      bilingual(
        `Rien n’est encore déployé sur « ${from.environment.name} » : il n’y a pas de révision à promouvoir.`,
        `Nothing is deployed on "${from.environment.name}" yet: there is no revision to promote.`,
      ),
      [{ field: 'from', message: bilingual('rien de déployé', 'nothing deployed') }],
      { reason: 'nothing-to-promote' },
    );
  return current.revision;
}

/** The previous revision the environment ran (different from its current one), to roll back to. */
export async function rollbackRevision(db: Db, environmentId: string): Promise<string> {
  const current = await currentRevision(db, environmentId);
  if (!current) throw new Problem('unprocessable', bilingual('Rien n’est déployé sur cet environnement : il n’y a rien à annuler.', 'Nothing is deployed on this environment: there is nothing to roll back.'), undefined, { reason: 'nothing-to-roll-back' });
  const history = await db
    .select({ revision: deployments.revision })
    .from(deployments)
    .where(and(eq(deployments.environmentId, environmentId), eq(deployments.status, 'committed')))
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .limit(200);
  const previous = history.find((h) => h.revision !== current.revision);
  if (!previous) throw new Problem('unprocessable', bilingual('Cet environnement n’a jamais exécuté d’autre révision : il n’y a rien vers quoi revenir.', 'This environment never ran another revision: there is nothing to roll back to.'), undefined, { reason: 'no-previous-revision' });
  return previous.revision;
}
