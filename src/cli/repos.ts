// `dso repos list|add|edit|push`: a project's repositories. `add` declares an external repository for the platform
// to mirror, or (--hosted) a repository the platform hosts; `push` sends a folder to a hosted repository: the
// folder's own history when it is a git work tree, otherwise a snapshot commit of its files on top of what the
// branch already holds. Credentials are read from environment variables, never from the command line (which other
// users of the machine can see in the process list); the push token travels in an HTTP header given to git
// through its environment, never in the URL. `skeleton` writes a first infrastructure repository (manifests for an
// application repository's image, passing the checks, and a README explaining the deploy path) into a folder.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runGit } from '../integrations/git/run-git.ts';
import { processIo, resolveConnection, resolveProject, runApiCommand, table, UsageError, type ApiClient, type Io, type Lang, type Text } from './api-client.ts';
import { printFailures, provisioningWords, say } from './status-words.ts';

export const help: Text = {
  fr: `Dépôts d'un projet.

usage : dso repos list --project <slug> [--json]
        dso repos add --project <slug> --name <nom> --hosted [--kind application|infrastructure] [--deploy-path chemin] [--branch branche] [--json]
        dso repos add --project <slug> --name <nom> --url <https://…> [--kind …] [--deploy-path chemin] [--branch branche] [--username u] [--token-env VARIABLE | --password-env VARIABLE] [--json]
        dso repos edit --project <slug> --name <nom> [--branch branche | --branch-from-remote] [--url <https://…>] [--kind …] [--deploy-path chemin] [--json]
        dso repos push --project <slug> --name <nom> [--dir dossier] [--branch branche]
        dso repos skeleton --project <slug> --application <dépôt> [--dir dossier] [--port 8080] [--health-path /healthz] [--deploy-path deploy] [--json]

  --hosted   dépôt hébergé par la plateforme : on y pousse (dso repos push ou git push) au lieu de le faire copier
  --branch   branche suivie par la chaîne (par défaut : celle du HEAD du dépôt distant)
  push       envoie le dossier (par défaut « . ») ; chaque branche poussée lance la chaîne
  skeleton   écrit un dépôt d'infrastructure de départ pour l'image d'un dépôt d'application (manifestes qui passent
             les contrôles, README) dans --dir (par défaut infrastructure-<projet>) ; le chemin de déploiement est le
             dossier des manifestes, que chaque environnement applique`,
  en: `A project's repositories.

usage: dso repos list --project <slug> [--json]
       dso repos add --project <slug> --name <name> --hosted [--kind application|infrastructure] [--deploy-path path] [--branch branch] [--json]
       dso repos add --project <slug> --name <name> --url <https://…> [--kind …] [--deploy-path path] [--branch branch] [--username u] [--token-env VARIABLE | --password-env VARIABLE] [--json]
       dso repos edit --project <slug> --name <name> [--branch branch | --branch-from-remote] [--url <https://…>] [--kind …] [--deploy-path path] [--json]
       dso repos push --project <slug> --name <name> [--dir folder] [--branch branch]
       dso repos skeleton --project <slug> --application <repository> [--dir folder] [--port 8080] [--health-path /healthz] [--deploy-path deploy] [--json]

  --hosted   a repository hosted by the platform: you push to it (dso repos push or git push) instead of having it mirrored
  --branch   branch the chain follows (default: the remote's HEAD)
  push       sends the folder (default ".") ; each pushed branch starts the chain
  skeleton   writes a first infrastructure repository for an application repository's image (manifests passing the
             checks, a README) into --dir (default infrastructure-<project>); the deploy path is the manifests'
             folder, which each environment applies`,
};

interface Repository {
  id: string;
  name: string;
  source: 'external' | 'hosted';
  externalUrl: string | null;
  kind: string;
  deployPath: string | null;
  defaultBranch: string | null;
  status: string;
  conditions?: { type: string; status: string; message: string }[];
}

const kindText: Record<string, Text> = { application: { fr: 'application', en: 'application' }, infrastructure: { fr: 'infrastructure', en: 'infrastructure' } };

async function repositoryOf(
  client: ApiClient,
  projectRef: string,
  name: string,
): Promise<{ project: { id: string; slug: string }; repository: Repository }> {
  const project = await resolveProject(client, projectRef);
  const page = await client.request<{ items: Repository[] }>('GET', `/repositories?projectId=${project.id}&limit=200`);
  const repository = page.items.find((r) => r.name === name || r.id === name);
  if (!repository)
    throw new UsageError({
      fr: `dépôt « ${name} » introuvable dans ${project.slug}`,
      en: `repository "${name}" not found in ${project.slug}`,
    });
  return { project, repository };
}

function credentialsFrom(values: { username?: string | undefined; 'token-env'?: string | undefined; 'password-env'?: string | undefined }, io: Io): Record<string, string> | undefined {
  let credentials: Record<string, string> | undefined;
  for (const [flag, key] of [['token-env', 'token'], ['password-env', 'password']] as const) {
    const variable = values[flag];
    if (variable === undefined) continue;
    const secret = io.env[variable];
    if (!secret) throw new UsageError({ fr: `la variable ${variable} est vide ou absente`, en: `variable ${variable} is empty or unset` });
    credentials = { ...(values.username ? { username: values.username } : {}), [key]: secret };
  }
  return credentials;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    const lang = options.lang;
    if (sub === 'list') {
      const { values } = parseArgs({ args: more, options: { project: { type: 'string' } }, strict: true });
      if (!values.project) throw new UsageError(help);
      const project = await resolveProject(client, values.project);
      const page = await client.request<{ items: Repository[] }>('GET', `/repositories?projectId=${project.id}&limit=200`);
      if (options.json) io.out(`${JSON.stringify(page)}\n`);
      else if (page.items.length === 0) io.out(lang === 'fr' ? `Aucun dépôt dans ${project.slug} : ajoutez-en un avec « dso repos add ».\n` : `No repository in ${project.slug}: add one with "dso repos add".\n`);
      else {
        const h = lang === 'fr' ? ['NOM', 'SOURCE', 'TYPE', 'BRANCHE', 'ÉTAT'] : ['NAME', 'SOURCE', 'KIND', 'BRANCH', 'STATUS'];
        const remoteHead = lang === 'fr' ? '(HEAD distant)' : '(remote HEAD)';
        io.out(table(h, page.items.map((r) => [r.name, r.source === 'hosted' ? `${client.baseUrl}/git/${project.slug}/${r.name}.git` : (r.externalUrl ?? ''), kindText[r.kind]?.[lang] ?? r.kind, r.defaultBranch ?? remoteHead, say(provisioningWords, r.status, lang)])));
        printFailures(io, page.items, lang);
      }
      return 0;
    }
    if (sub === 'add') {
      const { values } = parseArgs({
        args: more,
        options: {
          project: { type: 'string' },
          name: { type: 'string' },
          url: { type: 'string' },
          hosted: { type: 'boolean' },
          kind: { type: 'string' },
          'deploy-path': { type: 'string' },
          branch: { type: 'string' },
          username: { type: 'string' },
          'token-env': { type: 'string' },
          'password-env': { type: 'string' },
        },
        strict: true,
      });
      if (!values.project || !values.name || Boolean(values.url) === Boolean(values.hosted)) throw new UsageError(help);
      const credentials = credentialsFrom(values, io);
      const project = await resolveProject(client, values.project);
      const created = await client.request<Repository>('POST', '/repositories', {
        projectId: project.id,
        name: values.name,
        ...(values.hosted ? { source: 'hosted' } : { externalUrl: values.url }),
        ...(values.kind ? { kind: values.kind } : {}),
        ...(values['deploy-path'] ? { deployPath: values['deploy-path'] } : {}),
        ...(values.branch ? { defaultBranch: values.branch } : {}),
        ...(credentials ? { credentials } : {}),
      });
      if (options.json) io.out(`${JSON.stringify(created)}\n`);
      else if (created.source === 'hosted') {
        const url = `${client.baseUrl}/git/${project.slug}/${created.name}.git`;
        io.out(lang === 'fr' ? `Dépôt hébergé « ${created.name} » créé (${created.id}).\nPoussez-y votre code : dso repos push --project ${project.slug} --name ${created.name} --dir <dossier>\n  ou : git push ${url} HEAD:main (mot de passe : un jeton personnel)\n` : `Hosted repository "${created.name}" created (${created.id}).\nPush your code to it: dso repos push --project ${project.slug} --name ${created.name} --dir <folder>\n  or: git push ${url} HEAD:main (password: a personal token)\n`);
      } else io.out(lang === 'fr' ? `Dépôt « ${created.name} » ajouté (${created.id}), miroir en cours de création.\n` : `Repository "${created.name}" added (${created.id}), mirror being created.\n`);
      return 0;
    }
    if (sub === 'edit') {
      const { values } = parseArgs({
        args: more,
        options: { project: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, kind: { type: 'string' }, 'deploy-path': { type: 'string' }, branch: { type: 'string' }, 'branch-from-remote': { type: 'boolean' } },
        strict: true,
      });
      if (!values.project || !values.name || (values.branch && values['branch-from-remote'])) throw new UsageError(help);
      const { repository } = await repositoryOf(client, values.project, values.name);
      const change = {
        ...(values.url ? { externalUrl: values.url } : {}),
        ...(values.kind ? { kind: values.kind } : {}),
        ...(values['deploy-path'] !== undefined ? { deployPath: values['deploy-path'] || null } : {}),
        ...(values.branch ? { defaultBranch: values.branch } : {}),
        ...(values['branch-from-remote'] ? { defaultBranch: null } : {}),
      };
      if (Object.keys(change).length === 0) throw new UsageError({ fr: 'rien à changer : donnez --branch, --url, --kind ou --deploy-path', en: 'nothing to change: give --branch, --url, --kind or --deploy-path' });
      const updated = await client.request<Repository>('PATCH', `/repositories/${repository.id}`, change);
      if (options.json) io.out(`${JSON.stringify(updated)}\n`);
      else io.out(lang === 'fr' ? `Dépôt « ${updated.name} » modifié (branche : ${updated.defaultBranch ?? 'HEAD distant'}).\n` : `Repository "${updated.name}" changed (branch: ${updated.defaultBranch ?? 'remote HEAD'}).\n`);
      return 0;
    }
    if (sub === 'push') {
      const { values } = parseArgs({ args: more, options: { project: { type: 'string' }, name: { type: 'string' }, dir: { type: 'string' }, branch: { type: 'string' } }, strict: true });
      if (!values.project || !values.name) throw new UsageError(help);
      const { project, repository } = await repositoryOf(client, values.project, values.name);
      if (repository.source !== 'hosted') {
        throw new UsageError({ fr: `le dépôt « ${repository.name} » est copié depuis ${repository.externalUrl} : poussez sur ce dépôt-là`, en: `repository "${repository.name}" is mirrored from ${repository.externalUrl}: push there` });
      }
      const connection = (await resolveConnection(io.env))!;
      const url = `${client.baseUrl}/git/${project.slug}/${repository.name}.git`;
      const pushed = await pushFolder(path.resolve(values.dir ?? '.'), url, connection.token, values.branch ?? repository.defaultBranch ?? undefined, lang);
      io.out(
        lang === 'fr'
          ? `Poussé sur ${url} (branche ${pushed.branch}, révision ${pushed.commit.slice(0, 12)}). La chaîne démarre : dso runs list --project ${project.slug} --repo ${repository.name}\n`
          : `Pushed to ${url} (branch ${pushed.branch}, revision ${pushed.commit.slice(0, 12)}). The chain starts: dso runs list --project ${project.slug} --repo ${repository.name}\n`,
      );
      return 0;
    }
    if (sub === 'skeleton') {
      const { values } = parseArgs({
        args: more,
        options: { project: { type: 'string' }, application: { type: 'string' }, dir: { type: 'string' }, port: { type: 'string' }, 'health-path': { type: 'string' }, 'deploy-path': { type: 'string' } },
        strict: true,
      });
      if (!values.project || !values.application) throw new UsageError(help);
      const project = await resolveProject(client, values.project);
      const query = new URLSearchParams({ application: values.application });
      if (values.port) query.set('port', values.port);
      if (values['health-path']) query.set('healthPath', values['health-path']);
      if (values['deploy-path']) query.set('deployPath', values['deploy-path']);
      const skeleton = await client.request<Skeleton>('GET', `/projects/${project.id}/infrastructure-skeleton?${query}`);
      const dir = path.resolve(values.dir ?? `infrastructure-${project.slug}`);
      const existing: string[] = [];
      for (const file of skeleton.files)
        if (
          await stat(path.join(dir, file.path)).then(
            () => true,
            () => false,
          )
        )
          existing.push(file.path);
      if (existing.length > 0) throw new UsageError({ fr: `${dir} contient déjà ${existing.join(', ')} : rien n'a été écrit (choisissez un autre --dir)`, en: `${dir} already holds ${existing.join(', ')}: nothing was written (choose another --dir)` });
      for (const file of skeleton.files) {
        await mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
        await writeFile(path.join(dir, file.path), file.content);
      }
      if (options.json) {
        io.out(`${JSON.stringify({ dir, ...skeleton })}\n`);
        return 0;
      }
      const lines = skeleton.files.map((f) => `  ${f.path.padEnd(32)} ${f.purpose[lang]}`);
      const pin = skeleton.imagePinned
        ? lang === 'fr' ? `Image : ${skeleton.image} (dernière révision certifiée).` : `Image: ${skeleton.image} (last certified revision).`
        : lang === 'fr' ? `Image : ${skeleton.image} — aucune révision certifiée de ${values.application} pour l'instant : remplacez l'étiquette par sha-<commit> d'une révision certifiée.` : `Image: ${skeleton.image} — no certified revision of ${values.application} yet: replace the tag with sha-<commit> of a certified revision.`;
      io.out(
        lang === 'fr'
          ? `Dépôt d'infrastructure écrit dans ${dir} :\n${lines.join('\n')}\n${pin}\nChemin de déploiement : ${skeleton.deployPath} (le dossier des manifestes, appliqué à chaque environnement).\nEnsuite : dso repos add --project ${project.slug} --name infrastructure --hosted --kind infrastructure --deploy-path ${skeleton.deployPath}\n         dso repos push --project ${project.slug} --name infrastructure --dir ${dir}\n`
          : `Infrastructure repository written to ${dir}:\n${lines.join('\n')}\n${pin}\nDeploy path: ${skeleton.deployPath} (the manifests' folder, applied to each environment).\nNext: dso repos add --project ${project.slug} --name infrastructure --hosted --kind infrastructure --deploy-path ${skeleton.deployPath}\n      dso repos push --project ${project.slug} --name infrastructure --dir ${dir}\n`,
      );
      return 0;
    }
    throw new UsageError(help);
  });
}

interface Skeleton {
  deployPath: string;
  image: string;
  imagePinned: boolean;
  files: { path: string; content: string; purpose: Text }[];
}

/** Pushes a folder: its own history when it is the top of a git work tree, else a snapshot commit of its files. */
async function pushFolder(
  dir: string,
  url: string,
  token: string,
  branch: string | undefined,
  lang: Lang,
): Promise<{ branch: string; commit: string }> {
  const auth = { GIT_ALLOW_PROTOCOL: 'http:https' };
  const config = { 'http.extraHeader': `Authorization: Bearer ${token}` };
  const fail = (what: Text, stderr: string) =>
    new UsageError({
      fr: `${what.fr} : ${stderr.trim().split('\n').slice(-3).join(' ')}`,
      en: `${what.en}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    });
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir, timeoutMs: 10_000 });
  if (top.code === 0 && path.resolve(top.stdout.trim()) === dir) {
    const current = await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: dir, timeoutMs: 10_000 });
    const target = branch ?? (current.stdout.trim() || 'main');
    const head = await runGit(['rev-parse', 'HEAD'], { cwd: dir, timeoutMs: 10_000 });
    if (head.code !== 0) throw new UsageError({ fr: `${dir} n'a encore aucun commit`, en: `${dir} has no commit yet` });
    const push = await runGit(['push', '--porcelain', '--end-of-options', url, `HEAD:refs/heads/${target}`], {
      cwd: dir,
      env: auth,
      config,
      timeoutMs: 10 * 60_000,
    });
    if (push.code !== 0) throw fail({ fr: 'envoi refusé', en: 'push refused' }, push.stderr);
    return { branch: target, commit: head.stdout.trim() };
  }
  // Not a repository of its own (e.g. examples/premier-projet in this clone): a snapshot of its files, committed on
  // top of the branch's current revision so that pushing again is an ordinary fast-forward.
  const target = branch ?? 'main';
  const gitDir = await mkdtemp(path.join(os.tmpdir(), 'dso-push-'));
  try {
    const env = {
      ...auth,
      GIT_DIR: gitDir,
      GIT_WORK_TREE: dir,
      GIT_AUTHOR_NAME: 'dso repos push',
      GIT_AUTHOR_EMAIL: 'dso@localhost',
      GIT_COMMITTER_NAME: 'dso repos push',
      GIT_COMMITTER_EMAIL: 'dso@localhost',
    };
    await runGit(['init', '--quiet', '--bare', gitDir], { timeoutMs: 10_000 });
    const fetched = await runGit(
      ['fetch', '--quiet', '--end-of-options', url, `+refs/heads/${target}:refs/remotes/origin/${target}`],
      { cwd: dir, env, config, timeoutMs: 10 * 60_000 },
    );
    const parent =
      fetched.code === 0
        ? (
            await runGit(['rev-parse', `refs/remotes/origin/${target}`], { cwd: dir, env, timeoutMs: 10_000 })
          ).stdout.trim()
        : '';
    if (fetched.code !== 0 && /401|403|Authentication|not found/i.test(fetched.stderr))
      throw fail({ fr: 'accès refusé au dépôt', en: 'access to the repository refused' }, fetched.stderr);
    const added = await runGit(['add', '--all', '--', '.'], { cwd: dir, env, timeoutMs: 60_000 });
    if (added.code !== 0)
      throw fail({ fr: 'lecture du dossier impossible', en: 'cannot read the folder' }, added.stderr);
    const tree = (await runGit(['write-tree'], { cwd: dir, env, timeoutMs: 60_000 })).stdout.trim();
    const message =
      lang === 'fr'
        ? `Envoi du dossier ${path.basename(dir)} (dso repos push)`
        : `Folder ${path.basename(dir)} sent (dso repos push)`;
    const commit = await runGit(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message], {
      cwd: dir,
      env,
      timeoutMs: 10_000,
    });
    if (commit.code !== 0) throw fail({ fr: 'commit impossible', en: 'cannot commit' }, commit.stderr);
    const sha = commit.stdout.trim();
    const push = await runGit(['push', '--porcelain', '--end-of-options', url, `${sha}:refs/heads/${target}`], {
      cwd: dir,
      env,
      config,
      timeoutMs: 10 * 60_000,
    });
    if (push.code !== 0) throw fail({ fr: 'envoi refusé', en: 'push refused' }, push.stderr);
    return { branch: target, commit: sha };
  } finally {
    await rm(gitDir, { recursive: true, force: true });
  }
}
