// `dso services list|add|upgrade|remove`: catalogue components a project runs in one of its environments. The API
// checks everything before commit (published version, values schema, Pod Security and the other rules, quota) and
// its refusals are printed as the sentence it gives; `upgrade --dry-run` prints the proposal (manifest diff, change
// in findings) without applying it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { processIo, resolveProject, runApiCommand, table, UsageError, type ApiClient, type Io } from './api-client.ts';
import { argocdStatus, printFailures, provisioningWords, say, serviceVerdictWords } from './status-words.ts';

export const usage = {
  fr: `usage : dso services list --project <slug> --env <environnement> [--json]
        dso services add --project <slug> --env <environnement> --item <composant> --version <version> --name <nom> [--values <fichier.yaml|json>]
        dso services upgrade --project <slug> --env <environnement> --name <nom> [--version <version>] [--dry-run]
        dso services remove --project <slug> --env <environnement> --name <nom> [--confirm]`,
  en: `usage: dso services list --project <slug> --env <environment> [--json]
       dso services add --project <slug> --env <environment> --item <component> --version <version> --name <name> [--values <file.yaml|json>]
       dso services upgrade --project <slug> --env <environment> --name <name> [--version <version>] [--dry-run]
       dso services remove --project <slug> --env <environment> --name <name> [--confirm]`,
};

interface Service {
  id: string;
  name: string;
  item: { slug: string };
  version: { version: string; dataBearing: boolean };
  verdict: string;
  status: string;
  conditions?: { type: string; status: string; message: string }[];
  gitopsCommit: string | null;
  argocd: { sync: string | null; health: string | null };
  upgradeAvailable: string | null;
  upgradeProposal?: { version: string; proposedAt: string } | null;
  advisories: { id: string }[];
}

async function environmentBase(
  client: ApiClient,
  projectRef: string,
  environmentName: string,
): Promise<{ base: string; project: string }> {
  const project = await resolveProject(client, projectRef);
  const page = await client.request<{ items: { id: string; name: string }[] }>(
    'GET',
    `/environments?projectId=${project.id}&limit=200`,
  );
  const environment = page.items.find((e) => e.name === environmentName || e.id === environmentName);
  if (!environment)
    throw new UsageError({
      fr: `environnement « ${environmentName} » inconnu dans ${project.slug}`,
      en: `unknown environment "${environmentName}" in ${project.slug}`,
    });
  return { base: `/projects/${project.id}/environments/${environment.id}/services`, project: project.slug };
}

async function serviceNamed(client: ApiClient, base: string, name: string): Promise<Service> {
  const list = await client.request<{ items: Service[] }>('GET', base);
  const found = list.items.find((s) => s.name === name || s.id === name);
  if (!found) throw new UsageError({ fr: `aucun service « ${name} » dans cet environnement`, en: `no service "${name}" in this environment` });
  return found;
}

function readValues(file: string | undefined): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  const parsed: unknown = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 100 });
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError({ fr: `${file} doit contenir un objet de valeurs`, en: `${file} must hold an object of values` });
  return parsed as Record<string, unknown>;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    const fr = options.lang === 'fr';
    const { values } = parseArgs({
      args: more,
      options: { project: { type: 'string' }, env: { type: 'string' }, item: { type: 'string' }, version: { type: 'string' }, name: { type: 'string' }, values: { type: 'string' }, 'dry-run': { type: 'boolean' }, confirm: { type: 'boolean' } },
      strict: true,
    });
    if (!values.project || !values.env || !['list', 'add', 'upgrade', 'remove'].includes(sub ?? '')) throw new UsageError(usage);
    const { base } = await environmentBase(client, values.project, values.env);
    if (sub === 'list') {
      const list = await client.request<{ items: Service[] }>('GET', base);
      if (options.json) io.out(`${JSON.stringify(list)}\n`);
      else if (list.items.length === 0) io.out(fr ? 'Aucun service dans cet environnement : ajoutez-en un avec « dso services add ».\n' : 'No service in this environment: add one with "dso services add".\n');
      else {
        const h = fr ? ['NOM', 'COMPOSANT', 'VERSION', 'CONTRÔLES', 'ÉTAT', 'ARGOCD', 'MISE À JOUR', 'AVIS'] : ['NAME', 'COMPONENT', 'VERSION', 'CHECKS', 'STATUS', 'ARGOCD', 'UPGRADE', 'ADVISORIES'];
        io.out(
          table(
            h,
            list.items.map((s) => [s.name, s.item.slug, s.version.version, say(serviceVerdictWords, s.verdict, options.lang), say(provisioningWords, s.status, options.lang), s.argocd.sync ? argocdStatus(s.argocd.sync, s.argocd.health, options.lang) : s.gitopsCommit ? s.gitopsCommit.slice(0, 12) : '-', s.upgradeProposal?.version ?? s.upgradeAvailable ?? '-', String(s.advisories.length)]),
          ),
        );
        printFailures(io, list.items, options.lang);
        // Proposals recorded when a newer version was published: said once more under the table, with the command.
        for (const s of list.items.filter((x) => x.upgradeProposal)) {
          const { version, proposedAt } = s.upgradeProposal!;
          const day = proposedAt.slice(0, 10);
          io.out(fr
            ? `Mise à jour disponible pour « ${s.name} » : ${s.version.version} → ${version} (proposée le ${day}) ; appliquez-la avec « dso services upgrade --project ${values.project} --env ${values.env} --name ${s.name} ».\n`
            : `Upgrade available for "${s.name}": ${s.version.version} → ${version} (proposed on ${day}); apply it with "dso services upgrade --project ${values.project} --env ${values.env} --name ${s.name}".\n`);
        }
      }
      return 0;
    }
    if (!values.name) throw new UsageError(usage);
    if (sub === 'add') {
      if (!values.item || !values.version) throw new UsageError(usage);
      const created = await client.request<Service>('POST', base, { item: values.item, version: values.version, name: values.name, ...(values.values ? { values: readValues(values.values) } : {}) });
      if (options.json) io.out(`${JSON.stringify(created)}\n`);
      else io.out(fr ? `Service « ${created.name} » (${created.item.slug} ${created.version.version}) ajouté, contrôles ${say(serviceVerdictWords, created.verdict, 'fr')} ; déploiement en cours.\n` : `Service "${created.name}" (${created.item.slug} ${created.version.version}) added, checks ${say(serviceVerdictWords, created.verdict, 'en')}; being deployed.\n`);
      return 0;
    }
    const service = await serviceNamed(client, base, values.name);
    if (sub === 'upgrade') {
      if (values['dry-run']) {
        const proposal = await client.request<{ from: string; to: string; manifestDiff: string; findings: { added: { ruleId: string; message: string }[]; resolved: { ruleId: string; message: string }[] }; refusal: { message: string } | null }>('GET', `${base}/${service.id}/upgrade`);
        if (options.json) io.out(`${JSON.stringify(proposal)}\n`);
        else {
          io.out(fr ? `Mise à jour proposée : ${proposal.from} → ${proposal.to}\n` : `Proposed upgrade: ${proposal.from} → ${proposal.to}\n`);
          io.out(proposal.manifestDiff || (fr ? '(manifestes inchangés)\n' : '(manifests unchanged)\n'));
          for (const f of proposal.findings.added) io.out(`+ ${f.ruleId}: ${f.message}\n`);
          for (const f of proposal.findings.resolved) io.out(`- ${f.ruleId}: ${f.message}\n`);
          if (proposal.refusal) io.out(fr ? `Refusée si appliquée : ${proposal.refusal.message}\n` : `Would be refused: ${proposal.refusal.message}\n`);
        }
        return 0;
      }
      const upgraded = await client.request<Service>('POST', `${base}/${service.id}/upgrade`, values.version ? { version: values.version } : {});
      if (options.json) io.out(`${JSON.stringify(upgraded)}\n`);
      else io.out(fr ? `Service « ${upgraded.name} » passé en ${upgraded.version.version} ; déploiement en cours.\n` : `Service "${upgraded.name}" moved to ${upgraded.version.version}; being deployed.\n`);
      return 0;
    }
    await client.request('DELETE', `${base}/${service.id}${values.confirm ? '?confirm=true' : ''}`);
    io.out(fr ? `Service « ${service.name} » supprimé${service.version.dataBearing ? ' ; ses sauvegardes sont conservées' : ''}.\n` : `Service "${service.name}" removed${service.version.dataBearing ? '; its backups are kept' : ''}.\n`);
    return 0;
  });
}
