// Attestations: a person in a role the catalogue accepts for a requirement vouches for it, with evidence (a link,
// a text, or an uploaded document), until a date; past that date the requirement falls back to "awaiting
// attestation". Documents are uploaded first (size-limited, type checked from their bytes, stored in the database
// by content hash — the file name is a label, never a path), then referenced by the attestation.
import { currentCatalogue } from '../../catalogue/catalogue.ts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { findRequirement } from '../../catalogue/catalogue.ts';
import type { AttestedAssessment } from '../../catalogue/model.ts';
import { attestations, environments, evidenceDocuments } from '../../db/schema.ts';
import { downloadName, evidenceLabel, evidenceMaxBytes, evidenceMediaTypes, kindOfMediaType, sha256Hex, sniffEvidenceFile } from '../../homologation/evidence-document.ts';
import { recomputeProjectConformity } from '../../homologation/recompute.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated, type AuthenticatedActor } from '../auth/resolve-actor.ts';
import { authorizeProjectRead, requirePermission, requireUsagePolicyAccepted, type ProjectAccess, refuseLockedOrArchived } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { attestation, attestationCreate, attestationListQuery, attestationPage, attestationParams, evidenceDocument, evidenceUploadQuery, presentAttestation, presentEvidenceDocument } from '../schemas/attestations.ts';
import { projectParams } from '../schemas/conformity.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['homologation'];
const DAY_MS = 86_400_000;

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

// The refusals the console shows on a form field, in the user's language (the API's other texts stay English).
const fieldText = {
  tooLarge: { fr: (max: string) => `Les documents de preuve sont limités à ${max.replace('MB', 'Mo')}.`, en: (max: string) => `Evidence documents are limited to ${max}.` },
  unsupported: {
    fr: 'Documents de preuve acceptés : PDF, PNG, JPEG, texte (UTF-8), ODT et DOCX, reconnus d’après leur contenu et non leur nom.',
    en: 'Accepted evidence documents: PDF, PNG, JPEG, plain text (UTF-8), ODT and DOCX (recognised from their content, not their name).',
  },
  past: { fr: 'La fin de validité doit être dans le futur.', en: 'The end of validity must be in the future.' },
  tooLong: { fr: (id: string, days: number) => `Une attestation de ${id} vaut au plus ${days} jours.`, en: (id: string, days: number) => `An attestation of ${id} is valid for at most ${days} days.` },
};

/**
 * The role the actor attests with, among those the catalogue accepts: their project role (which must also grant
 * attestations.create), else a platform role (security officer, platform administrator). Undefined: none fits.
 */
function attestorRole(
  access: ProjectAccess,
  actor: AuthenticatedActor,
  accepted: readonly string[],
): string | undefined {
  if (access.role !== undefined && accepted.includes(access.role) && access.permissions.has('attestations.create'))
    return access.role;
  if (actor.kind === 'user') for (const role of actor.adminRoles) if (accepted.includes(role)) return role;
  return undefined;
}

/** A change in a project someone may not otherwise write to (a security officer attesting): lock, archive, policy. */
async function requireWritableProject(
  services: Services,
  access: ProjectAccess,
  actor: AuthenticatedActor,
): Promise<void> {
  await requireUsagePolicyAccepted(services.db, actor);
  refuseLockedOrArchived(access.project);
}

export default async function attestationRoutes(app: App, services: Services): Promise<void> {
  // Uploads are raw bytes whatever their declared type: the type is decided from the content.
  app.removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: evidenceMaxBytes }, (_request, body, done) => done(null, body));

  async function readable(request: FastifyRequest, attestationId: string) {
    requireAuthenticated(request);
    const [row] = await services.db.select().from(attestations).where(eq(attestations.id, attestationId)).limit(1);
    if (!row) throw new Problem('notFound', bilingual('Attestation introuvable, ou vous n’y avez pas accès.', 'No such attestation, or you cannot see it.'));
    await authorizeProjectRead(services, request, row.projectId, 'conformity.read', 'attestation');
    return row;
  }

  app.post(
    '/projects/:projectId/evidence-documents',
    {
      bodyLimit: evidenceMaxBytes,
      schema: {
        tags,
        summary: `Upload an evidence document (raw body, at most ${mib(evidenceMaxBytes)}: PDF, PNG, JPEG, text, ODT or DOCX), then reference it from an attestation`,
        params: projectParams,
        querystring: evidenceUploadQuery,
        response: { 201: evidenceDocument },
      },
      onRequest: async (request) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > evidenceMaxBytes) throw new Problem('payloadTooLarge', bilingual(fieldText.tooLarge.fr(mib(evidenceMaxBytes)), fieldText.tooLarge.en(mib(evidenceMaxBytes))), undefined, { maxBytes: evidenceMaxBytes });
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const actor = requireAuthenticated(request);
      const access = await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const mayAttest = access.permissions.has('attestations.create') || (actor.kind === 'user' && actor.adminRoles.some((r) => r === 'security-officer' || r === 'platform-admin'));
      if (!mayAttest) throw new Problem('forbidden', bilingual('Votre rôle dans ce projet n’inclut pas la permission « attestations.create ».', 'Your role in this project does not include the permission "attestations.create".'));
      await requireWritableProject(services, access, actor);
      const content = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (!content || content.length === 0) throw new Problem('validation', bilingual('Envoyez le document comme corps de la requête.', 'Send the document as the request body.'), [{ field: 'body', message: bilingual('vide', 'empty') }]);
      if (content.length > evidenceMaxBytes) throw new Problem('payloadTooLarge', bilingual(fieldText.tooLarge.fr(mib(evidenceMaxBytes)), fieldText.tooLarge.en(mib(evidenceMaxBytes))), undefined, { maxBytes: evidenceMaxBytes });
      const kind = sniffEvidenceFile(content);
      if (!kind) throw new Problem('unsupportedMediaType', fieldText.unsupported, undefined, { accepted: Object.values(evidenceMediaTypes) });
      const sha256 = sha256Hex(content);
      const label = evidenceLabel(request.query.name) ?? null;
      const stored = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        await tx
          .insert(evidenceDocuments)
          .values({ projectId, sha256, mediaType: evidenceMediaTypes[kind], size: content.length, label, content, uploadedBy: actor.kind === 'user' || actor.kind === 'service-account' ? actor.userId : null })
          .onConflictDoNothing({ target: [evidenceDocuments.projectId, evidenceDocuments.sha256] });
        const [row] = await tx
          .select({
            id: evidenceDocuments.id,
            projectId: evidenceDocuments.projectId,
            sha256: evidenceDocuments.sha256,
            mediaType: evidenceDocuments.mediaType,
            size: evidenceDocuments.size,
            label: evidenceDocuments.label,
            uploadedBy: evidenceDocuments.uploadedBy,
            createdAt: evidenceDocuments.createdAt,
          })
          .from(evidenceDocuments)
          .where(and(eq(evidenceDocuments.projectId, projectId), eq(evidenceDocuments.sha256, sha256)));
        if (!row) throw new Error('evidence document not stored');
        await audit({ action: 'evidence-document.upload', targetType: 'evidence-document', targetId: row.id, projectId, after: presentEvidenceDocument(row) });
        return row;
      });
      return reply.code(201).send(presentEvidenceDocument(stored));
    },
  );

  app.post(
    '/projects/:projectId/attestations',
    { schema: { tags, summary: 'Attest a requirement with evidence, until a date (roles accepted by the catalogue for that requirement)', params: projectParams, body: attestationCreate, response: { 201: attestation } } },
    async (request, reply) => {
      const { projectId } = request.params;
      const actor = requireAuthenticated(request);
      const access = await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const body = request.body;
      const requirement = findRequirement(body.requirement);
      if (!requirement) throw new Problem('validation', bilingual('Cette exigence n’est pas dans le référentiel.', 'This requirement is not in the catalogue.'), [{ field: 'requirement', message: bilingual('exigence inconnue', 'unknown requirement') }]);
      const part = requirement.assessments.find((a): a is AttestedAssessment => a.kind === 'attested');
      if (!part) throw new Problem('unprocessable', bilingual(`${requirement.id} ne s’établit pas par attestation (voir GET /api/v1/requirements).`, `${requirement.id} is not established by attestation (see GET /api/v1/requirements).`), [{ field: 'requirement', message: bilingual('ne s’atteste pas', 'not attested') }]);
      const role = attestorRole(access, actor, part.roles);
      if (!role) {
        if (!access.permissions.has('attestations.create') && !(actor.kind === 'user' && actor.adminRoles.length > 0)) requirePermission(access, 'attestations.create');
        throw new Problem('forbidden', bilingual(`${requirement.id} est attestée par : ${part.roles.join(', ')}.`, `${requirement.id} is attested by: ${part.roles.join(', ')}.`), undefined, { acceptedRoles: part.roles });
      }
      if (!part.evidence.includes(body.evidence.kind)) {
        throw new Problem('validation', bilingual(`${requirement.id} accepte comme preuve : ${part.evidence.join(', ')}.`, `${requirement.id} accepts as evidence: ${part.evidence.join(', ')}.`), [{ field: 'evidence/kind', message: bilingual('type de preuve non accepté pour cette exigence', 'kind not accepted for this requirement') }]);
      }
      await requireWritableProject(services, access, actor);
      const now = services.now();
      const validUntil = new Date(body.validUntil);
      if (validUntil.getTime() <= now.getTime()) throw new Problem('validation', fieldText.past, [{ field: 'validUntil', message: fieldText.past }]);
      if (validUntil.getTime() > now.getTime() + part.validityDays * DAY_MS) {
        const text = bilingual(
          fieldText.tooLong.fr(requirement.id, part.validityDays),
          fieldText.tooLong.en(requirement.id, part.validityDays),
        );
        throw new Problem('validation', text, [{ field: 'validUntil', message: text }]);
      }
      if (body.environmentId !== undefined) {
        const [env] = await services.db
          .select({ id: environments.id })
          .from(environments)
          .where(and(eq(environments.id, body.environmentId), eq(environments.projectId, projectId)))
          .limit(1);
        if (!env) throw new Problem('validation', bilingual('Cet environnement n’existe pas dans ce projet.', 'No such environment in this project.'), [{ field: 'environmentId', message: bilingual('environnement inconnu dans ce projet', 'unknown environment in this project') }]);
      }
      if (body.evidence.kind === 'document') {
        const [doc] = await services.db
          .select({ id: evidenceDocuments.id })
          .from(evidenceDocuments)
          .where(and(eq(evidenceDocuments.id, body.evidence.documentId), eq(evidenceDocuments.projectId, projectId)))
          .limit(1);
        if (!doc) throw new Problem('validation', bilingual('Ce document de preuve n’existe pas dans ce projet (téléversez-le d’abord).', 'No such evidence document in this project (upload it first).'), [{ field: 'evidence/documentId', message: bilingual('document inconnu', 'unknown document') }]);
      }
      const attestedBy = actor.kind === 'user' || actor.kind === 'service-account' ? actor.userId : undefined;
      if (!attestedBy) throw new Problem('forbidden', bilingual('Les attestations sont données par des personnes identifiées ou des comptes de service.', 'Attestations are given by identified people or service accounts.'));
      const evidence = Object.fromEntries(
        Object.entries(body.evidence).filter(([, v]) => v !== undefined),
      ) as typeof attestations.$inferInsert.evidence;
      const created = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(attestations)
          .values({
            projectId,
            requirement: requirement.id,
            environmentId: body.environmentId ?? null,
            attestedBy,
            role,
            evidence,
            attestedAt: now,
            validUntil,
          })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'attestation.create', targetType: 'attestation', targetId: row.id, projectId, after: presentAttestation(row, now) });
        return row;
      });
      try {
        await recomputeProjectConformity(services.db, projectId, now, currentCatalogue, services.config.conformity);
      } catch (error) {
        services.logger.warn({ err: error, projectId }, 'conformity recompute failed');
      }
      return reply.code(201).send(presentAttestation(created, now));
    },
  );

  app.get(
    '/projects/:projectId/attestations',
    { schema: { tags, summary: "A project's attestations, newest first (?requirement=)", params: projectParams, querystring: attestationListQuery, response: { 200: attestationPage } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const { limit, cursor, requirement } = request.query;
      const after = decodeCursor(cursor, 2);
      const now = services.now();
      const rows = await services.db
        .select()
        .from(attestations)
        .where(
          and(
            eq(attestations.projectId, projectId),
            requirement ? eq(attestations.requirement, requirement) : undefined,
            after ? sql`(${attestations.attestedAt}, ${attestations.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(attestations.attestedAt), desc(attestations.id))
        .limit(limit + 1);
      return toPage(rows, limit, (r) => [r.attestedAt.toISOString(), r.id], (r) => presentAttestation(r, now));
    },
  );

  app.get('/attestations/:attestationId', { schema: { tags, summary: 'One attestation', params: attestationParams, response: { 200: attestation } } }, async (request) =>
    presentAttestation(await readable(request, request.params.attestationId), services.now()),
  );

  app.get('/attestations/:attestationId/document', { schema: { tags, summary: "Download an attestation's evidence document", params: attestationParams } }, async (request, reply) => {
    const row = await readable(request, request.params.attestationId);
    if (row.evidence.kind !== 'document' || !row.evidence.documentId) throw new Problem('notFound', bilingual('Cette attestation n’a pas de document.', 'This attestation has no document.'));
    const [doc] = await services.db
      .select()
      .from(evidenceDocuments)
      .where(and(eq(evidenceDocuments.id, row.evidence.documentId), eq(evidenceDocuments.projectId, row.projectId)))
      .limit(1);
    if (!doc) throw new Problem('notFound', bilingual('Le document de cette attestation n’existe plus.', 'The document of this attestation is gone.'));
    const kind = kindOfMediaType(doc.mediaType) ?? 'text';
    return reply
      .header('content-type', doc.mediaType)
      .header('content-disposition', `attachment; filename="${downloadName(doc.label, kind, doc.sha256).replace(/"/g, '')}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('digest', `sha-256=${Buffer.from(doc.sha256, 'hex').toString('base64')}`)
      .send(doc.content);
  });
}
