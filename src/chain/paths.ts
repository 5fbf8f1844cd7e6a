// Where the chain keeps things on disk, all under DSO_DATA_DIR and built only from validated slugs and ids.
import path from 'node:path';
import { targetPath } from '../integrations/git/repository-path.ts';

/** Root served by the git endpoint: projects/<slug>/<name>.git and _platform/gitops.git. */
export function gitRoot(dataDir: string): string {
  return path.join(dataDir, 'git');
}

export function mirrorPath(dataDir: string, projectSlug: string, repositoryName: string): string {
  return targetPath(gitRoot(dataDir), { kind: 'repository', projectSlug, repositoryName });
}

/** A run's working folder (checked-out tree, built image); removed when the run ends. */
export function runWorkDir(dataDir: string, runId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(runId)) throw new Error('invalid run id');
  return path.join(dataDir, 'chain', 'work', runId);
}

/** The embedded registry: OCI image layouts on disk. */
export function embeddedRegistryRoot(dataDir: string): string {
  return path.join(dataDir, 'registry');
}
