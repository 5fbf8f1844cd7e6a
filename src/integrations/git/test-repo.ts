import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Builds real git repositories for tests (a team's "external" repository).
 * Kept out of production paths: only *.test.ts files import it.
 */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Équipe test',
  GIT_AUTHOR_EMAIL: 'equipe@example.test',
  GIT_COMMITTER_NAME: 'Équipe test',
  GIT_COMMITTER_EMAIL: 'equipe@example.test',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function initWorkRepo(dir: string, branch = 'main'): void {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '-b', branch);
}

/** Writes files and commits them; returns the new commit id. */
export function commitFiles(dir: string, files: Record<string, string>, message = 'change'): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
