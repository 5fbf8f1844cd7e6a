// The paths git tracks in a working tree, read from its index file without running git (running git in a checked
// repository would obey that repository's own configuration: hooks, fsmonitor commands…). The walk needs them
// because git lists a tracked file even where an ignore pattern matches it. Index versions 2, 3 and 4 (prefix-
// compressed paths), SHA-1 and SHA-256 repositories. Never throws: an unreadable or unknown index gives undefined.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The git directory (`.git`, or the one a `.git` file points to) and the directory it shares (linked worktrees). */
export interface GitDirectories {
  gitDir: string;
  commonDir: string;
}

/** The git directories of a working tree whose top is `root`, if `root/.git` is one. */
export function gitDirectoriesOf(root: string): GitDirectories | undefined {
  const dotGit = join(root, '.git');
  let gitDir: string;
  try {
    if (statSync(dotGit).isDirectory()) gitDir = dotGit;
    else {
      // A linked worktree or a submodule: .git is a file "gitdir: <path>".
      const pointer = readFileSync(dotGit, 'utf8').slice(0, 4096).trim();
      if (!pointer.startsWith('gitdir:')) return undefined;
      gitDir = resolve(root, pointer.slice(7).trim());
    }
  } catch {
    return undefined;
  }
  let commonDir = gitDir;
  try {
    commonDir = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    /* not a linked worktree */
  }
  return { gitDir, commonDir };
}

/** Tracked file paths (relative, `/`-separated), or undefined when the index cannot be read. */
export function trackedPaths(git: GitDirectories): Set<string> | undefined {
  let index: Buffer;
  try {
    index = readFileSync(join(git.gitDir, 'index'));
  } catch {
    return undefined;
  }
  try {
    return parseIndex(index, objectIdLength(git.commonDir));
  } catch {
    return undefined;
  }
}

function objectIdLength(commonDir: string): number {
  try {
    return /^\s*objectformat\s*=\s*sha256\s*$/im.test(readFileSync(join(commonDir, 'config'), 'utf8')) ? 32 : 20;
  } catch {
    return 20;
  }
}

const gitlinkMode = 0o160000;
const typeMask = 0o170000;
const directoryMode = 0o040000;

export function parseIndex(index: Buffer, idLength = 20): Set<string> | undefined {
  if (index.length < 12 || index.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = index.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = index.readUInt32BE(8);
  const paths = new Set<string>();
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  // ctime, mtime (8 + 8), dev, ino, mode, uid, gid, size (6 × 4), object id, flags (2).
  const fixed = 40 + idLength + 2;
  for (let n = 0; n < count; n++) {
    if (at + fixed > index.length) return undefined;
    const mode = index.readUInt32BE(at + 24);
    const flags = index.readUInt16BE(at + 40 + idLength);
    let pathStart = at + fixed;
    if (version >= 3 && (flags & 0x4000) !== 0) pathStart += 2;
    let path: Buffer;
    if (version === 4) {
      // A varint: how many bytes of the previous path to drop; then the rest of the path, NUL-terminated.
      let strip = 0;
      let byte = index[pathStart++] as number;
      strip = byte & 0x7f;
      while ((byte & 0x80) !== 0) {
        byte = index[pathStart++] as number;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const end = index.indexOf(0, pathStart);
      if (end === -1 || strip > previous.length) return undefined;
      path = Buffer.concat([previous.subarray(0, previous.length - strip), index.subarray(pathStart, end)]);
      at = end + 1;
    } else {
      const end = index.indexOf(0, pathStart);
      if (end === -1) return undefined;
      path = index.subarray(pathStart, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      at += (end - at + 8) & ~7;
    }
    previous = path;
    const type = mode & typeMask;
    // Submodules (gitlinks) and the folders of a sparse index are not files of this tree.
    if (type === gitlinkMode || type === directoryMode) continue;
    paths.add(path.toString('utf8'));
  }
  return paths;
}
