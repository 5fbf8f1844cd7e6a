import { beforeEach, describe, expect, it } from 'vitest';
import { helpOption, parseCommandLine } from './command-line.ts';

describe('offline commands read their command line one way', () => {
  const usage = { fr: 'Usage : dso exemple [--format text|json]\n', en: 'Usage: dso example [--format text|json]\n' };
  const options = { format: { type: 'string', default: 'text' }, ...helpOption } as const;
  const written = { out: '', err: '' };
  const io = { out: (t: string) => void (written.out += t), err: (t: string) => void (written.err += t) };
  beforeEach(() => {
    written.out = written.err = '';
  });

  it('gives the options and positionals, with defaults', () => {
    const parsed = parseCommandLine('dso exemple', ['dossier', '--format', 'json'], options, usage, 'fr');
    expect(parsed).toMatchObject({ values: { format: 'json', help: false }, positionals: ['dossier'] });
  });

  it('prints the usage on --help and says there is nothing more to do (exit 0)', () => {
    expect(parseCommandLine('dso exemple', ['-h'], options, usage, 'en', io)).toBe(0);
    expect(written.out).toBe(usage.en);
  });

  it('names the command and the mistake in the reader’s language, then the usage (exit 2)', () => {
    expect(parseCommandLine('dso exemple', ['--nope'], options, usage, 'fr', io)).toBe(2);
    expect(written.err).toBe(`dso exemple : option inconnue --nope\n${usage.fr}`);
    written.err = '';
    expect(parseCommandLine('dso exemple', ['--format'], options, usage, 'fr', io)).toBe(2);
    expect(written.err.split('\n')[0]).toBe("dso exemple : valeur manquante ou invalide pour l'option --format");
    written.err = '';
    expect(parseCommandLine('dso exemple', ['--nope'], options, usage, 'en', io)).toBe(2);
    expect(written.err).toMatch(/^dso exemple: Unknown option '--nope'/);
  });
});
