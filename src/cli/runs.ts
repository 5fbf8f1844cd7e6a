// `dso runs start|list|watch|get`: the secondary chain from a terminal or from the primary chain's CI. `start
// --watch` and `watch` follow the run step by step and exit 0 only when the revision is certified, so a CI job
// can fail on the platform's verdict.
import { parseArgs } from 'node:util';
import { outcomeMark } from '../checks/format/messages.ts';
import { processIo, resolveProject, runApiCommand, table, UsageError, type ApiClient, type Io, type Lang } from './api-client.ts';
import { runWords, say as sayIn, stepNameWords, stepWords } from './status-words.ts';

export const usage = {
  fr: 'usage : dso runs start --project <slug> --repo <nom> [--ref branche] [--revision sha] [--watch] | dso runs list --project <slug> [--repo <nom>] [--limit n] | dso runs watch <id> | dso runs get <id> [--json]',
  en: 'usage: dso runs start --project <slug> --repo <name> [--ref branch] [--revision sha] [--watch] | dso runs list --project <slug> [--repo <name>] [--limit n] | dso runs watch <id> | dso runs get <id> [--json]',
};

interface Run {
  id: string;
  status: string;
  currentStep: string | null;
  commitSha: string | null;
  imageDigest: string | null;
  message: string | null;
  note?: Note | null;
  createdAt: string;
  verdict: {
    certified: boolean;
    reasons: {
      code: string;
      outcome?: string;
      blocking: boolean;
      message: string;
      text?: { fr: string; en: string };
    }[];
  } | null;
  steps?: { name: string; status: string; workMs: number | null; message: string | null; note?: Note | null }[];
}

/** A step's or a run's note: the API says it in both languages (`message` is the older, French-only field). */
interface Note {
  text: { fr: string; en: string };
}
const noteText = (x: { message: string | null; note?: Note | null }, lang: Lang) => x.note?.text[lang] ?? x.message;

const terminal = new Set(['certified', 'rejected', 'failed', 'cancelled']);
const say = (status: string, lang: Lang) => sayIn(runWords, status, lang);
const stepLabel = (name: string, lang: Lang) => sayIn(stepNameWords, name, lang);
const stepStatus = (status: string, lang: Lang) => sayIn(stepWords, status, lang);

async function repositoryOf(client: ApiClient, projectRef: string, repoName: string) {
  const project = await resolveProject(client, projectRef);
  const page = await client.request<{ items: { id: string; name: string }[] }>('GET', `/repositories?projectId=${project.id}&limit=200`);
  const repo = page.items.find((r) => r.name === repoName || r.id === repoName);
  if (!repo) throw new UsageError({ fr: `dépôt « ${repoName} » introuvable dans ${project.slug}`, en: `repository "${repoName}" not found in ${project.slug}` });
  return { project, repo };
}

function describeRun(run: Run, lang: Lang): string {
  const lines = [`${run.id}  ${say(run.status, lang)}${run.commitSha ? `  ${run.commitSha.slice(0, 12)}` : ''}${run.imageDigest ? `  ${run.imageDigest}` : ''}`];
  for (const s of run.steps ?? []) {
    const said = noteText(s, lang);
    lines.push(`  ${stepLabel(s.name, lang).padEnd(14)} ${stepStatus(s.status, lang).padEnd(10)} ${s.workMs !== null ? `${s.workMs} ms` : ''}${said ? `  ${said}` : ''}`.trimEnd());
  }
  for (const r of run.verdict?.reasons ?? []) lines.push(`  ${outcomeMark(r)} ${r.text?.[lang] ?? r.message}`);
  const said = noteText(run, lang);
  if (said) lines.push(`  ${said}`);
  return `${lines.join('\n')}\n`;
}

async function watch(
  client: ApiClient,
  id: string,
  io: Io,
  lang: Lang,
  json: boolean,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  const seen = new Map<string, string>();
  for (;;) {
    const run = await client.request<Run>('GET', `/runs/${id}`);
    if (!json) {
      for (const s of run.steps ?? []) {
        const said = noteText(s, lang);
        if (seen.get(s.name) !== s.status && s.status !== 'pending')
          io.out(
            `${stepLabel(s.name, lang)}${lang === 'fr' ? ' :' : ':'} ${stepStatus(s.status, lang)}${said ? ` — ${said}` : ''}\n`,
          );
        seen.set(s.name, s.status);
      }
    }
    if (terminal.has(run.status)) {
      io.out(json ? `${JSON.stringify(run)}\n` : describeRun(run, lang));
      return run.status === 'certified' ? 0 : 1;
    }
    await sleep(1000);
  }
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    const { values, positionals } = parseArgs({
      args: more,
      options: { project: { type: 'string' }, repo: { type: 'string' }, ref: { type: 'string' }, revision: { type: 'string' }, watch: { type: 'boolean' }, limit: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    const lang = options.lang;
    if (sub === 'start') {
      if (!values.project || !values.repo) throw new UsageError(usage);
      const { project, repo } = await repositoryOf(client, values.project, values.repo);
      const started = await client.request<Run>('POST', `/projects/${project.id}/repositories/${repo.id}/runs`, {
        ...(values.ref ? { ref: values.ref } : {}),
        ...(values.revision ? { revision: values.revision } : {}),
      });
      if (!values.watch) {
        io.out(options.json ? `${JSON.stringify(started)}\n` : lang === 'fr' ? `Exécution ${started.id} en attente.\n` : `Run ${started.id} queued.\n`);
        return 0;
      }
      return watch(client, started.id, io, lang, options.json);
    }
    if (sub === 'list') {
      if (!values.project) throw new UsageError(usage);
      const limit = Number(values.limit ?? 20) || 20;
      // Without --repo: the runs of every repository of the project, newest first.
      const project = await resolveProject(client, values.project);
      const repos = values.repo ? [(await repositoryOf(client, values.project, values.repo)).repo] : (await client.request<{ items: { id: string; name: string }[] }>('GET', `/repositories?projectId=${project.id}&limit=200`)).items;
      const items: (Run & { repository: string })[] = [];
      for (const repo of repos) {
        const page = await client.request<{ items: Run[] }>('GET', `/projects/${project.id}/repositories/${repo.id}/runs?limit=${limit}`);
        items.push(...page.items.map((r) => ({ ...r, repository: repo.name })));
      }
      items.sort((x, y) => y.createdAt.localeCompare(x.createdAt));
      const shown = items.slice(0, limit);
      if (options.json) io.out(`${JSON.stringify(shown)}\n`);
      else if (shown.length === 0) io.out(lang === 'fr' ? 'Aucune exécution : poussez du code ou lancez « dso runs start ».\n' : 'No run: push some code or use "dso runs start".\n');
      else io.out(table(['id', lang === 'fr' ? 'dépôt' : 'repository', lang === 'fr' ? 'statut' : 'status', 'commit', lang === 'fr' ? 'créée' : 'created'], shown.map((r) => [r.id, r.repository, say(r.status, lang), r.commitSha?.slice(0, 12) ?? '', r.createdAt])));
      return 0;
    }
    const id = positionals[0];
    if ((sub === 'watch' || sub === 'get') && id) {
      if (sub === 'watch') return watch(client, id, io, lang, options.json);
      const found = await client.request<Run>('GET', `/runs/${id}`);
      io.out(options.json ? `${JSON.stringify(found)}\n` : describeRun(found, lang));
      return 0;
    }
    throw new UsageError(usage);
  });
}
