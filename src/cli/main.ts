// The `dso` command: dispatches to one module per sub-command (the list is src/cli/commands.ts). `--help` works the
// same for every command, with or without a login: exit code 0 and the command's usage on stdout.

import { processIo } from './io.ts';

export async function main(argv: string[]): Promise<number> {
  const { commands, descriptions, selfHelp } = await import('./commands.ts');
  const lang = processIo.env.DSO_LANG?.toLowerCase().startsWith('en') ? 'en' : 'fr';
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const width = Math.max(...Object.keys(commands).map((c) => c.length));
    const lines = Object.keys(commands)
      .sort()
      .map((c) => `  ${c.padEnd(width)}  ${descriptions[c]?.[lang] ?? ''}`.trimEnd());
    const head = lang === 'fr' ? 'Usage : dso <commande> [options]\n\nCommandes :' : 'Usage: dso <command> [options]\n\nCommands:';
    const tail = lang === 'fr' ? '\n\n« dso <commande> --help » détaille une commande. DSO_LANG=en pour l’anglais.' : '\n\n"dso <command> --help" explains a command. DSO_LANG=fr for French.';
    process.stdout.write(`${head}\n${lines.join('\n')}${tail}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { version } = await import('../version.ts');
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(lang === 'fr' ? `dso : commande inconnue « ${name} ». « dso --help » donne la liste.\n` : `dso: unknown command "${name}". Run "dso --help" for the list.\n`);
    return 2;
  }
  const mod = await load();
  const wantsHelp = rest.includes('--help') || rest.includes('-h') || (rest.length === 1 && rest[0] === 'help');
  if (wantsHelp && !selfHelp.has(name)) {
    const text = mod.help ?? mod.usage;
    const description = descriptions[name]?.[lang];
    process.stdout.write(`${description ? `dso ${name} — ${description}\n\n` : ''}${text ? `${text[lang]}\n` : ''}`);
    return 0;
  }
  return mod.run(rest);
}
