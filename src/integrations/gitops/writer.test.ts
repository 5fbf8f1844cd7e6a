import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDesiredState, renderProject } from './render.ts';
import { samplePlatform, sampleProject } from './sample-state.ts';
import { applyChanges, writeTree, type WriteResult } from './writer.ts';
import type { DesiredState } from './model.ts';
import { scanSecrets } from '../../checks/secrets/scan.ts';

const gitAvailable = (() => {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('git is required in CI (apt-get install git)');
    console.log('gitops writer tests skipped: git is not installed (apt-get install git)');
    return false;
  }
})();

const scratch = mkdtempSync(join(tmpdir(), 'dso-gitops-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshRepository = () => join(scratch, `repo-${++counter}.git`);

function git(repository: string, ...args: string[]): string {
  return execFileSync('git', args, { env: { ...process.env, GIT_DIR: repository }, encoding: 'utf8' }).trim();
}

function clone(repository: string): string {
  const target = join(scratch, `clone-${++counter}`);
  execFileSync('git', ['clone', '--quiet', `file://${repository}`, target], { env: { ...process.env, GIT_DIR: undefined } });
  return target;
}

function filesOf(root: string, base = root): string[] {
  return readdirSync(root).flatMap((name) => {
    if (name === '.git') return [];
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesOf(path, base) : [relative(base, path)];
  });
}

function committed(result: WriteResult) {
  if (!result.ok) throw new Error(result.error.message.en);
  if (!result.changed) throw new Error('expected a commit');
  return result;
}

const state = (...projects: ReturnType<typeof sampleProject>[]): DesiredState => ({
  platform: samplePlatform,
  projects,
});
const env = (cluster: string, project: string, name: string) => `clusters/z-sensitive/${cluster}/projects/${project}/${name}`;

describe.skipIf(!gitAvailable)('committing the rendered tree to the GitOps repository', () => {
  it('creates the repository, commits once as the platform, and makes no commit when nothing changed', async () => {
    const repository = freshRepository();
    const { files } = renderDesiredState(state(sampleProject('alpha', 1), sampleProject('beta', 2)));
    const first = committed(await writeTree(repository, files));
    expect(first.summary.added).toHaveLength(6);
    expect(first.message).toMatch(/^Reconcile environments: 6 added\n/);
    expect(git(repository, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe('DSO π <platform@dso.local>|DSO π <platform@dso.local>');
    expect(git(repository, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(git(repository, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');

    const second = await writeTree(repository, renderDesiredState(state(sampleProject('beta', 2), sampleProject('alpha', 1))).files);
    expect(second).toEqual({ ok: true, changed: false, commit: first.commit });
    expect(git(repository, 'rev-list', '--count', 'main')).toBe('1');
  });

  it('ignores the git configuration and hooks of the user running the platform', async () => {
    // A global configuration that would run a hook on every ref update and sign commits with a missing key.
    const home = mkdtempSync(join(scratch, 'home-'));
    const hooks = join(home, 'hooks');
    const marker = join(home, 'hook-ran');
    execFileSync('mkdir', ['-p', hooks]);
    writeFileSync(join(hooks, 'reference-transaction'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    writeFileSync(join(home, '.gitconfig'), `[core]\n\thooksPath = ${hooks}\n[commit]\n\tgpgSign = true\n[user]\n\tsigningKey = missing\n`);
    const saved = { HOME: process.env.HOME, GIT_DIR: process.env.GIT_DIR };
    process.env.HOME = home;
    process.env.GIT_DIR = join(home, 'not-a-repository');
    try {
      const repository = freshRepository();
      const result = committed(await writeTree(repository, renderDesiredState(state(sampleProject('alpha', 1))).files));
      expect(git(repository, 'rev-parse', 'main')).toBe(result.commit);
      expect(existsSync(marker)).toBe(false);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('holds exactly the rendered files when cloned with the git CLI', async () => {
    const repository = freshRepository();
    const { files } = renderDesiredState(state(sampleProject('alpha', 1)));
    committed(await writeTree(repository, files));
    const checkout = clone(repository);
    expect(filesOf(checkout).sort()).toEqual([...files.keys()].sort());
    for (const [path, content] of files) expect(readFileSync(join(checkout, path), 'utf8'), path).toBe(content);
    expect(git(repository, 'fsck', '--strict', '--no-progress')).toBe('');
  });

  it('removes the folder of a deleted environment, then of a deleted project, and says so', async () => {
    const repository = freshRepository();
    committed(await writeTree(repository, renderDesiredState(state(sampleProject('alpha', 1), sampleProject('beta', 2))).files));

    const alpha = sampleProject('alpha', 1);
    alpha.environments = alpha.environments.filter((e) => e.name !== 'staging');
    const withoutStaging = committed(await writeTree(repository, renderDesiredState(state(alpha, sampleProject('beta', 2))).files));
    expect(withoutStaging.summary.removed).toEqual([env('c-dev', 'alpha', 'staging')]);
    expect(withoutStaging.message).toContain('1 removed');
    expect(existsSync(join(clone(repository), env('c-dev', 'alpha', 'staging')))).toBe(false);

    const withoutAlpha = committed(await writeTree(repository, renderDesiredState(state(sampleProject('beta', 2))).files));
    expect(withoutAlpha.summary.removed.sort()).toEqual([env('c-dev', 'alpha', 'dev'), env('c-prod', 'alpha', 'prod')]);
    const checkout = clone(repository);
    expect(existsSync(join(checkout, 'clusters/z-sensitive/c-dev/projects/alpha'))).toBe(false);
    expect(existsSync(join(checkout, 'clusters/z-sensitive/c-prod/projects/alpha'))).toBe(false);
    expect(existsSync(join(checkout, env('c-prod', 'beta', 'prod'), 'namespace.yaml'))).toBe(true);
  });

  it('applies an incremental change of one project without touching the others', async () => {
    const repository = freshRepository();
    const projects = Array.from({ length: 20 }, (_, i) => sampleProject(`p${i}`, i + 1));
    committed(await writeTree(repository, renderDesiredState(state(...projects)).files));
    const before = git(repository, 'rev-parse', 'main^{tree}');

    const changed = sampleProject('p7', 8);
    changed.environments[0]!.quotas.cpuMillicores = 3000;
    const rendered = renderProject(samplePlatform, changed);
    const result = committed(await applyChanges(repository, { remove: ['clusters/*/*/projects/p7'], upsert: [...rendered.folders].map(([path, files]) => ({ path, files })) }));
    expect(result.summary).toEqual({ added: [], updated: [env('c-dev', 'p7', 'dev')], removed: [], otherFiles: [] });
    expect(result.stats.blobsWritten).toBe(2); // resourcequota.yaml and limitrange.yaml of p7/dev
    // Only the changed folders differ between the two commits.
    const diff = git(repository, 'diff', '--name-only', before, 'main^{tree}').split('\n');
    expect(diff).toEqual([`${env('c-dev', 'p7', 'dev')}/limitrange.yaml`, `${env('c-dev', 'p7', 'dev')}/resourcequota.yaml`]);

    // The same change again is a no-op; removing a project everywhere with a wildcard deletes its folders.
    expect(
      (await applyChanges(repository, { upsert: [...rendered.folders].map(([path, files]) => ({ path, files })) })).ok,
    ).toBe(true);
    const removal = committed(await applyChanges(repository, { remove: ['clusters/*/*/projects/p3'] }));
    expect(removal.summary.removed.sort()).toEqual([env('c-dev', 'p3', 'dev'), env('c-dev', 'p3', 'staging'), env('c-prod', 'p3', 'prod')]);
    expect(git(repository, 'ls-tree', '--name-only', 'main', 'clusters/z-sensitive/c-dev/projects/')).not.toContain('p3');
  });

  it('keeps the last valid state of an environment whose new render is invalid', async () => {
    const repository = freshRepository();
    const first = committed(await writeTree(repository, renderDesiredState(state(sampleProject('alpha', 1))).files));
    const devBefore = git(repository, 'rev-parse', `main:${env('c-dev', 'alpha', 'dev')}`);

    const broken = sampleProject('alpha', 1);
    broken.environments.find((e) => e.name === 'dev')!.quotas.memoryMiB = -1;
    const invalid = renderDesiredState(state(broken));
    expect(invalid.failures.map((f) => f.environment)).toEqual(['dev']);
    expect(await writeTree(repository, invalid.files)).toEqual({ ok: true, changed: false, commit: first.commit });

    broken.environments.find((e) => e.name === 'staging')!.quotas.cpuMillicores = 1000;
    const partly = committed(await writeTree(repository, renderDesiredState(state(broken)).files));
    expect(partly.summary.updated).toEqual([env('c-dev', 'alpha', 'staging')]);
    expect(git(repository, 'rev-parse', `main:${env('c-dev', 'alpha', 'dev')}`)).toBe(devBefore);
  });

  it('keeps the last valid state of a failed environment in an incremental reconcile too', async () => {
    const repository = freshRepository();
    committed(await writeTree(repository, renderDesiredState(state(sampleProject('alpha', 1), sampleProject('beta', 2))).files));
    const devBefore = git(repository, 'rev-parse', `main:${env('c-dev', 'alpha', 'dev')}`);
    const broken = sampleProject('alpha', 1);
    broken.environments.find((e) => e.name === 'dev')!.deployment.revision = '--upload-pack=evil';
    broken.environments.find((e) => e.name === 'prod')!.quotas.gpu = 2;
    const rendered = renderProject(samplePlatform, broken);
    expect(rendered.failures.map((f) => [f.environment, f.errors[0]!.code])).toEqual([['dev', 'revision.invalid']]);
    const result = committed(await applyChanges(repository, { remove: ['clusters/*/*/projects/alpha'], upsert: [...rendered.folders].map(([path, files]) => ({ path, files })) }));
    expect(result.summary.updated).toEqual([env('c-prod', 'alpha', 'prod')]);
    expect(git(repository, 'rev-parse', `main:${env('c-dev', 'alpha', 'dev')}`)).toBe(devBefore);
  });

  it('reports a concurrent update of the branch instead of overwriting it, and leaves no temporary ref', async () => {
    const repository = freshRepository();
    const first = committed(await writeTree(repository, renderDesiredState(state(sampleProject('alpha', 1))).files));
    // Another process in the middle of moving the branch holds its lock file.
    writeFileSync(join(repository, 'refs/heads/main.lock'), `${first.commit}\n`);
    const result = await writeTree(repository, renderDesiredState(state(sampleProject('beta', 2))).files);
    expect(result.ok ? 'committed' : result.error.code).toBe('gitops.concurrent-update');
    expect(git(repository, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(`refs/heads/main ${first.commit}`);
    rmSync(join(repository, 'refs/heads/main.lock'));
    expect(committed(await writeTree(repository, renderDesiredState(state(sampleProject('beta', 2))).files)).previous).toBe(first.commit);
  });

  it('serialises concurrent reconciles into a linear history', async () => {
    const repository = freshRepository();
    const results = await Promise.all([1, 2, 3].map((n) => writeTree(repository, renderDesiredState(state(sampleProject(`p${n}`, n))).files)));
    expect(results.every((r) => r.ok && r.changed)).toBe(true);
    expect(git(repository, 'rev-list', '--count', 'main')).toBe('3');
    expect(git(repository, 'ls-tree', '--name-only', 'main', 'clusters/z-sensitive/c-dev/projects/')).toBe('clusters/z-sensitive/c-dev/projects/p3');
  });

  it('refuses paths that would escape their folder', async () => {
    const repository = freshRepository();
    for (const path of ['../outside', 'a/../../b', '.git/config', 'a//b']) {
      const result = await applyChanges(repository, { upsert: [{ path, files: new Map([['x.yaml', 'a: 1\n']]) }] });
      expect(result.ok ? 'accepted' : result.error.code, path).toBe('gitops.path-invalid');
    }
  });
});

describe.skipIf(!gitAvailable)('secrets in the GitOps repository', () => {
  it('holds references to secrets, never a value, when scanned with the checks library', async () => {
    const repository = freshRepository();
    const project = sampleProject('alpha', 1);
    project.secrets.push({ name: 'api-credentials', keys: ['client-secret', 'token', 'private-key'] });
    committed(await writeTree(repository, renderDesiredState(state(project)).files));
    const checkout = clone(repository);
    const findings = filesOf(checkout).flatMap((path) => scanSecrets(path, readFileSync(join(checkout, path), 'utf8')));
    expect(findings).toEqual([]);
    expect(readFileSync(join(checkout, env('c-dev', 'alpha', 'dev'), 'externalsecrets.yaml'), 'utf8')).toContain('property: client-secret');
    // The scan does see a value when one is there: the empty result above means something.
    expect(scanSecrets('leak.yaml', 'stringData:\n  password: "Zq8!vR2#mW5pL9xT"\n').length).toBeGreaterThan(0);
  });
});

describe.skipIf(!gitAvailable)('committing to an external GitOps repository', () => {
  it('builds on the remote main, keeps what others committed there, and pushes nothing when nothing changed', async () => {
    const { commitToRemote } = await import('./push.ts');
    const repository = freshRepository();
    const remote = freshRepository();
    execFileSync('git', ['init', '--quiet', '--bare', '-b', 'main', remote]);
    const commitAlpha = () => writeTree(repository, renderDesiredState(state(sampleProject('alpha', 1))).files);
    committed(await commitToRemote(repository, { url: `file://${remote}`, token: 'not-used-by-file-urls' }, commitAlpha));
    expect(git(remote, 'rev-parse', 'main')).toBe(git(repository, 'rev-parse', 'main'));
    const before = git(remote, 'rev-parse', 'main');
    expect((await commitToRemote(repository, { url: `file://${remote}` }, commitAlpha)).ok).toBe(true);
    expect(git(remote, 'rev-parse', 'main')).toBe(before);

    // Another writer (a second replica, a person) commits to the remote: the next commit goes on top of it.
    committed(await applyChanges(remote, { upsert: [{ path: 'extra', files: new Map([['note.yaml', 'kind: Note\n']]) }] }));
    const addBeta = () => applyChanges(repository, { upsert: [{ path: 'beta', files: new Map([['b.yaml', 'kind: B\n']]) }] });
    committed(await commitToRemote(repository, { url: `file://${remote}` }, addBeta));
    const files = filesOf(clone(remote));
    expect(files).toContain('extra/note.yaml');
    expect(files).toContain('beta/b.yaml');
    expect(git(remote, 'rev-list', '--count', 'main')).toBe('3');
    const refused = await commitToRemote(repository, { url: 'https://user:pw@example.com/x.git' }, addBeta);
    expect(refused.ok ? 'pushed' : refused.error.code).toBe('gitops.remote-invalid');
  });
});
