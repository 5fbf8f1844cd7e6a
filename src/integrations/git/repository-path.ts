import path from 'node:path';

/**
 * Where internal repositories live on disk. Paths are built only from validated slugs,
 * never from raw request input, so no URL can name a folder outside the git root.
 */
export type GitTarget =
  | { kind: 'repository'; projectSlug: string; repositoryName: string }
  | { kind: 'gitops' };

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

/** Relative path of a target under the git root, e.g. `projects/web/api.git`. */
export function targetRelativePath(target: GitTarget): string {
  if (target.kind === 'gitops') return '_platform/gitops.git';
  if (!isSlug(target.projectSlug) || !isSlug(target.repositoryName)) {
    throw new Error(`invalid repository slug: ${JSON.stringify(target)}`);
  }
  return `projects/${target.projectSlug}/${target.repositoryName}.git`;
}

export function targetPath(root: string, target: GitTarget): string {
  return path.join(path.resolve(root), targetRelativePath(target));
}

export type ParsedGitUrl = { target: GitTarget; service: GitService; relativePath: string };
/** The only smart-HTTP endpoints we serve; dumb HTTP object access is not offered. */
export type GitService = 'info/refs' | 'git-upload-pack' | 'git-receive-pack';

/**
 * Parses `/git/{projectSlug}/{repositoryName}.git/{service}` or `/git/_platform/gitops.git/{service}`.
 * Returns null for anything else (the caller answers 404).
 */
export function parseGitUrl(pathname: string): ParsedGitUrl | null {
  const match = /^\/git\/([^/]+)\/([^/]+)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(pathname);
  if (!match) return null;
  const [, first, second, service] = match as unknown as [string, string, string, GitService];
  let target: GitTarget;
  if (first === '_platform') {
    if (second !== 'gitops') return null;
    target = { kind: 'gitops' };
  } else {
    if (!isSlug(first) || !isSlug(second)) return null;
    target = { kind: 'repository', projectSlug: first, repositoryName: second };
  }
  return { target, service, relativePath: targetRelativePath(target) };
}
