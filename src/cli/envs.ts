// `dso envs list|create`: a project's environments; an environment of a project on a stage and a cluster, with its
// quota.
import { parseArgs } from 'node:util';
import { processIo, resolveProject, runApiCommand, table, UsageError, type ApiClient, type Io } from './api-client.ts';
import { printFailures, provisioningWords, say } from './status-words.ts';

export const usage = {
  fr: 'usage : dso envs create --project <slug> --name <nom> --stage <dev|staging|prod…> [--cluster <slug>] --cpu <millicœurs> --memory <Mio> [--gpu n] [--json]\n        dso envs list --project <slug> [--json]',
  en: 'usage: dso envs create --project <slug> --name <name> --stage <dev|staging|prod…> [--cluster <slug>] --cpu <millicores> --memory <MiB> [--gpu n] [--json]\n       dso envs list --project <slug> [--json]',
};

async function stageId(client: ApiClient, ref: string): Promise<string> {
  const page = await client.request<{ items: { id: string; slug: string }[] }>('GET', '/admin/stages?limit=200');
  const found = page.items.find((s) => s.slug === ref || s.id === ref);
  if (!found) throw new UsageError({ fr: `stage « ${ref} » inconnu (${page.items.map((s) => s.slug).join(', ')})`, en: `unknown stage "${ref}" (${page.items.map((s) => s.slug).join(', ')})` });
  return found.id;
}

/** Clusters the project may use; without --cluster, the only one or the one with the most free CPU. */
async function clusterId(client: ApiClient, projectId: string, ref: string | undefined): Promise<string> {
  const page = await client.request<{ items: { id: string; slug: string; free: { cpuMillicores: number } }[] }>('GET', `/admin/clusters?projectId=${projectId}&limit=200`);
  const found = ref
    ? page.items.find((c) => c.slug === ref || c.id === ref)
    : [...page.items].sort((a, b) => b.free.cpuMillicores - a.free.cpuMillicores)[0];
  if (!found) throw new UsageError({ fr: `aucun cluster utilisable${ref ? ` nommé « ${ref} »` : ''} pour ce projet`, en: `no usable cluster${ref ? ` named "${ref}"` : ''} for this project` });
  return found.id;
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError({ fr: `--${name} attend un entier positif`, en: `--${name} expects a whole number` });
  return n;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    if (sub === 'list') {
      const { values } = parseArgs({ args: more, options: { project: { type: 'string' } }, strict: true });
      if (!values.project) throw new UsageError(usage);
      const project = await resolveProject(client, values.project);
      const page = await client.request<{ items: { id: string; name: string; status: string; cpuMillicores: number; memoryMiB: number; conditions?: { type: string; status: string; message: string }[] }[] }>('GET', `/environments?projectId=${project.id}&limit=200`);
      if (options.json) io.out(`${JSON.stringify(page)}\n`);
      else if (page.items.length === 0) io.out(options.lang === 'fr' ? `Aucun environnement dans ${project.slug} : créez-en un avec « dso envs create ».\n` : `No environment in ${project.slug}: create one with "dso envs create".\n`);
      else {
        const h = options.lang === 'fr' ? ['NOM', 'ÉTAT', 'CPU (m)', 'MÉMOIRE (Mio)', 'ID'] : ['NAME', 'STATUS', 'CPU (m)', 'MEMORY (MiB)', 'ID'];
        io.out(
          table(
            h,
            page.items.map((e) => [
              e.name,
              say(provisioningWords, e.status, options.lang),
              String(e.cpuMillicores),
              String(e.memoryMiB),
              e.id,
            ]),
          ),
        );
        printFailures(io, page.items, options.lang);
      }
      return 0;
    }
    if (sub !== 'create') throw new UsageError(usage);
    const { values } = parseArgs({
      args: more,
      options: { project: { type: 'string' }, name: { type: 'string' }, stage: { type: 'string' }, cluster: { type: 'string' }, cpu: { type: 'string' }, memory: { type: 'string' }, gpu: { type: 'string' } },
      strict: true,
    });
    if (!values.project || !values.name || !values.stage || !values.cpu || !values.memory) throw new UsageError(usage);
    const project = await resolveProject(client, values.project);
    const created = await client.request<{ id: string; name: string; status: string }>('POST', '/environments', {
      projectId: project.id,
      name: values.name,
      stageId: await stageId(client, values.stage),
      clusterId: await clusterId(client, project.id, values.cluster),
      cpuMillicores: positiveInt(values.cpu, 'cpu'),
      memoryMiB: positiveInt(values.memory, 'memory'),
      ...(values.gpu !== undefined ? { gpu: positiveInt(values.gpu, 'gpu') } : {}),
    });
    if (options.json) io.out(`${JSON.stringify(created)}\n`);
    else io.out(options.lang === 'fr' ? `Environnement « ${created.name} » créé (${created.id}), état : ${say(provisioningWords, created.status, 'fr')}.\n` : `Environment "${created.name}" created (${created.id}), status: ${say(provisioningWords, created.status, 'en')}.\n`);
    return 0;
  });
}
