// How the offline commands (check, conformity, dossier, derogations, requirements) read their arguments: strict
// options and positionals, `--help`/`-h` printing the usage, and a wrong option answered with the usage and exit
// code 2 — the same way in every command.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Language } from '../checks/format/messages.ts';
import { processIo, type Io } from './io.ts';

export const helpOption = { help: { type: 'boolean', short: 'h', default: false } } as const;

/**
 * The parsed command line, or the exit code when there is nothing more to do (help printed: 0, usage error: 2).
 * `options` must include `...helpOption`.
 */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']> & typeof helpOption>(command: string, args: string[], options: O, usage: Record<Language, string>, lang: Language, io: Pick<Io, 'out' | 'err'> = processIo) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${command}${lang === 'fr' ? ' : ' : ': '}${parseErrorText(error as Error & { code?: string }, lang)}\n${usage[lang]}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.out(usage[lang]);
    return 0;
  }
  return parsed;
}

/** Node's parser speaks English; a French reader gets the common mistakes in French. */
function parseErrorText(error: Error & { code?: string }, lang: Language): string {
  if (lang === 'en') return error.message;
  const option = /'(-[^' ]*)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `option inconnue ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `valeur manquante ou invalide pour l'option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `argument inattendu (${error.message.replace(/^Unexpected argument '([^']*)'.*$/s, '$1')})`;
    default:
      return error.message;
  }
}
