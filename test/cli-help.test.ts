// Every `dso` command answers --help the same way, logged in or not: exit code 0 and its usage on stdout. The
// top-level help says what each command is for, in French by default and in English with DSO_LANG=en.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands, descriptions } from '../src/cli/commands.ts';
import { repoRoot } from './support/process.ts';

const home = mkdtempSync(path.join(tmpdir(), 'dso-help-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function dso(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // No DSO_URL, no DSO_TOKEN, an empty home: nobody is logged in.
    execFile(process.execPath, [path.join(repoRoot, 'bin/dso.mjs'), ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('dso --help', () => {
  it('describes every command, in French by default and in English on request', async () => {
    const fr = await dso(['--help']);
    expect(fr.code).toBe(0);
    const en = await dso(['--help'], { DSO_LANG: 'en' });
    for (const name of Object.keys(commands)) {
      expect(descriptions[name], name).toBeDefined();
      expect(fr.stdout).toContain(`${name}`);
      expect(fr.stdout).toContain(descriptions[name]!.fr);
      expect(en.stdout).toContain(descriptions[name]!.en);
    }
    expect(fr.stdout).toContain('Commandes :');
  }, 120_000);

  it('answers --help with exit code 0 for every command without a login', async () => {
    const names = Object.keys(commands);
    const answers: Record<string, { code: number; out: string; err: string }> = {};
    for (let i = 0; i < names.length; i += 4) {
      await Promise.all(
        names.slice(i, i + 4).map(async (name) => {
          const r = await dso([name, '--help']);
          answers[name] = { code: r.code, out: r.stdout.slice(0, 80), err: r.stderr.slice(0, 200) };
        }),
      );
    }
    for (const name of names) {
      expect({ name, code: answers[name]!.code, err: answers[name]!.err }).toEqual({ name, code: 0, err: '' });
      expect(answers[name]!.out.length, name).toBeGreaterThan(10);
    }
  }, 240_000);
});
