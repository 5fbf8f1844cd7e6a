// `dso repos add`: a repository for the platform to mirror. Credentials are read from an environment variable,
// never from the command line (which other users of the machine can see in the process list).
import { parseArgs } from 'node:util';
import { processIo, resolveProject, runApiCommand, UsageError, type Io } from './api-client.ts';

const usage = {
  fr: 'usage : dso repos add --project <slug> --name <nom> --url <https://…> [--kind application|infrastructure] [--deploy-path chemin] [--username u] [--token-env VARIABLE | --password-env VARIABLE] [--json]',
  en: 'usage: dso repos add --project <slug> --name <name> --url <https://…> [--kind application|infrastructure] [--deploy-path path] [--username u] [--token-env VARIABLE | --password-env VARIABLE] [--json]',
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    if (sub !== 'add') throw new UsageError(usage);
    const { values } = parseArgs({
      args: more,
      options: {
        project: { type: 'string' },
        name: { type: 'string' },
        url: { type: 'string' },
        kind: { type: 'string' },
        'deploy-path': { type: 'string' },
        username: { type: 'string' },
        'token-env': { type: 'string' },
        'password-env': { type: 'string' },
      },
      strict: true,
    });
    if (!values.project || !values.name || !values.url) throw new UsageError(usage);
    let credentials: Record<string, string> | undefined;
    for (const [flag, key] of [['token-env', 'token'], ['password-env', 'password']] as const) {
      const variable = values[flag];
      if (variable === undefined) continue;
      const secret = io.env[variable];
      if (!secret) throw new UsageError({ fr: `la variable ${variable} est vide ou absente`, en: `variable ${variable} is empty or unset` });
      credentials = { ...(values.username ? { username: values.username } : {}), [key]: secret };
    }
    const project = await resolveProject(client, values.project);
    const created = await client.request<{ id: string; name: string; status: string; hasCredentials: boolean }>('POST', '/repositories', {
      projectId: project.id,
      name: values.name,
      externalUrl: values.url,
      ...(values.kind ? { kind: values.kind } : {}),
      ...(values['deploy-path'] ? { deployPath: values['deploy-path'] } : {}),
      ...(credentials ? { credentials } : {}),
    });
    if (options.json) io.out(`${JSON.stringify(created)}\n`);
    else io.out(options.lang === 'fr' ? `Dépôt « ${created.name} » ajouté (${created.id}), miroir en cours de création.\n` : `Repository "${created.name}" added (${created.id}), mirror being created.\n`);
    return 0;
  });
}
