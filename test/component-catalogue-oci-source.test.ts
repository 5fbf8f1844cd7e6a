// An OCI registry as a catalogue source, end to end on real components: charts packaged and `helm push`ed by the
// bundled helm to Debian's docker-registry on loopback, the source declared by an administrator through the API,
// the pull importing and checking each new version (verdicts shown in the catalogue), and the source's status
// saying in French and English why a pull failed (unknown repository, registry down).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { locateRenderer } from '../src/integrations/renderers/binaries.ts';
import { describeApiOnDatabases, type ApiContext } from './support/api-fixtures.ts';
import { packageChart, writeChart } from './support/charts.ts';
import { freePort, registrySkipReason, startRegistry, type TestRegistry } from './support/registry.ts';

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), 'dso-catalogue-oci-'));
const skip = registrySkipReason();
let registry: TestRegistry | undefined;

beforeAll(async () => {
  if (!skip) registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** `helm package` then `helm push` to `oci://<registry>/charts`, as a chart publisher would. */
async function pushChart(name: string, version: string, options: { privileged?: boolean } = {}): Promise<void> {
  const helm = await locateRenderer('helm');
  if ('missing' in helm) throw new Error(helm.missing);
  const archive = await packageChart(writeChart(path.join(work, name), { name, version, ...options }), path.join(work, name, 'out'));
  const home = path.join(work, 'helm-home');
  await run(helm.path, ['push', archive, `oci://${registry!.host}/charts`, '--plain-http'], { env: { ...process.env, HELM_CONFIG_HOME: path.join(home, 'config'), HELM_CACHE_HOME: path.join(home, 'cache'), HELM_DATA_HOME: path.join(home, 'data') } });
}

async function sourceStatus(ctx: ApiContext, id: string, language: 'fr' | 'en') {
  const response = await ctx.system.app.inject({ url: '/api/v1/catalogue/sources', headers: { authorization: ctx.world.actors['platform-admin']!.authorization!, 'accept-language': language } });
  return (
    JSON.parse(response.body) as { items: { id: string; lastError: string | null; lastSyncAt: string | null }[] }
  ).items.find((s) => s.id === id)!;
}

async function syncIn(ctx: ApiContext, id: string, language: 'fr' | 'en') {
  const response = await ctx.system.app.inject({ method: 'POST', url: `/api/v1/catalogue/sources/${id}/sync`, headers: { authorization: ctx.world.actors['platform-admin']!.authorization!, 'accept-language': language } });
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

describeApiOnDatabases('component catalogue: OCI registry source', (ctx) => {
  it.skipIf(skip)('pulls the versions helm pushed to an OCI registry, checks each, and later pulls only the new ones', async () => {
    const chart = `site-oci-${ctx.kind}`;
    await pushChart(chart, '0.1.0');
    await pushChart(chart, '0.2.0', { privileged: true });

    const source = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue/sources', { kind: 'oci', url: `oci://${registry!.host}/charts/${chart}`, schedule: '1h' });
    expect(source.status).toBe(201);
    const first = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/sources/${source.body.id}/sync`);
    expect(first.status).toBe(200);
    expect(first.body.errors).toEqual([]);
    expect(first.body.imported.map((i: { version: string; verdict: string }) => `${i.version} ${i.verdict}`).sort()).toEqual(['0.1.0 pass', '0.2.0 fail']);

    // The administrator sees both versions in the catalogue, with their verdicts and the privileged one's findings.
    const item = await ctx.call('platform-admin', 'GET', `/api/v1/catalogue/${chart}`);
    expect(item.status).toBe(200);
    expect(item.body.sourceId).toBe(source.body.id);
    const byVersion = Object.fromEntries(item.body.versions.map((v: { version: string }) => [v.version, v]));
    expect(byVersion['0.1.0']).toMatchObject({ verdict: 'pass', blockingFindings: 0, published: false, images: ['registry.example.org/team/web:1.2.3'] });
    expect(byVersion['0.2.0']).toMatchObject({ verdict: 'fail', published: false });
    expect(byVersion['0.2.0'].findings.map((f: { ruleId: string }) => f.ruleId)).toContain('kubernetes.pod-security.privileged');
    // Teams see nothing until an administrator publishes.
    expect((await ctx.call('developer', 'GET', '/api/v1/catalogue')).body.items.map((i: { slug: string }) => i.slug)).not.toContain(chart);

    await pushChart(chart, '0.3.0');
    const second = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/sources/${source.body.id}/sync`);
    expect(second.body).toMatchObject({ imported: [{ slug: chart, version: '0.3.0', verdict: 'pass' }], skipped: 2, errors: [] });
    const status = await sourceStatus(ctx, source.body.id, 'fr');
    expect(status.lastError).toBeNull();
    expect(status.lastSyncAt).not.toBeNull();
  });

  it.skipIf(skip)('says on the source why a pull failed: a repository the registry does not hold', async () => {
    const source = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue/sources', { kind: 'oci', url: `oci://${registry!.host}/charts/absent-${ctx.kind}` });
    expect(source.status).toBe(201);
    const fr = await syncIn(ctx, source.body.id, 'fr');
    expect(fr.status).toBe(422);
    expect(fr.body.detail).toMatch(/charts\/absent-.*n'existe pas dans le registre/);
    expect((await sourceStatus(ctx, source.body.id, 'fr')).lastError).toMatch(/le dépôt charts\/absent-\S+ n'existe pas dans le registre 127\.0\.0\.1:\d+/);
    expect((await sourceStatus(ctx, source.body.id, 'en')).lastError).toMatch(/the repository charts\/absent-\S+ does not exist in the registry 127\.0\.0\.1:\d+/);
  });

  it.skipIf(skip)('says on the source why a pull failed: the registry does not answer', async () => {
    const down = `127.0.0.1:${await freePort()}`;
    const source = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue/sources', { kind: 'oci', url: `oci://${down}/charts/site` });
    const en = await syncIn(ctx, source.body.id, 'en');
    expect(en.status).toBe(422);
    expect(en.body.detail).toContain(`the registry ${down} does not answer`);
    expect((await sourceStatus(ctx, source.body.id, 'fr')).lastError).toContain(`le registre ${down} ne répond pas`);
    expect((await sourceStatus(ctx, source.body.id, 'en')).lastError).toContain(`the registry ${down} does not answer`);
  });
});
