// `dso catalogue` against a real server: an administrator imports a chart folder (packaged with the bundled helm),
// sees publication refused with the reason in French, publishes with an exception, and a team lists it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { run as catalogue } from '../src/cli/catalogue.ts';
import { defaultCatalogueDir } from '../src/component-catalogue/default-catalogue.ts';
import { asActor, runCommand } from './support/cli.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { writeChart } from './support/charts.ts';

const work = mkdtempSync(path.join(tmpdir(), 'dso-catalogue-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeApiOnDatabases('dso catalogue', (ctx) => {
  let url = '';
  const dso = async (args: string[], actor = 'platform-admin', env: Record<string, string> = {}) => {
    url ||= await ctx.system.listen();
    return runCommand(catalogue, args, asActor(url, ctx.world.actors[actor]!.authorization!, env));
  };

  it('imports a folder, refuses publication of blocking findings, publishes with an exception, lists it for teams', async () => {
    const folder = writeChart(path.join(work, ctx.kind), { name: 'node-agent', version: '0.4.0', privileged: true });
    const imported = await dso(['import', folder]);
    expect(imported).toMatchObject({ code: 0, err: '' });
    expect(imported.out).toContain('node-agent 0.4.0 importé');
    expect(imported.out).toContain('non conforme');
    expect(imported.out).toContain('kubernetes.pod-security.privileged');

    const refused = await dso(['publish', 'node-agent', '0.4.0']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/exception enregistrée/);

    const published = await dso(['publish', 'node-agent', '0.4.0', '--exception', 'Agent système validé par le RSSI', '--until', '2099-01-01'], 'platform-admin');
    expect(published.code).toBe(1); // more than 366 days away
    expect(published.err).toMatch(/366 jours/);
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const ok = await dso(['publish', 'node-agent', '0.4.0', '--exception', 'Agent système validé par le RSSI', '--until', until]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('exception : Agent système validé par le RSSI');

    const list = await dso(['list'], 'developer', { DSO_LANG: 'en' });
    expect(list.out).toMatch(/node-agent\s+chart\s+0\.4\.0\s+1\s+fail/);
  });

  it('says a shipped chart\'s title in the reader\'s language, in the list and in show', async () => {
    const imported = await dso(['import', path.join(defaultCatalogueDir, 's3-bucket')]);
    expect(imported).toMatchObject({ code: 0, err: '' });
    const fr = await dso(['show', 's3-bucket']);
    expect(fr.out).toMatch(/^Compartiment S3 \(s3-bucket, service géré\)\nUn compartiment S3/);
    const en = await dso(['show', 's3-bucket'], 'platform-admin', { DSO_LANG: 'en' });
    expect(en.out).toMatch(/^S3 bucket \(s3-bucket, managed service\)\nAn S3 bucket/);
    const list = await dso(['list'], 'platform-admin', { DSO_LANG: 'en' });
    expect(list.out).toMatch(/TITLE\n(.*\n)*s3-bucket\s+managed service\s+—\s+1\s+pass\s+S3 bucket\n/);
    expect((await dso(['list'])).out).toMatch(/s3-bucket\s+service géré\s+—\s+1\s+conforme\s+Compartiment S3\n/);
  });
});
