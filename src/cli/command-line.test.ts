import { afterEach, describe, expect, it, vi } from 'vitest';
import { helpOption, parseCommandLine } from './command-line.ts';

describe('offline commands read their command line one way', () => {
  const usage = { fr: 'Usage : dso exemple [--format text|json]\n', en: 'Usage: dso example [--format text|json]\n' };
  const options = { format: { type: 'string', default: 'text' }, ...helpOption } as const;
  const written = { out: '', err: '' };
  afterEach(() => {
    vi.restoreAllMocks();
    written.out = written.err = '';
  });
  const capture = () => {
    vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((written.out += String(t)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => ((written.err += String(t)), true));
  };

  it('gives the options and positionals, with defaults', () => {
    const parsed = parseCommandLine('dso exemple', ['dossier', '--format', 'json'], options, usage, 'fr');
    expect(parsed).toMatchObject({ values: { format: 'json', help: false }, positionals: ['dossier'] });
  });

  it('prints the usage on --help and says there is nothing more to do (exit 0)', () => {
    capture();
    expect(parseCommandLine('dso exemple', ['-h'], options, usage, 'en')).toBe(0);
    expect(written.out).toBe(usage.en);
  });

  it('names the command and the mistake in the reader’s language, then the usage (exit 2)', () => {
    capture();
    expect(parseCommandLine('dso exemple', ['--nope'], options, usage, 'fr')).toBe(2);
    expect(written.err).toBe(`dso exemple : option inconnue --nope\n${usage.fr}`);
    written.err = '';
    expect(parseCommandLine('dso exemple', ['--format'], options, usage, 'fr')).toBe(2);
    expect(written.err.split('\n')[0]).toBe("dso exemple : valeur manquante ou invalide pour l'option --format");
    written.err = '';
    expect(parseCommandLine('dso exemple', ['--nope'], options, usage, 'en')).toBe(2);
    expect(written.err).toMatch(/^dso exemple: Unknown option '--nope'/);
  });
});
