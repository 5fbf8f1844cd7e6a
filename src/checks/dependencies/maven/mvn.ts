// `mvn` as the last source of parent POMs and BOMs, when it is installed: it knows what our reader of the local
// repository cannot (a `localRepository` set in settings.xml, the ministry's repository manager as a mirror).
// Offline first (`mvn -o`: nothing leaves the machine); online only when DSO_MAVEN_ONLINE=true. Each POM is asked
// once per check, within a budget of runs and time per check, since a JVM start costs seconds. Coordinates are
// checked before use and passed as arguments (no shell).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Coordinates } from './pom.ts';
import type { PomSource } from './resolve.ts';

const safe = /^[A-Za-z0-9._-]+$/;

export interface MvnOptions {
  /** The `mvn` executable (a path, or a name looked up in PATH; not installed = every lookup finds nothing). */
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

export function mvnPomSource(options: MvnOptions): PomSource {
  const asked = new Map<string, string | undefined>();
  let runs = 0;
  let spentMs = 0;
  let installed = true;
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
          if (!installed || runs >= maxRuns || spentMs >= budgetMs) break;
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
          } catch (error) {
            // Not installed: never tried again in this check. Otherwise not found this way: the next way, or
            // unresolved.
            if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(error as { status?: number }).status) installed = false;
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
