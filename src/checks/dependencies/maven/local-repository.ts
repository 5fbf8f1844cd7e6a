// The local Maven repository (~/.m2/repository, or DSO_MAVEN_REPOSITORY) as a source of parent POMs and BOMs:
// `<group as folders>/<artifact>/<version>/<artifact>-<version>.pom`. Read-only, bounded, never follows a path out
// of the repository.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Coordinates } from './pom.ts';
import type { PomSource } from './resolve.ts';

const maxPomBytes = 2 * 1024 * 1024;
const safe = /^[A-Za-z0-9._-]+$/;

export function localMavenRepository(dir: string): PomSource {
  return {
    name: `local Maven repository ${dir}`,
    find(c: Coordinates) {
      if (![c.artifactId, c.version, ...c.groupId.split('.')].every((part) => safe.test(part) && part !== '..' && part !== '.')) return undefined;
      const file = path.join(dir, ...c.groupId.split('.'), c.artifactId, c.version, `${c.artifactId}-${c.version}.pom`);
      try {
        if (statSync(file).size > maxPomBytes) return undefined;
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** DSO_MAVEN_REPOSITORY (from the CLI's environment), else ~/.m2/repository. */
export function defaultMavenRepositoryDir(env: NodeJS.ProcessEnv = {}): string {
  return env.DSO_MAVEN_REPOSITORY ?? path.join(homedir(), '.m2', 'repository');
}
