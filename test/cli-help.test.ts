// Every `dso` command answers --help the same way, logged in or not: exit code 0 and its usage on stdout. The
// top-level help says what each command is for, in French by default and in English with DSO_LANG=en.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands, descriptions } from '../src/cli/commands.ts';
import { runDso } from './support/cli.ts';

const home = mkdtempSync(path.join(tmpdir(), 'dso-help-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// No DSO_URL, no DSO_TOKEN, an empty home: nobody is logged in.
const dso = (args: string[], env: Record<string, string> = {}) =>
  runDso(args, { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, ...env }, timeoutMs: 60_000 });

describe('dso --help', () => {
  it('describes every command, in French by default and in English on request', async () => {
    const fr = await dso(['--help']);
    expect(fr.code).toBe(0);
    const en = await dso(['--help'], { DSO_LANG: 'en' });
    for (const name of Object.keys(commands)) {
      expect(descriptions[name], name).toBeDefined();
      expect(fr.out).toContain(`${name}`);
      expect(fr.out).toContain(descriptions[name]!.fr);
      expect(en.out).toContain(descriptions[name]!.en);
    }
    expect(fr.out).toContain('Commandes :');
  }, 120_000);

  it('answers --help with exit code 0 for every command without a login', async () => {
    const names = Object.keys(commands);
    const answers: Record<string, { code: number; out: string; err: string }> = {};
    for (let i = 0; i < names.length; i += 4) {
      await Promise.all(
        names.slice(i, i + 4).map(async (name) => {
          const r = await dso([name, '--help']);
          answers[name] = { code: r.code, out: r.out.slice(0, 80), err: r.err.slice(0, 200) };
        }),
      );
    }
    for (const name of names) {
      expect({ name, code: answers[name]!.code, err: answers[name]!.err }).toEqual({ name, code: 0, err: '' });
      expect(answers[name]!.out.length, name).toBeGreaterThan(10);
    }
  }, 240_000);
});
