// The `dso` command: dispatches to one module per sub-command (the list is src/cli/commands.ts).

export async function main(argv: string[]): Promise<number> {
  const { commands } = await import('./commands.ts');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`Usage: dso <command> [options]\n\nCommands:\n${Object.keys(commands).sort().map((c) => `  ${c}`).join('\n')}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { version } = await import('../version.ts');
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`dso: unknown command "${name}". Run "dso --help" for the list.\n`);
    return 2;
  }
  const mod = await load();
  return mod.run(rest);
}
