// The walk lists exactly the files git lists (`git ls-files --cached --others --exclude-standard`): real repositories
// built with git, with tricky ignore files (nested .gitignore files, negation, character classes, folder-only and
// anchored patterns, `**`, escapes, .git/info/exclude) and tracked files that an ignore pattern matches.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkTree } from './walk.ts';

const scratch = mkdtempSync(join(tmpdir(), 'dso-walk-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// No user or system configuration: no global excludes file, whatever the machine.
const env = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: join(scratch, 'xdg'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd, env, encoding: 'utf8' });

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const gitListing = (root: string) => git(root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean).sort();
const walked = (root: string) =>
  walkTree(root, { includeVendored: true, includeFixtures: true })
    .files.map((f) => f.path)
    .sort();

const rootIgnore = [
  '# a comment, then a blank line',
  '',
  '*.log',
  '!keep.log',
  '/root-only.txt',
  'build/*',
  '!build/keep.txt',
  'logs/',
  '!logs/important.log',
  'file[0-9].txt',
  '*.[oa]',
  '[!s]*.tmp',
  '[a-c]x[!0-9].cfg',
  'cache/',
  'doc/*.txt',
  '**/temp',
  'a/**/b.dat',
  'out/**',
  '\\#hash.txt',
  '\\!bang.txt',
  'trailing.txt\\ ',
  'spaced.txt   ',
  '*.LOG',
  'q?.md',
  'tracked-ignored.txt',
  '!sub/local-secret.env',
].join('\n');

const files: Record<string, string> = {
  'a.log': '', 'keep.log': '', 'sub/b.log': '', 'sub/keep.log': '',
  'root-only.txt': '', 'nested/root-only.txt': '',
  'build/x.js': '', 'build/keep.txt': '',
  'logs/a.log': '', 'logs/important.log': '',
  'file1.txt': '', 'fileA.txt': '', 'file10.txt': '',
  'x.o': '', 'y.a': '', 'z.c': '',
  'a.tmp': '', 's.tmp': '',
  'axb.cfg': '', 'ax1.cfg': '', 'dxb.cfg': '',
  'cache/data.bin': '', 'other/cache': '',
  'doc/a.txt': '', 'doc/deep/b.txt': '', 'x/doc/a.txt': '',
  'temp/t.txt': '', 'deep/er/temp/t.txt': '',
  'a/b.dat': '', 'a/x/y/b.dat': '', 'c/a/b.dat': '',
  'out/any/x.js': '',
  '#hash.txt': '', '!bang.txt': '', 'trailing.txt ': '', 'trailing.txt': '', 'spaced.txt': '',
  'X.LOG': '', 'Upper.Log': '',
  'q1.md': '', 'q10.md': '',
  // Nested ignore files: relative to their folder, a deeper one overriding its parents.
  'sub/.gitignore': '*.json\n!important.json\n/local-only\n',
  'sub/a.json': '', 'sub/important.json': '', 'sub/local-only': '', 'sub/deeper/local-only': '', 'local-only': '',
  'sub/deeper/.gitignore': '!*.json\n',
  'sub/deeper/c.json': '',
  'only-gitignore/.gitignore': '*\n!.gitignore\n',
  'only-gitignore/x.txt': '',
  'whitelist/.gitignore': '*\n!*/\n!*.md\n',
  'whitelist/a.txt': '', 'whitelist/a.md': '', 'whitelist/d/b.md': '', 'whitelist/d/c.txt': '',
  // .git/info/exclude (below .gitignore in precedence: the root .gitignore re-includes sub/local-secret.env).
  'local-secret.env': '', 'sub/local-secret.env': '', 'excluded-dir/x.txt': '',
};

describe('the walk lists what git lists', () => {
  const root = join(scratch, 'repo');
  mkdirSync(root);
  git(root, 'init', '-q');
  // Tracked before the ignore files exist: git keeps listing them although patterns match them.
  write(root, { 'tracked-ignored.txt': 'tracked', 'logs/tracked.log': 'tracked', 'cache/tracked/kept.bin': 'tracked' });
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'tracked files');
  write(root, { ...files, '.gitignore': rootIgnore, '.git/info/exclude': 'local-secret.env\nexcluded-dir/\n' });

  it('with nested .gitignore files, negation, classes, folder-only and anchored patterns, escapes and info/exclude', () => {
    const listed = gitListing(root);
    // The fixture exercises what it claims: git ignores some files and keeps tracked ones that patterns match.
    expect(listed).toContain('tracked-ignored.txt');
    expect(listed).toContain('cache/tracked/kept.bin');
    expect(listed).toContain('sub/deeper/c.json');
    expect(listed).not.toContain('sub/a.json');
    expect(listed).not.toContain('local-secret.env');
    expect(walked(root)).toEqual(listed);
  });

  it('with the paths of the index compressed (index version 4)', () => {
    git(root, 'update-index', '--index-version', '4');
    expect(walked(root)).toEqual(gitListing(root));
  });

  it('in a linked worktree, whose .git is a file pointing to the shared repository', () => {
    const worktree = join(scratch, 'worktree');
    git(root, 'worktree', 'add', '-q', worktree);
    write(worktree, { ...files, '.gitignore': rootIgnore });
    expect(gitListing(worktree)).toContain('cache/tracked/kept.bin');
    expect(walked(worktree)).toEqual(gitListing(worktree));
  });

  it('in a folder that is not a repository, from its .gitignore files alone', () => {
    const plain = join(scratch, 'plain');
    write(plain, { ...files, '.gitignore': rootIgnore });
    const listing = walked(plain);
    expect(listing).toContain('keep.log');
    expect(listing).not.toContain('a.log');
    expect(listing).toContain('local-secret.env');
    expect(listing).not.toContain('sub/a.json');
  });
});
