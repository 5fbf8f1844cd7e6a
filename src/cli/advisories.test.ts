// `dso advisories` as a user runs it: a real process, a real data folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, runDso } from '../../test/support/cli.ts';
import { run } from './advisories.ts';

/** The command in this process (no start-up cost), `env` as its whole environment. */
const dsoInProcess = (args: string[], env: Record<string, string>) => runCommand(run, args.slice(1), env);

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dso-cli-advisories-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('dso advisories', () => {
  it('imports a folder into DSO_DATA_DIR and shows the status', async () => {
    const src = path.join(work, 'export');
    mkdirSync(path.join(src, 'nested'), { recursive: true });
    writeFileSync(
      path.join(src, 'nested/GHSA-1.json'),
      JSON.stringify({ id: 'GHSA-test-0001', aliases: ['CVE-2099-0001'], affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] }),
    );
    const env = { DSO_DATA_DIR: path.join(work, 'data'), DSO_LANG: 'en' };
    const before = await dsoInProcess(['advisories', 'status'], env);
    expect(before.out).toMatch(/default set/);
    const imported = await runDso(['advisories', 'import', src], { env: { ...process.env, ...env } });
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/1 advisories imported from 1 files/);
    expect(imported.out).toMatch(/npm: 1 advisories on 1 packages/);
    const after = await dsoInProcess(['advisories', 'status'], env);
    expect(after.out).toMatch(/npm: 1 advisories on 1 packages/);
    expect(after.out).toContain(src);
  });

  it('speaks French by default', async () => {
    const status = await dsoInProcess(['advisories', 'status'], { DSO_DATA_DIR: path.join(work, 'fr') });
    expect(status.out).toMatch(/Aucune base importée/);
    expect(status.out).toMatch(/npm : 467 avis sur 407 paquets/);
    expect(status.out).toMatch(/PyPI : 2651 avis/);
    expect(status.out).toMatch(/Go : 4274 avis/);
  });

  it('fails with a usable message on bad usage or an empty source', async () => {
    const env = { DSO_DATA_DIR: path.join(work, 'data2'), DSO_LANG: 'en' };
    expect((await dsoInProcess(['advisories', 'import'], env)).code).toBe(2);
    const missing = await dsoInProcess(['advisories', 'import', path.join(work, 'nope')], env);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope/);
    mkdirSync(path.join(work, 'empty'));
    const empty = await dsoInProcess(['advisories', 'import', path.join(work, 'empty')], env);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/no OSV record found/);
  });
});
