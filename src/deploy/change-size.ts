// DORA change size: how much a deployment changes compared with what the environment ran before — commits, files
// and lines between the two certified revisions, read from the platform's mirror of the repository. Small changes
// deployed often are what EX17 asks for; the measure is kept on the deployment and its median shown with the
// other delivery measures. Unknown (first deployment, revision missing from the mirror): no figure, never a guess.
import { runGit } from '../integrations/git/run-git.ts';

export interface ChangeSize {
  commits: number;
  files: number;
  linesAdded: number;
  linesDeleted: number;
  /** The revision the change is measured from. */
  since: string;
}

const sha = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** Parses `git diff --shortstat`: " 3 files changed, 10 insertions(+), 2 deletions(-)" (parts may be absent). */
export function parseShortstat(text: string): { files: number; linesAdded: number; linesDeleted: number } {
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return { files: num(/(\d+) files? changed/), linesAdded: num(/(\d+) insertions?\(\+\)/), linesDeleted: num(/(\d+) deletions?\(-\)/) };
}

export async function measureChangeSize(mirrorDir: string, from: string, to: string): Promise<ChangeSize | undefined> {
  if (!sha.test(from) || !sha.test(to)) return undefined;
  if (from === to) return { commits: 0, files: 0, linesAdded: 0, linesDeleted: 0, since: from };
  const [count, stat] = await Promise.all([
    runGit(['rev-list', '--count', `${from}..${to}`], { cwd: mirrorDir, timeoutMs: 10_000, maxStdoutBytes: 1024 }),
    runGit(['diff', '--shortstat', '--no-renames', from, to], { cwd: mirrorDir, timeoutMs: 20_000, maxStdoutBytes: 4096 }),
  ]);
  if (count.code !== 0 || stat.code !== 0) return undefined;
  return { commits: Number(count.stdout.trim()) || 0, ...parseShortstat(stat.stdout), since: from };
}
