// Services per environment through the API, with the real helm and the real git: a team adds a catalogue chart to
// its integration environment; values that break the schema, Pod Security or the quota are refused before anything
// is committed; an accepted service becomes an ArgoCD Application in the GitOps repository, committed once (a second
// reconcile changes nothing); a newer published version comes with an upgrade proposal showing the manifest diff,
// applied in one action; a data-bearing service is removed only when confirmed, and its backups are named.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { environmentServices, stages } from '../src/db/schema.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { packageChart, storeChartVersion, testChartsDir } from './support/catalogue.ts';
import { asActor, runCommand } from './support/cli.ts';
import { run as servicesCommand } from '../src/cli/services.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const chart = path.join(testChartsDir, 'backed-store');

describeApiOnDatabases('services per environment', (ctx) => {
  let environmentId: string;
  let url: string;
  const folder = 'clusters/default/internal/projects/projet-a/integration';
  const gitDir = () => path.join(ctx.system.services.config.dataDir, 'git/_platform/gitops.git');
  const head = () => execFileSync('git', ['--git-dir', gitDir(), 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
  const show = (file: string) => execFileSync('git', ['--git-dir', gitDir(), 'show', `main:${folder}/${file}`], { encoding: 'utf8' });
  const listed = () => execFileSync('git', ['--git-dir', gitDir(), 'ls-tree', '--name-only', `main:${folder}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const reconcile = () => reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);
  const english = async (method: 'POST' | 'DELETE', target: string, payload?: object) => {
    const response = await ctx.system.app.inject({ method, url: target, headers: { authorization: ctx.world.actors.owner!.authorization!, 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  beforeAll(async () => {
    const db = ctx.system.services.db;
    await storeChartVersion(db, await packageChart(chart));
    await storeChartVersion(db, await packageChart(chart, { version: '3.0.0' }), { published: false });
    const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    const created = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'integration', stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 1000, memoryMiB: 1024 });
    expect(created.status).toBe(201);
    environmentId = created.body.id;
    url = `/api/v1/projects/${ctx.world.projectId}/environments/${environmentId}/services`;
    await reconcile();
  }, 120_000);

  it('refuses a version that is not published', async () => {
    const response = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '3.0.0', name: 'store' });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ reason: 'version-not-published' });
    expect(response.body.detail).toContain("n'est pas publiée");
  });

  it('refuses values the chart schema rejects, naming the field, in French or English', async () => {
    const response = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { replicas: 'two' } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ reason: 'values-invalid', errors: [{ field: 'values/replicas', message: 'Doit être un nombre entier' }] });
    expect(response.body.detail).toBe('Valeurs refusées par le schéma du chart : replicas : doit être un nombre entier.');
    const en = await english('POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { replicas: 'two' } });
    expect(en.body.detail).toBe("Values refused by the chart's schema: replicas: must be an integer.");
    expect(en.body.errors).toEqual([{ field: 'values/replicas', message: 'Must be an integer' }]);
    // Nested fields are named by their path; limits and patterns are said, not Ajv's English.
    const nested = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { replicas: 11, service: { port: 80 }, backup: { destinationPath: '/tmp' } } });
    expect(nested.body.errors).toEqual(expect.arrayContaining([
      { field: 'values/replicas', message: 'Doit être inférieur ou égal à 10' },
      { field: 'values/service/port', message: 'Doit être supérieur ou égal à 1025' },
      { field: 'values/backup/destinationPath', message: 'Doit respecter le motif ^s3://' },
    ]));
  });

  it('refuses values that break Pod Security before anything is committed', async () => {
    const before = head();
    const response = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { privileged: true } });
    expect(response.status).toBe(422);
    expect(response.body.reason).toBe('checks-failed');
    expect(response.body.findings.map((f: { ruleId: string }) => f.ruleId).join(' ')).toMatch(/privileged|privilege-escalation/);
    expect(await ctx.system.services.db.select().from(environmentServices)).toEqual([]);
    await reconcile();
    expect(head()).toBe(before);
    expect(listed().filter((f) => f.startsWith('service-'))).toEqual([]);
  }, 60_000);

  it("refuses a service that does not fit in the environment's quota", async () => {
    const response = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { replicas: 10 } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ reason: 'quota-exceeded', shortfalls: [{ resource: 'cpuMillicores', requested: 2000, available: 1000 }] });
  }, 60_000);

  let serviceId: string;
  it('commits an accepted service as an Application pinned to the version and digest, once, and it meets the requirements it covers', async () => {
    const response = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name: 'store', values: { replicas: 1, backup: { destinationPath: 's3://platform-backups/projet-a/store' } } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'store', status: 'pending', verdict: 'pass', version: { version: '1.0.0', dataBearing: true, covers: ['EX7', 'EX33', 'EX40'] } });
    serviceId = response.body.id;
    await reconcile();
    const [application] = parseAllDocuments(show('service-store.yaml')).map((d) => d.toJS());
    expect(application).toMatchObject({
      kind: 'Application',
      metadata: { name: 'projet-a-integration-store', annotations: { 'dso.pi/chart-digest': response.body.version.digest } },
      spec: { project: 'projet-a', destination: { namespace: 'projet-a-integration' }, source: { chart: 'backed-store', targetRevision: '1.0.0', helm: { releaseName: 'store', valuesObject: { replicas: 1 } } } },
    });
    expect(application.spec.source.repoURL).toMatch(/\/api\/v1\/catalogue\/repository$/);
    const committed = head();
    const status = await ctx.call('developer', 'GET', `${url}/${serviceId}`);
    expect(status.body).toMatchObject({ status: 'ready', gitopsCommit: committed, argocd: { application: 'projet-a-integration-store' } });
    await reconcile();
    expect(head()).toBe(committed);
    // Its effect on conformity: the backup requirements it covers are met in this environment, by this service.
    const conformity = await ctx.call('developer', 'GET', `/api/v1/projects/${ctx.world.projectId}/conformity`);
    const ex33 = conformity.body.requirements.find((r: { id: string }) => r.id === 'EX33');
    expect(ex33.state).toBe('satisfied');
    expect(ex33.targets[0]).toMatchObject({ state: 'satisfied', reasons: [{ code: 'service-evidence' }], evidence: [{ kind: 'service', name: 'store', version: '1.0.0' }] });
  }, 60_000);

  it('records an upgrade proposal when an administrator publishes a newer version, with the manifest diff, applied in one action', async () => {
    await storeChartVersion(ctx.system.services.db, await packageChart(chart, { version: '1.1.0', valuesPatch: (v) => v.replace('tag: 1.27.3-alpine', 'tag: 1.27.4-alpine') }), { published: false });
    expect((await ctx.call('developer', 'GET', url)).body.items).toMatchObject([{ id: serviceId, upgradeAvailable: null, upgradeProposal: null }]);
    const item = (await ctx.call('platform-admin', 'GET', '/api/v1/catalogue/backed-store')).body;
    expect((await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/${item.id}/versions/1.1.0/publish`, {})).status).toBe(200);
    // The team sees the proposal without asking for it, and its project's audit log says who published what.
    const listedServices = await ctx.call('developer', 'GET', url);
    expect(listedServices.body.items).toMatchObject([{ id: serviceId, upgradeAvailable: '1.1.0', upgradeProposal: { version: '1.1.0' } }]);
    const audit = await ctx.call('platform-admin', 'GET', `/api/v1/admin/audit?action=service.upgrade-proposed&projectId=${ctx.world.projectId}`);
    expect(audit.body.items).toMatchObject([{ action: 'service.upgrade-proposed', targetId: serviceId, before: { version: '1.0.0' }, after: { version: '1.1.0', name: 'store' } }]);
    // Publishing again records nothing more.
    expect((await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/${item.id}/versions/1.1.0/publish`, {})).status).toBe(200);
    expect((await ctx.call('platform-admin', 'GET', `/api/v1/admin/audit?action=service.upgrade-proposed&projectId=${ctx.world.projectId}`)).body.items).toHaveLength(1);
    const proposal = await ctx.call('developer', 'GET', `${url}/${serviceId}/upgrade`);
    expect(proposal.status).toBe(200);
    expect(proposal.body).toMatchObject({ from: '1.0.0', to: '1.1.0', verdict: 'pass', refusal: null });
    expect(proposal.body.manifestDiff).toContain('-          image: "docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine"');
    expect(proposal.body.manifestDiff).toContain('+          image: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine"');
    const denied = await ctx.call('developer', 'POST', `${url}/${serviceId}/upgrade`, {});
    expect(denied.status).toBe(403);
    const applied = await ctx.call('owner', 'POST', `${url}/${serviceId}/upgrade`, {});
    expect(applied.status).toBe(202);
    expect(applied.body).toMatchObject({ version: { version: '1.1.0' }, upgradeAvailable: null, upgradeProposal: null, status: 'pending' });
    const [row] = await ctx.system.services.db
      .select()
      .from(environmentServices)
      .where(eq(environmentServices.id, serviceId));
    expect(row!.proposedVersionId).toBeNull();
    await reconcile();
    expect(show('service-store.yaml')).toContain('targetRevision: "1.1.0"');
  }, 120_000);

  it('removes a data-bearing service only when confirmed, keeping the record of its backups', async () => {
    const unconfirmed = await english('DELETE', `${url}/${serviceId}`);
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body).toMatchObject({ reason: 'confirmation-required' });
    expect(unconfirmed.body.detail).toContain('Its backups are kept');
    const removed = await ctx.call('owner', 'DELETE', `${url}/${serviceId}?confirm=true`);
    expect(removed.status).toBe(204);
    await reconcile();
    expect(listed()).not.toContain('service-store.yaml');
    const history = await ctx.call('developer', 'GET', `${url}?includeRemoved=true`);
    expect(history.body.items).toMatchObject([{ id: serviceId, retainedBackups: 's3://platform-backups/projet-a/store' }]);
    expect(history.body.items[0].removedAt).not.toBeNull();
    expect((await ctx.call('developer', 'GET', url)).body.items).toEqual([]);
  }, 60_000);

  it('is driven from the command line: add (refusal printed as a sentence), list, upgrade proposal, remove', async () => {
    const base = await ctx.system.listen();
    const dso = (args: string[], actor = 'owner') => runCommand(servicesCommand, args, asActor(base, ctx.world.actors[actor]!.authorization!));
    const where = ['--project', 'projet-a', '--env', 'integration'];
    const valuesFile = path.join(mkdtempSync(path.join(tmpdir(), 'dso-values-')), 'values.yaml');
    writeFileSync(valuesFile, 'privileged: true\n');
    const refused = await dso(['add', ...where, '--item', 'backed-store', '--version', '1.0.0', '--name', 'cli', '--values', valuesFile]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('ne passe pas les contrôles');
    writeFileSync(valuesFile, 'replicas: 1\n');
    expect(await dso(['add', ...where, '--item', 'backed-store', '--version', '1.0.0', '--name', 'cli', '--values', valuesFile])).toMatchObject({ code: 0, out: expect.stringContaining('Service « cli » (backed-store 1.0.0) ajouté') });
    const list = await dso(['list', ...where], 'developer');
    expect(list.out).toMatch(/^NOM\s+COMPOSANT\s+VERSION/);
    // Statuses in the CLI language: checks « réussis », not the API's `pass`.
    expect(list.out).toMatch(/cli\s+backed-store\s+1\.0\.0\s+réussis .* 1\.1\.0 /);
    // Added on 1.0.0 while 1.1.0 is published: the proposal is recorded at once and said under the table.
    expect(list.out).toContain('Mise à jour disponible pour « cli » : 1.0.0 → 1.1.0 (proposée le ');
    expect(list.out).toContain('dso services upgrade --project projet-a --env integration --name cli');
    const proposal = await dso(['upgrade', ...where, '--name', 'cli', '--dry-run'], 'developer');
    expect(proposal.out).toContain('Mise à jour proposée : 1.0.0 → 1.1.0');
    expect(proposal.out).toContain('+          image: "docker.io/nginxinc/nginx-unprivileged:1.27.4-alpine"');
    expect((await dso(['upgrade', ...where, '--name', 'cli'])).out).toContain('passé en 1.1.0');
    expect((await dso(['remove', ...where, '--name', 'cli'])).err).toContain('confirm');
    expect((await dso(['remove', ...where, '--name', 'cli', '--confirm'])).out).toContain('ses sauvegardes sont conservées');
  }, 120_000);
});
