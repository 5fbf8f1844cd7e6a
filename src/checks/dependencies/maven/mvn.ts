// `mvn` as the last source of parent POMs and BOMs, when it is installed: it knows what our reader of the local
// repository cannot (a `localRepository` set in settings.xml, the ministry's repository manager as a mirror).
// Offline first (`mvn -o`: nothing leaves the machine); online only when DSO_MAVEN_ONLINE=true. Each POM is asked
// once per check, within a budget of runs and time per check, since a JVM start costs seconds. Coordinates are
// checked before use and passed as arguments (no shell).
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Coordinates } from './pom.ts';
import type { PomSource } from './resolve.ts';

const safe = /^[A-Za-z0-9._-]+$/;

export interface MvnOptions {
  /** The `mvn` executable (a path or a name looked up in PATH). */
  command: string;
  /** Also try without `-o` (the repositories of the user's settings.xml) when offline finds nothing. */
  online: boolean;
  /** DSO_MAVEN_REPOSITORY, passed as maven.repo.local so that mvn and our reader agree; else mvn's own settings. */
  repository?: string;
  timeoutMs?: number;
  /** Most mvn runs per check (each coordinate costs one or two). */
  maxRuns?: number;
  /** Time all mvn runs of one check may take together. */
  budgetMs?: number;
}

/** `mvn` when an executable of that name is in one of the PATH folders, else undefined. */
export function findMvn(pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'mvn');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function mvnPomSource(options: MvnOptions): PomSource {
  const asked = new Map<string, string | undefined>();
  let runs = 0;
  let spentMs = 0;
  const maxRuns = options.maxRuns ?? 12;
  const budgetMs = options.budgetMs ?? 40_000;
  return {
    name: `mvn (${options.online ? 'offline, then online' : 'offline'})`,
    find(c: Coordinates) {
      if (![c.artifactId, c.version, ...c.groupId.split('.')].every((part) => safe.test(part) && part !== '..' && part !== '.')) return undefined;
      const key = `${c.groupId}:${c.artifactId}:${c.version}`;
      if (asked.has(key)) return asked.get(key);
      let found: string | undefined;
      const out = mkdtempSync(path.join(tmpdir(), 'dso-mvn-'));
      try {
        for (const offline of options.online ? [true, false] : [true]) {
          if (runs >= maxRuns || spentMs >= budgetMs) break;
          runs++;
          const started = performance.now();
          try {
            execFileSync(
              options.command,
              [
                '-B',
                '-q',
                ...(offline ? ['-o'] : []),
                ...(options.repository ? [`-Dmaven.repo.local=${options.repository}`] : []),
                'dependency:copy',
                `-Dartifact=${key}:pom`,
                `-DoutputDirectory=${out}`,
              ],
              { cwd: out, stdio: 'ignore', timeout: Math.min(options.timeoutMs ?? 30_000, budgetMs - spentMs) },
            );
            found = readFileSync(path.join(out, `${c.artifactId}-${c.version}.pom`), 'utf8');
            break;
          } catch {
            // not found this way (or mvn failed): the next way, or unresolved
          } finally {
            spentMs += performance.now() - started;
          }
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      asked.set(key, found);
      return found;
    },
  };
}
