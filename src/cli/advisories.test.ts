// `dso advisories` as a user runs it: a real process, a real data folder.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './advisories.ts';

const exec = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/dso.mjs');

async function dso(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The same command in this process (no start-up cost), output captured. */
async function dsoInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write, dataDir: process.env.DSO_DATA_DIR, lang: process.env.DSO_LANG };
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  process.env.DSO_DATA_DIR = env.DSO_DATA_DIR;
  if (env.DSO_LANG) process.env.DSO_LANG = env.DSO_LANG;
  else delete process.env.DSO_LANG;
  try {
    const code = await run(args.slice(1));
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    if (saved.dataDir === undefined) delete process.env.DSO_DATA_DIR;
    else process.env.DSO_DATA_DIR = saved.dataDir;
    if (saved.lang === undefined) delete process.env.DSO_LANG;
    else process.env.DSO_LANG = saved.lang;
  }
}

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
    expect(before.stdout).toMatch(/default set/);
    const imported = await dso(['advisories', 'import', src], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/1 advisories imported from 1 files/);
    expect(imported.stdout).toMatch(/npm: 1 advisories on 1 packages/);
    const after = await dsoInProcess(['advisories', 'status'], env);
    expect(after.stdout).toMatch(/npm: 1 advisories on 1 packages/);
    expect(after.stdout).toContain(src);
  });

  it('speaks French by default', async () => {
    const status = await dsoInProcess(['advisories', 'status'], { DSO_DATA_DIR: path.join(work, 'fr') });
    expect(status.stdout).toMatch(/Aucune base importée/);
    expect(status.stdout).toMatch(/npm : 467 avis sur 407 paquets/);
    expect(status.stdout).toMatch(/PyPI : 2651 avis/);
    expect(status.stdout).toMatch(/Go : 4274 avis/);
  });

  it('fails with a usable message on bad usage or an empty source', async () => {
    const env = { DSO_DATA_DIR: path.join(work, 'data2'), DSO_LANG: 'en' };
    expect((await dsoInProcess(['advisories', 'import'], env)).code).toBe(2);
    const missing = await dsoInProcess(['advisories', 'import', path.join(work, 'nope')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
    mkdirSync(path.join(work, 'empty'));
    const empty = await dsoInProcess(['advisories', 'import', path.join(work, 'empty')], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no OSV record found/);
  });
});
