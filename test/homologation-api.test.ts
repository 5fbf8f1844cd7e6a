// Continuous homologation through the API, on PGlite and PostgreSQL: the catalogue, derogations from request to
// expiry (decided only by another security officer), attestations that expire back to "awaiting", evidence
// uploads checked by content, the conformity history, the deployment gate, and the dossier (HTML and OSCAL,
// schema-valid).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents, derogations, environments, evidenceDocuments, members, stages } from '../src/db/schema.ts';
import { createPerson, describeApiOnDatabases, type TestActor } from './support/api-fixtures.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
function validatorFor(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL(`../src/catalogue/testdata/oscal/${file}`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const DAY = 86_400_000;
/** An instant `days` from now written with a +02:00 offset (the API must keep the same instant). */
function inDays(days: number): string {
  const d = new Date(Date.now() + days * DAY + 2 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+02:00`;
}
const stateOf = (body: any, id: string) => body.requirements.find((r: any) => r.id === id);

describeApiOnDatabases('homologation API', (ctx) => {
  const base = () => `/api/v1/projects/${ctx.world.projectId}`;
  const derogationCount = async () => Number((await ctx.system.services.db.select({ n: sql<number>`count(*)::int` }).from(derogations))[0]!.n);
  const request = (actor: string | TestActor, body: Record<string, unknown>) => ctx.call(actor, 'POST', `${base()}/derogations`, body);
  const valid = () => ({ requirement: 'EX29', justification: 'Image fournie par un éditeur, en cours de remplacement.', compensatingMeasures: 'Isolation réseau', expiresAt: inDays(10) });

  it('serves the catalogue, filtered by level and text, and the difference between versions', async () => {
    const all = await ctx.call('developer', 'GET', '/api/v1/requirements');
    expect(all.status).toBe(200);
    expect(all.body.requirements).toHaveLength(58);
    expect(all.body.version).toBe('2.0.0');
    const p = await ctx.call('developer', 'GET', '/api/v1/requirements?level=P');
    expect(p.body.requirements.length).toBeGreaterThan(0);
    expect(p.body.requirements.every((r: any) => r.level === 'P')).toBe(true);
    const q = await ctx.call('developer', 'GET', '/api/v1/requirements?q=EX29');
    expect(q.body.requirements.map((r: any) => r.id)).toEqual(['EX29']);
    const diff = await ctx.call('developer', 'GET', '/api/v1/requirements/diff?from=1.0.0&to=1.0.0');
    expect(diff.body).toMatchObject({ from: '1.0.0', to: '1.0.0', added: [], removed: [], changed: [] });
    // Version 2 establishes requirements by machine evidence that version 1 left to attestation.
    const v2 = await ctx.call('developer', 'GET', '/api/v1/requirements/diff?from=1.0.0&to=2.0.0');
    expect(v2.status).toBe(200);
    expect(v2.body.changed.map((c: any) => c.id)).toEqual(expect.arrayContaining(['EX5', 'EX10', 'EX34', 'EX56']));
    expect((await ctx.call('developer', 'GET', '/api/v1/requirements/diff?from=0.9')).status).toBe(400);
    expect((await ctx.call('anonymous', 'GET', '/api/v1/requirements')).status).toBe(401);
  });

  it('derogation: requested by the team, approved by a security officer, derogated until its exact instant, then not satisfied', async () => {
    const before = await ctx.call('owner', 'GET', `${base()}/conformity`);
    expect(before.status).toBe(200);
    expect(stateOf(before.body, 'EX29').state).toBe('not-satisfied');

    const asked = await request('developer', valid());
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: 'requested', effectiveStatus: 'requested', requirement: 'EX29' });
    const id = asked.body.id;

    // Nobody but a security officer decides.
    for (const actor of ['owner', 'platform-admin', 'admin-read-only', 'developer']) {
      const refused = await ctx.call(actor, 'POST', `/api/v1/derogations/${id}/decision`, { decision: 'approve', comment: 'ok' });
      expect(refused.status, actor).toBe(403);
    }
    expect((await ctx.call('other-project-member', 'POST', `/api/v1/derogations/${id}/decision`, { decision: 'approve' })).status).toBe(404);

    const approved = await ctx.call('security-officer', 'POST', `/api/v1/derogations/${id}/decision`, { decision: 'approve', comment: 'Accordé pour la durée du remplacement.' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', effectiveStatus: 'in-force', decisionComment: 'Accordé pour la durée du remplacement.', decidedByName: 'rssi', requestedByName: 'developer' });
    // The team and the dossier name the people, not their ids.
    const named = await ctx.call('read-only', 'GET', `${base()}/derogations`);
    expect(named.body.items.find((d: any) => d.id === id)).toMatchObject({ decidedByName: 'rssi', requestedByName: 'developer' });
    const dossier = await ctx.system.app.inject({ method: 'GET', url: `${base()}/dossier?format=html`, headers: { authorization: ctx.world.actors['read-only']!.authorization! } });
    expect(dossier.body).toContain('par rssi');
    expect(dossier.body).toContain('par developer');
    expect(dossier.body).not.toContain(String(approved.body.decidedBy));
    const end = approved.body.expiresAt as string;
    expect(end).toBe(asked.body.expiresAt);

    const now = await ctx.call('owner', 'GET', `${base()}/conformity`);
    expect(stateOf(now.body, 'EX29')).toMatchObject({ state: 'derogated', until: end });
    const justBefore = new Date(Date.parse(end) - 1).toISOString();
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity?at=${encodeURIComponent(justBefore)}`)).body, 'EX29').state).toBe('derogated');
    // The same instant written in another time zone ends it too.
    const sameInstantElsewhere = new Date(Date.parse(end)).toISOString().replace('Z', '+00:00');
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity?at=${encodeURIComponent(sameInstantElsewhere)}`)).body, 'EX29').state).toBe('not-satisfied');
    expect((await ctx.call('owner', 'GET', `${base()}/conformity?at=2027-01-01`)).status).toBe(400);

    // Already decided: a second decision conflicts.
    expect((await ctx.call('security-officer', 'POST', `/api/v1/derogations/${id}/decision`, { decision: 'reject', comment: 'non' })).status).toBe(409);

    const listed = await ctx.call('read-only', 'GET', `${base()}/derogations?status=in-force`);
    expect(listed.body.items.map((d: any) => d.id)).toContain(id);
    const queue = await ctx.call('security-officer', 'GET', '/api/v1/derogations?status=in-force');
    expect(queue.body.items.map((d: any) => d.id)).toContain(id);

    const history = await ctx.call('read-only', 'GET', `${base()}/conformity/history`);
    expect(history.status).toBe(200);
    const last = history.body.items.at(-1);
    expect(last.states.EX29).toBe('derogated');
    expect(last.changes).toContainEqual({ id: 'EX29', from: 'not-satisfied', to: 'derogated' });

    const audit = await ctx.system.services.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, id));
    expect(audit.map((a) => a.action).sort()).toEqual(['derogation.approve', 'derogation.request']);

    // Revoked early: what it covered is reopened at once.
    const revoked = await ctx.call('security-officer', 'POST', `/api/v1/derogations/${id}/revoke`, { comment: 'Image remplacée plus tôt.' });
    expect(revoked.body).toMatchObject({ status: 'revoked', effectiveStatus: 'revoked' });
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX29').state).toBe('not-satisfied');
  });

  it('a security officer never decides on their own request (403 with a clear reason); a rejection needs a comment', async () => {
    const officer = await createPerson(ctx.system.services.db, 'rssi-membre', { adminRoles: ['security-officer'] });
    await ctx.system.services.db.insert(members).values({ projectId: ctx.world.projectId, userId: officer.userId!, role: 'developer' });
    const asked = await request(officer, valid());
    expect(asked.status).toBe(201);
    const own = await ctx.call(officer, 'POST', `/api/v1/derogations/${asked.body.id}/decision`, { decision: 'approve', comment: 'moi' });
    expect(own.status).toBe(403);
    expect(own.body.reason).toBe('own-request');
    expect(own.body.detail).toMatch(/un autre responsable de la sécurité/);
    const noComment = await ctx.call('security-officer', 'POST', `/api/v1/derogations/${asked.body.id}/decision`, { decision: 'reject' });
    expect(noComment.status).toBe(400);
    const rejected = await ctx.call('security-officer', 'POST', `/api/v1/derogations/${asked.body.id}/decision`, { decision: 'reject', comment: 'Mesures insuffisantes.' });
    expect(rejected.body.status).toBe('rejected');
  });

  it('bad derogation requests are refused with a 4xx problem and store nothing', async () => {
    const count = await derogationCount();
    const cases: [string, Record<string, unknown>, number, string?][] = [
      ['no justification', { ...valid(), justification: '   ' }, 400, 'justification'],
      ['end in the past', { ...valid(), expiresAt: '2020-01-01T00:00:00Z' }, 400, 'expiresAt'],
      ['end beyond the maximum', { ...valid(), expiresAt: inDays(400) }, 400, 'expiresAt'],
      ['date without offset', { ...valid(), expiresAt: '2030-01-01T00:00:00' }, 400, 'expiresAt'],
      ['unknown requirement', { ...valid(), requirement: 'EX99' }, 400, 'requirement'],
      ['environment of another project', { ...valid(), scope: { environmentId: '00000000-0000-4000-8000-000000000000' } }, 400, 'scope/environmentId'],
    ];
    for (const [what, body, status, field] of cases) {
      const answer = await request('developer', body);
      expect(answer.status, what).toBe(status);
      expect(answer.headers['content-type'], what).toContain('application/problem+json');
      if (field) expect(answer.body.errors.map((e: any) => e.field), what).toContain(field);
    }
    expect((await ctx.call('other-project-member', 'POST', `${base()}/derogations`, valid())).status).toBe(404);
    expect((await ctx.call('read-only', 'POST', `${base()}/derogations`, valid())).status).toBe(403);
    expect(await derogationCount()).toBe(count);
  });

  it('attestations count until their end of validity, then the requirement awaits a new one', async () => {
    const validUntil = inDays(30);
    const given = await ctx.call('owner', 'POST', `${base()}/attestations`, { requirement: 'EX18', evidence: { kind: 'text', text: 'Procédure de gestion des incidents v3, validée en comité.' }, validUntil });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ role: 'owner', valid: true });
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX18').state).toBe('satisfied');
    const after = new Date(Date.parse(validUntil) + 1000).toISOString();
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity?at=${after}`)).body, 'EX18').state).toBe('awaiting-attestation');

    // Roles the catalogue does not accept for EX18, and people without the permission, are refused.
    expect((await ctx.call('security', 'POST', `${base()}/attestations`, { requirement: 'EX18', evidence: { kind: 'text', text: 'x' }, validUntil })).status).toBe(403);
    expect((await ctx.call('read-only', 'POST', `${base()}/attestations`, { requirement: 'EX18', evidence: { kind: 'text', text: 'x' }, validUntil })).status).toBe(403);
    expect((await ctx.call('owner', 'POST', `${base()}/attestations`, { requirement: 'EX18', evidence: { kind: 'text', text: 'x' }, validUntil: inDays(400) })).status).toBe(400);
    expect((await ctx.call('owner', 'POST', `${base()}/attestations`, { requirement: 'EX29', evidence: { kind: 'text', text: 'x' }, validUntil })).status).toBe(422);
    const listed = await ctx.call('read-only', 'GET', `${base()}/attestations?requirement=EX18`);
    expect(listed.body.items).toHaveLength(1);
  });

  it('evidence documents are checked by content and size, stored by hash, and downloaded back', async () => {
    const upload = (payload: Buffer, contentType: string, name?: string) =>
      ctx.system.app.inject({
        method: 'POST',
        url: `${base()}/evidence-documents${name ? `?name=${encodeURIComponent(name)}` : ''}`,
        headers: { authorization: ctx.world.actors.owner!.authorization!, 'content-type': contentType },
        payload,
      });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const stored = await upload(pdf, 'application/octet-stream', '../../etc/rapport d’audit.pdf');
    expect(stored.statusCode).toBe(201);
    const doc = stored.json();
    expect(doc).toMatchObject({ mediaType: 'application/pdf', size: pdf.length, label: 'rapport d_audit.pdf' });
    // The same bytes again: the same document.
    expect((await upload(pdf, 'application/pdf')).json().id).toBe(doc.id);
    // A PDF name on an executable is still refused: the type comes from the bytes.
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
    expect((await upload(elf, 'application/pdf', 'rapport.pdf')).statusCode).toBe(415);
    const tooLarge = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 'text/plain');
    expect(tooLarge.statusCode).toBe(413);
    expect((await upload(Buffer.from('plain text evidence\n'), 'text/plain')).json().mediaType).toBe('text/plain; charset=utf-8');
    const rows = await ctx.system.services.db.select({ n: sql<number>`count(*)::int` }).from(evidenceDocuments).where(eq(evidenceDocuments.projectId, ctx.world.projectId));
    expect(Number(rows[0]!.n)).toBe(2);

    const attested = await ctx.call('devops', 'POST', `${base()}/attestations`, { requirement: 'EX53', evidence: { kind: 'document', documentId: doc.id, title: 'Audit' }, validUntil: inDays(30) });
    expect(attested.status).toBe(201);
    expect(attested.body.downloadUrl).toBe(`/api/v1/attestations/${attested.body.id}/document`);
    const download = await ctx.system.app.inject({ method: 'GET', url: attested.body.downloadUrl, headers: { authorization: ctx.world.actors['read-only']!.authorization! } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe('attachment; filename="rapport d_audit.pdf"');
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await ctx.call('other-project-member', 'GET', attested.body.downloadUrl)).status).toBe(404);
  });

  it('deployment gate: a production environment of an enforce zone is blocked while P requirements are unmet', async () => {
    const db = ctx.system.services.db;
    const [prod] = await db.select().from(stages).where(eq(stages.slug, 'prod'));
    const [env] = await db.insert(environments).values({ projectId: ctx.world.projectId, name: 'production', stageId: prod!.id, clusterId: ctx.world.clusterId, cpuMillicores: 100, memoryMiB: 128 }).returning();
    const gate = await ctx.call('developer', 'GET', `${base()}/deployment-gate?environmentId=${env!.id}`);
    expect(gate.status).toBe(200);
    expect(gate.body.outcome).toBe('blocked');
    expect(gate.body.unmet.map((u: any) => u.id)).toContain('EX29');
    const dev = await ctx.call('developer', 'GET', `${base()}/deployment-gate?environmentId=${(await db.insert(environments).values({ projectId: ctx.world.projectId, name: 'dev', stageId: ctx.world.stageId, clusterId: ctx.world.clusterId, cpuMillicores: 100, memoryMiB: 128 }).returning())[0]!.id}`);
    expect(dev.body.outcome).toBe('allowed');
    const other = await db.select({ id: environments.id }).from(environments).where(and(eq(environments.projectId, ctx.world.projectId), eq(environments.name, 'production')));
    expect((await ctx.call('other-project-member', 'GET', `${base()}/deployment-gate?environmentId=${other[0]!.id}`)).status).toBe(404);
  });

  let validateAr: ValidateFunction;
  let validatePoam: ValidateFunction;
  beforeAll(() => {
    validateAr = validatorFor('oscal_assessment-results_schema.json');
    validatePoam = validatorFor('oscal_poam_schema.json');
  });

  it('dossier: printable HTML and OSCAL documents valid against the official schemas', async () => {
    const html = await ctx.system.app.inject({ method: 'GET', url: `${base()}/dossier?format=html&lang=en`, headers: { authorization: ctx.world.actors['read-only']!.authorization! } });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('projet-a');
    // The project is named by its identifier, as its team knows it, not by its UUID.
    expect(html.body).toMatch(/<dt>Project<\/dt><dd>projet-a<\/dd>/);
    expect(html.body).toContain('EX29');
    expect(html.body).toContain('@media print');
    const ar = await ctx.call('security-officer', 'GET', `${base()}/dossier?format=oscal`);
    expect(ar.status).toBe(200);
    expect(validateAr(ar.body), JSON.stringify(validateAr.errors?.slice(0, 3))).toBe(true);
    const poam = await ctx.call('security-officer', 'GET', `${base()}/dossier?format=oscal-poam`);
    expect(validatePoam(poam.body), JSON.stringify(validatePoam.errors?.slice(0, 3))).toBe(true);
    expect((await ctx.call('other-project-member', 'GET', `${base()}/dossier`)).status).toBe(404);
  });
});
