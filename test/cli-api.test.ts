// The `dso` API commands against a real server on loopback: human output by default, --json for scripts,
// problem titles in French by default and English on request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { saveCredentials } from '../src/cli/credentials.ts';
import { run as envs } from '../src/cli/envs.ts';
import { run as projects } from '../src/cli/projects.ts';
import { run as repos } from '../src/cli/repos.ts';
import { run as tokens } from '../src/cli/tokens.ts';
import { asActor, runCommand, type CliCommand } from './support/cli.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('dso CLI API commands', (ctx) => {
  let url = '';
  const dso = async (command: CliCommand, args: string[], actor = 'devops', env: Record<string, string> = {}) => {
    url ||= await ctx.system.listen();
    return runCommand(command, args, asActor(url, ctx.world.actors[actor]!.authorization!, env));
  };

  it('creates and lists projects, in French by default and as JSON for scripts', async () => {
    const created = await dso(projects, ['create', 'cli-app', '--name', 'Appli CLI', '--description', 'créée en ligne de commande']);
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toMatch(/^Projet « cli-app » créé \(.+\), provisionnement en cours\.\n$/);
    const list = await dso(projects, ['list']);
    expect(list.out).toMatch(/^SLUG\s+NOM\s+ÉTAT/);
    expect(list.out).toContain('cli-app');
    const json = await dso(projects, ['list', '--json', '--q', 'cli']);
    expect(JSON.parse(json.out).items.map((p: { slug: string }) => p.slug)).toEqual(['cli-app']);
  });

  it('creates an environment by stage slug, picking a cluster the project may use', async () => {
    const r = await dso(envs, ['create', '--project', 'projet-a', '--name', 'recette', '--stage', 'staging', '--cpu', '500', '--memory', '512', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ name: 'recette', status: 'pending', cpuMillicores: 500 });
    const tooBig = await dso(envs, ['create', '--project', 'projet-a', '--name', 'enorme', '--stage', 'dev', '--cpu', '999999', '--memory', '1'], 'devops', { DSO_LANG: 'en' });
    expect(tooBig.code).toBe(1);
    expect(tooBig.err).toMatch(/^dso: Quota exceeded — /);
  });

  it('adds a repository with a token read from an environment variable, never echoing it', async () => {
    const r = await dso(repos, ['add', '--project', 'projet-a', '--name', 'front', '--url', 'https://git.example/front.git', '--username', 'bot', '--token-env', 'GIT_TOKEN'], 'devops', { GIT_TOKEN: 'ghp_NOTSHOWN' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Dépôt « front » ajouté');
    expect(r.out + r.err).not.toContain('ghp_NOTSHOWN');
  });

  it('creates a personal token shown once, and explains refusals with the problem title', async () => {
    const r = await dso(tokens, ['create', '--name', 'ci', '--days', '30']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dso_pat_\S+/);
    const forbidden = await dso(projects, ['create', 'sa-app'], 'service-account', { DSO_LANG: 'en' });
    expect(forbidden).toMatchObject({ code: 1 });
    expect(forbidden.err).toMatch(/^dso: Action not allowed/);
    const french = await dso(projects, ['create', 'Bad Slug']);
    expect(french.err).toMatch(/^dso: Requête invalide/);
    expect(french.err).toContain('slug');
    const usage = await dso(envs, ['create', '--project', 'projet-a', '--lang', 'en']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: dso envs create');
  });

  it('uses the connection saved by dso login when DSO_URL/DSO_TOKEN are not set', async () => {
    url ||= await ctx.system.listen();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-cli-'));
    await saveCredentials({ url, token: ctx.world.actors.owner!.authorization!.replace('Bearer ', '') }, { XDG_CONFIG_HOME: home });
    const { code, out, err } = await runCommand(projects, ['list', '--json'], { XDG_CONFIG_HOME: home });
    expect(code, err).toBe(0);
    expect(JSON.parse(out).items.map((p: { slug: string }) => p.slug)).toContain('projet-a');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('says how to connect when no credentials are configured', async () => {
    const { code, err } = await runCommand(projects, ['list'], { DSO_LANG: 'en', HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' });
    expect(code).toBe(1);
    expect(err).toContain('dso login');
  });
});
