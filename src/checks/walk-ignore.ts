// Which paths the walk leaves out, as git does (so that a laptop run sees what the chain's clean checkout sees):
// every `.gitignore` of the tree, each relative to its own folder, a deeper one taking precedence over its parents,
// then `.git/info/exclude`; negation, character classes, anchored and folder-only patterns follow git through the
// `ignore` package. Tracked files are listed even where a pattern matches them (git lists them too). `.dso/ignore`
// (paths the team excludes from checks on purpose, reviewed like code) applies on top, to tracked files as well.
// The checked folder is the top: .gitignore files above it are not read (checking a folder, even an ignored one,
// means checking it), and the user's global excludes file is not either (it differs from one laptop to the next).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { gitDirectoriesOf, trackedPaths, type GitDirectories } from './git-index.ts';

/** The patterns of one ignore file, and the folder (relative to the checked root, '' for the root) they apply in. */
export interface IgnoreLevel {
  base: string;
  rules: Ignore;
}

/** Longest ignore file read (larger ones are generated or hostile; their first part is kept). */
const maxIgnoreFileBytes = 1024 * 1024;

export function rulesOf(text: string): Ignore {
  return ignore({ ignorecase: false, allowRelativePaths: true }).add(
    text.length > maxIgnoreFileBytes ? text.slice(0, maxIgnoreFileBytes) : text,
  );
}

export function readIgnoreFile(path: string): Ignore | undefined {
  try {
    return rulesOf(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The relative path of `path` inside `level`'s folder. */
function inside(level: IgnoreLevel, path: string): string {
  return level.base === '' ? path : path.slice(level.base.length + 1);
}

/** Git's answer for an untracked path, given the .gitignore levels from the root down to its folder. */
export function ignoredByGit(
  levels: readonly IgnoreLevel[],
  exclude: Ignore | undefined,
  path: string,
  isDirectory: boolean,
): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i] as IgnoreLevel;
    const relative = inside(level, path);
    const result = level.rules.test(isDirectory ? `${relative}/` : relative);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return exclude !== undefined && exclude.test(isDirectory ? `${path}/` : path).ignored;
}

/** What the walk of one tree needs to decide: read once per walk. */
export class TreeIgnore {
  /** `.dso/ignore`. */
  readonly team: Ignore | undefined;
  /** `.git/info/exclude`. */
  readonly exclude: Ignore | undefined;
  private readonly git: GitDirectories | undefined;
  private tracked: { files: Set<string>; folders: Set<string> } | undefined;

  constructor(root: string) {
    this.team = readIgnoreFile(join(root, '.dso', 'ignore'));
    this.git = gitDirectoriesOf(root);
    this.exclude = this.git ? readIgnoreFile(join(this.git.commonDir, 'info', 'exclude')) : undefined;
  }

  /** Whether the team excludes this path from checks. */
  excludedByTeam(path: string, isDirectory: boolean): boolean {
    return this.team !== undefined && this.team.test(isDirectory ? `${path}/` : path).ignored;
  }

  /** Whether git tracks this file, or files inside this folder (the index is read at the first question only). */
  isTracked(path: string, isDirectory: boolean): boolean {
    if (this.git === undefined) return false;
    if (this.tracked === undefined) {
      const files = trackedPaths(this.git) ?? new Set<string>();
      const folders = new Set<string>();
      for (const file of files) {
        for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
          const folder = file.slice(0, slash);
          if (folders.has(folder)) break;
          folders.add(folder);
        }
      }
      this.tracked = { files, folders };
    }
    return isDirectory ? this.tracked.folders.has(path) : this.tracked.files.has(path);
  }
}
