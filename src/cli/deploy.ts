// `dso deploy|promote|rollback`: ask the console to deploy a certified revision, promote the revision of an earlier
// stage, or roll back an environment. The console answers at once; the GitOps commit follows (see `--json` status).
import { parseArgs } from 'node:util';
import { processIo, resolveProject, runApiCommand, UsageError, type ApiClient, type Io } from './api-client.ts';
import { deploymentWords, say } from './status-words.ts';

export const usage = {
  fr: [
    'usage : dso deploy --project <slug> --env <nom> --revision <commit> [--json]',
    '        dso promote --project <slug> --from <nom> --to <nom> [--json]',
    '        dso rollback --project <slug> --env <nom> [--json]',
  ].join('\n'),
  en: [
    'usage: dso deploy --project <slug> --env <name> --revision <commit> [--json]',
    '       dso promote --project <slug> --from <name> --to <name> [--json]',
    '       dso rollback --project <slug> --env <name> [--json]',
  ].join('\n'),
};

async function environmentId(client: ApiClient, projectId: string, ref: string): Promise<string> {
  const page = await client.request<{ items: { id: string; name: string }[] }>('GET', `/environments?projectId=${projectId}&limit=200`);
  const found = page.items.find((e) => e.name === ref || e.id === ref);
  if (!found) throw new UsageError({ fr: `environnement « ${ref} » introuvable (${page.items.map((e) => e.name).join(', ')})`, en: `environment "${ref}" not found (${page.items.map((e) => e.name).join(', ')})` });
  return found.id;
}

interface Deployment {
  id: string;
  revision: string;
  status: string;
  action: string;
  gate: { outcome: string; unmet: string[] } | null;
}

/** Runs one of the three commands; `command` is how the CLI was called (deploy, promote or rollback). */
export function runDeployment(command: 'deploy' | 'promote' | 'rollback') {
  return (args: string[], io: Io = processIo): Promise<number> =>
    runApiCommand(args, io, async (client, options, rest) => {
      const { values } = parseArgs({ args: rest, options: { project: { type: 'string' }, env: { type: 'string' }, revision: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, strict: true });
      if (!values.project) throw new UsageError(usage);
      const project = await resolveProject(client, values.project);
      let deployment: Deployment;
      let target: string;
      if (command === 'deploy') {
        if (!values.env || !values.revision) throw new UsageError(usage);
        target = values.env;
        deployment = await client.request('POST', `/projects/${project.id}/environments/${await environmentId(client, project.id, values.env)}/deployments`, { revision: values.revision });
      } else if (command === 'promote') {
        if (!values.from || !values.to) throw new UsageError(usage);
        target = values.to;
        deployment = await client.request('POST', `/projects/${project.id}/environments/${await environmentId(client, project.id, values.to)}/deployments/promote`, { from: await environmentId(client, project.id, values.from) });
      } else {
        if (!values.env) throw new UsageError(usage);
        target = values.env;
        deployment = await client.request('POST', `/projects/${project.id}/environments/${await environmentId(client, project.id, values.env)}/deployments/rollback`, {});
      }
      if (options.json) {
        io.out(`${JSON.stringify(deployment)}\n`);
        return 0;
      }
      const short = deployment.revision.slice(0, 12);
      io.out(options.lang === 'fr' ? `Déploiement de ${short} sur « ${target} » demandé (${say(deploymentWords, deployment.status, 'fr')}) ; le dépôt GitOps suit.\n` : `Deployment of ${short} to "${target}" requested (${say(deploymentWords, deployment.status, 'en')}); the GitOps repository follows.\n`);
      if (deployment.gate?.outcome === 'allowed-with-warnings') {
        io.out(options.lang === 'fr' ? `Attention : exigences non satisfaites (zone en mode audit) : ${deployment.gate.unmet.join(', ')}.\n` : `Warning: requirements not met (zone in audit mode): ${deployment.gate.unmet.join(', ')}.\n`);
      }
      return 0;
    });
}

export const run = runDeployment('deploy');
