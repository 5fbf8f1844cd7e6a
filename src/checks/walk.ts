// Listing the files of the tree to check: fast (one readdir per folder, one lstat per file), deterministic
// (sorted), the files git would list (ignore files as git reads them: walk-ignore.ts), never following a symbolic
// link out of the tree, and never throwing: whatever cannot be listed becomes a note.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import type { Note, SourceFile } from './model.ts';
import { ignoredByGit, readIgnoreFile, TreeIgnore, type IgnoreLevel } from './walk-ignore.ts';
import { maxFileBytes } from './worker/read-source.ts';

export interface WalkOptions {
  /** Also list node_modules, vendor/, third_party/, bower_components/ (skipped by default). */
  includeVendored?: boolean;
  /** Also list `__fixtures__` folders (skipped by default: they hold deliberately bad examples, fake secrets…). */
  includeFixtures?: boolean;
  maxFileBytes?: number;
  /** Honour the .gitignore files, .git/info/exclude and .dso/ignore (default true). */
  useIgnoreFiles?: boolean;
}

export interface WalkResult {
  files: SourceFile[];
  notes: Note[];
  /** Note categories with their counts, for bounded reporting. */
  skipped: { tooLarge: number; symlinksOutside: number; unreadable: number };
}

const alwaysSkipped = new Set(['.git', '.hg', '.svn']);
const vendored = new Set(['node_modules', 'vendor', 'third_party', 'bower_components']);
const noteLimit = 10;

export function walkTree(root: string, options: WalkOptions = {}): WalkResult {
  const limit = options.maxFileBytes ?? maxFileBytes;
  const files: SourceFile[] = [];
  const notes: Note[] = [];
  const skipped = { tooLarge: 0, symlinksOutside: 0, unreadable: 0 };
  const note = (category: keyof typeof skipped, n: Note) => {
    skipped[category]++;
    if (skipped[category] <= noteLimit) notes.push(n);
  };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (error) {
    notes.push({ message: `cannot read the folder to check (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
    return { files, notes, skipped };
  }
  const insideRoot = (real: string) => real === realRoot || real.startsWith(realRoot + sep);
  const rootPrefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  const ignore = options.useIgnoreFiles === false ? undefined : new TreeIgnore(realRoot);

  interface Folder {
    absolute: string;
    /** Relative to the root, `/`-separated; '' for the root. */
    path: string;
    /** The .gitignore files that apply here, from the root down. */
    levels: readonly IgnoreLevel[];
    /** Inside a folder git ignores: only the files git tracks are listed. */
    trackedOnly: boolean;
  }
  const stack: Folder[] = [{ absolute: realRoot, path: '', levels: [], trackedOnly: false }];
  while (stack.length > 0) {
    const dir = stack.pop() as Folder;
    let entries;
    try {
      entries = readdirSync(dir.absolute, { withFileTypes: true });
    } catch (error) {
      note('unreadable', { file: dir.path || '.', message: `folder not readable (${(error as NodeJS.ErrnoException).code ?? String(error)}), skipped` });
      continue;
    }
    let levels = dir.levels;
    if (ignore && !dir.trackedOnly && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const rules = readIgnoreFile(`${dir.absolute}${sep}.gitignore`);
      if (rules) levels = [...levels, { base: dir.path, rules }];
    }
    const subdirs: Folder[] = [];
    for (const entry of entries) {
      const absolute = dir.absolute === realRoot ? rootPrefix + entry.name : `${dir.absolute}${sep}${entry.name}`;
      const path = dir.path === '' ? entry.name : `${dir.path}/${entry.name}`;
      if (entry.isDirectory()) {
        if (alwaysSkipped.has(entry.name)) continue;
        if (!options.includeVendored && vendored.has(entry.name)) continue;
        if (!options.includeFixtures && entry.name === '__fixtures__') continue;
        let trackedOnly = dir.trackedOnly;
        if (ignore) {
          if (ignore.excludedByTeam(path, true)) continue;
          if (trackedOnly || ignoredByGit(levels, ignore.exclude, path, true)) {
            // Git does not look inside an ignored folder, but still lists the files it tracks there.
            if (!ignore.isTracked(path, true)) continue;
            trackedOnly = true;
          }
        }
        subdirs.push({ absolute, path, levels, trackedOnly });
        continue;
      }
      // A linked worktree's .git is a file: git never lists it.
      if ((!entry.isFile() && !entry.isSymbolicLink()) || alwaysSkipped.has(entry.name)) continue;
      if (ignore) {
        if (ignore.excludedByTeam(path, false)) continue;
        if ((dir.trackedOnly || ignoredByGit(levels, ignore.exclude, path, false)) && !ignore.isTracked(path, false))
          continue;
      }
      if (entry.isFile()) {
        addFile(path, absolute, absolute);
        continue;
      }
      let target: string;
      try {
        target = realpathSync(absolute);
      } catch {
        note('unreadable', { file: path, message: 'broken symbolic link, skipped' });
        continue;
      }
      if (!insideRoot(target)) {
        note('symlinksOutside', { file: path, message: 'symbolic link pointing outside the checked folder, not followed' });
        continue;
      }
      let isFile = false;
      try {
        isFile = statSync(target).isFile();
      } catch {
        /* vanished meanwhile */
      }
      // A link to a folder inside the tree is not followed: its files are listed at their real place (and a
      // loop of links cannot trap the walk).
      if (isFile) addFile(path, absolute, target);
    }
    // Reversed: the stack then takes the folders in their listed order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as Folder);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, notes, skipped };

  function addFile(path: string, absolute: string, real: string): void {
    let size: number;
    try {
      size = (real === absolute ? lstatSync(absolute) : statSync(real)).size;
    } catch (error) {
      note('unreadable', { file: path, message: `file not readable (${(error as NodeJS.ErrnoException).code ?? String(error)}), skipped` });
      return;
    }
    if (size > limit) {
      note('tooLarge', { file: path, message: `file larger than ${Math.round(limit / 1024 / 1024)} MB (${(size / 1024 / 1024).toFixed(1)} MB), skipped` });
      return;
    }
    files.push({ path, size });
  }
}
