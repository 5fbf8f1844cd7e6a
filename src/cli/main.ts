// The `dso` command: dispatches to one module per sub-command.
// Each sub-command module exports `run(args: string[]): Promise<number>` (the exit code).
type SubCommand = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<{ run: SubCommand }>> = {};

/** Sub-commands register here; see src/cli/commands.ts. */
export function registerCommand(name: string, load: () => Promise<{ run: SubCommand }>): void {
  commands[name] = load;
}

export async function main(argv: string[]): Promise<number> {
  await import('./commands.ts');
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
  const load = commands[name];
  if (!load) {
    process.stderr.write(`dso: unknown command "${name}". Run "dso --help" for the list.\n`);
    return 2;
  }
  const mod = await load();
  return mod.run(rest);
}
