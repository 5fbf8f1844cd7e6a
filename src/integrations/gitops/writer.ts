// Commits a rendered tree into a bare git repository: one commit per reconcile, none when nothing changed.
// Only what differs from the previous commit is hashed into git and read back: unchanged folders keep their
// tree ids, so changing one project costs the same with 10 or 10,000 projects.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { blobId, blobMode, emptyTreeId, treeId, treeMode, type TreeEntryRecord } from './git-objects.ts';
import { GitCommandError, runGit, TreeReader } from './git-process.ts';
import { commitMessage, emptySummary, type ChangeSummary } from './commit-message.ts';
import { environmentFolderDepth, parseEnvironmentFolder } from './layout.ts';
import { keepPrevious, type TreeFiles } from './tree-input.ts';
import type { RenderError } from './model.ts';

export const platformAuthor = { name: 'DSO π', email: 'platform@dso.local' } as const;
export const gitopsBranch = 'refs/heads/main';
const zeroId = '0'.repeat(40);

export interface Changes {
  /** Folders to replace entirely (every file below `path` that is not listed disappears). `''` is the root. */
  upsert?: { path: string; files: TreeFiles }[];
  /** Folders or files to delete; a `*` segment matches any name (e.g. `clusters/*\/*\/projects/<slug>`). */
  remove?: string[];
}

export interface WriteOptions {
  /** Commit time (tests pin it); default now. */
  now?: Date;
}

export type WriteResult =
  | { ok: true; changed: false; commit: string | null }
  | { ok: true; changed: true; commit: string; previous: string | null; summary: ChangeSummary; message: string; stats: WriteStats }
  | { ok: false; error: RenderError };

export interface WriteStats {
  blobsWritten: number;
  treesWritten: number;
  /** Trees of the previous commit read from git (cache misses); stays small for incremental changes. */
  treesRead: number;
  /** Milliseconds spent building and comparing the tree, writing blobs, writing trees, committing. */
  phasesMs: { compare: number; blobs: number; trees: number; commit: number };
}

// ---- in-memory tree ---------------------------------------------------------------------------------------

/** Something already in the repository, known by id only (not read unless an edit goes inside it). */
interface StoredNode {
  kind: 'stored';
  entry: TreeEntryRecord;
}
interface BlobNode {
  kind: 'blob';
  content: Buffer;
  id?: string;
}
interface TreeNode {
  kind: 'tree';
  entries: Map<string, Node>;
  id?: string;
}
type Node = StoredNode | BlobNode | TreeNode;

class InvalidPathError extends Error {}

const maxPathLength = 1024;
function segmentsOf(path: string): string[] {
  if (path === '') return [];
  const segments = path.split('/');
  if (path.length > maxPathLength || segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git' || /[\0\n\t\\]/.test(s))) {
    throw new InvalidPathError(path.slice(0, 200));
  }
  return segments;
}

function entryOf(node: Node): TreeEntryRecord {
  if (node.kind === 'stored') return node.entry;
  return node.kind === 'blob' ? { mode: blobMode, type: 'blob', id: node.id! } : { mode: treeMode, type: 'tree', id: node.id! };
}

/** Hashes a tree bottom-up and drops empty folders (git has no empty directories). Returns false if empty. */
function hashTree(node: TreeNode): boolean {
  const records = new Map<string, TreeEntryRecord>();
  for (const [name, child] of node.entries) {
    if (child.kind === 'tree' && !hashTree(child)) {
      node.entries.delete(name);
      continue;
    }
    if (child.kind === 'blob') child.id ??= blobId(child.content);
    records.set(name, entryOf(child));
  }
  node.id = records.size ? treeId(records) : emptyTreeId;
  return records.size > 0;
}

class TreeEditor {
  constructor(
    private readonly reader: TreeReader,
    readonly root: TreeNode,
  ) {}

  /** Turns a stored tree into an editable one (reads it once). */
  private async open(node: Node): Promise<TreeNode | null> {
    if (node.kind === 'tree') return node;
    if (node.kind === 'stored' && node.entry.type === 'tree') {
      const entries = await this.reader.read(node.entry.id);
      return { kind: 'tree', entries: new Map([...entries].map(([name, entry]) => [name, { kind: 'stored', entry } as Node])) };
    }
    return null;
  }

  /** The editable folder at `segments`, creating missing folders; replaces files in the way. */
  private async folder(segments: string[]): Promise<TreeNode> {
    let current = this.root;
    for (const segment of segments) {
      const child = current.entries.get(segment);
      let next = child ? await this.open(child) : null;
      if (!next) next = { kind: 'tree', entries: new Map() };
      current.entries.set(segment, next);
      current = next;
    }
    return current;
  }

  async remove(pattern: string): Promise<void> {
    const segments = segmentsOf(pattern.replace(/\*/g, 'x')).map((_, i) => pattern.split('/')[i]!);
    if (!segments.length) {
      this.root.entries.clear();
      return;
    }
    await this.removeBelow(this.root, segments);
  }

  private async removeBelow(tree: TreeNode, segments: string[]): Promise<void> {
    const [head, ...rest] = segments;
    const names = head === '*' ? [...tree.entries.keys()] : tree.entries.has(head!) ? [head!] : [];
    for (const name of names) {
      if (!rest.length) {
        tree.entries.delete(name);
        continue;
      }
      const child = await this.open(tree.entries.get(name)!);
      if (!child) continue;
      tree.entries.set(name, child);
      await this.removeBelow(child, rest);
    }
  }

  /** Replaces the folder at `path` with `files`; folders marked keepPrevious take their content from `previous`. */
  async replace(path: string, files: TreeFiles, previous: Node | null): Promise<void> {
    const segments = segmentsOf(path);
    const fresh: TreeNode = { kind: 'tree', entries: new Map() };
    const previousPrefix = segments;
    for (const [relative, content] of files) {
      const fileSegments = segmentsOf(relative);
      if (content === keepPrevious) {
        const kept = await this.lookup(previous, [...previousPrefix, ...fileSegments]);
        if (!fileSegments.length) {
          if (kept?.kind === 'stored' && kept.entry.type === 'tree') {
            const opened = await this.open(kept);
            for (const [name, node] of opened!.entries) fresh.entries.set(name, node);
          }
          continue;
        }
        if (kept) await this.place(fresh, fileSegments, kept);
        continue;
      }
      if (!fileSegments.length) throw new InvalidPathError(`${path} (empty file name)`);
      await this.place(fresh, fileSegments, { kind: 'blob', content: typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content) });
    }
    if (!segments.length) {
      this.root.entries = fresh.entries;
      return;
    }
    const parent = await this.folder(segments.slice(0, -1));
    parent.entries.set(segments.at(-1)!, fresh);
  }

  private async place(tree: TreeNode, segments: string[], node: Node): Promise<void> {
    let current = tree;
    for (const segment of segments.slice(0, -1)) {
      const child = current.entries.get(segment);
      let next = child ? await this.open(child) : null;
      if (!next) next = { kind: 'tree', entries: new Map() };
      current.entries.set(segment, next);
      current = next;
    }
    current.entries.set(segments.at(-1)!, node);
  }

  /** The node at `segments` below `start` in the previous commit, without editing anything. */
  async lookup(start: Node | null, segments: string[]): Promise<Node | null> {
    let current: Node | null = start;
    for (const segment of segments) {
      if (current?.kind !== 'stored' || current.entry.type !== 'tree') return null;
      const entry: TreeEntryRecord | undefined = (await this.reader.read(current.entry.id)).get(segment);
      if (!entry) return null;
      current = { kind: 'stored', entry };
    }
    return current;
  }
}

// ---- comparing with the previous commit -------------------------------------------------------------------

interface PendingObjects {
  blobs: BlobNode[];
  /** Post-order: every tree after its sub-trees, as `git mktree` needs them to exist. */
  trees: TreeNode[];
}

/** Collects the new objects, descending only where ids differ from the previous commit at the same path. */
async function collectNewObjects(node: Node, previousId: string | undefined, reader: TreeReader, pending: PendingObjects): Promise<void> {
  if (node.kind === 'stored') return;
  if (node.id === previousId) return;
  if (node.kind === 'blob') {
    pending.blobs.push(node);
    return;
  }
  const previous = previousId ? await readTreeOrNull(reader, previousId) : null;
  for (const [name, child] of node.entries) await collectNewObjects(child, previous?.get(name)?.id, reader, pending);
  pending.trees.push(node);
}

async function readTreeOrNull(reader: TreeReader, id: string): Promise<Map<string, TreeEntryRecord> | null> {
  return id === emptyTreeId ? new Map() : reader.read(id);
}

async function childrenOf(node: Node | undefined, reader: TreeReader): Promise<Map<string, string>> {
  if (!node) return new Map();
  if (node.kind === 'tree') return new Map([...node.entries].map(([name, child]) => [name, entryOf(child).type === 'tree' ? 'tree' : 'blob']));
  if (node.kind === 'stored' && node.entry.type === 'tree') return new Map([...(await reader.read(node.entry.id))].map(([name, e]) => [name, e.type]));
  return new Map();
}

function childNode(node: Node | undefined, name: string, previousEntries: Map<string, TreeEntryRecord> | null): Node | undefined {
  if (!node) return undefined;
  if (node.kind === 'tree') return node.entries.get(name);
  const entry = previousEntries?.get(name);
  return entry ? { kind: 'stored', entry } : undefined;
}

/** Which environment folders appeared, changed or disappeared (and which other files changed). */
async function summarize(next: Node | undefined, previous: Node | undefined, path: string[], reader: TreeReader, summary: ChangeSummary): Promise<void> {
  const nextId = next ? entryOf(next).id : undefined;
  const previousId = previous ? entryOf(previous).id : undefined;
  if (nextId === previousId) return;
  const joined = path.join('/');
  const isTree = (n: Node | undefined) => n !== undefined && entryOf(n).type === 'tree';
  if (path.length === environmentFolderDepth && parseEnvironmentFolder(joined) && (isTree(next) || isTree(previous))) {
    (nextId === undefined ? summary.removed : previousId === undefined ? summary.added : summary.updated).push(joined);
    return;
  }
  if (!isTree(next) && !isTree(previous)) {
    summary.otherFiles.push(joined);
    return;
  }
  if (path.length >= environmentFolderDepth) {
    summary.otherFiles.push(joined);
    return;
  }
  const nextTree = isTree(next) ? next : undefined;
  const previousTree = isTree(previous) ? previous : undefined;
  const nextEntries = nextTree?.kind === 'stored' ? await reader.read(nextTree.entry.id) : null;
  const previousEntries = previousTree?.kind === 'stored' ? await reader.read(previousTree.entry.id) : null;
  const names = new Set([...(await childrenOf(nextTree, reader)).keys(), ...(await childrenOf(previousTree, reader)).keys()]);
  for (const name of [...names].sort()) {
    await summarize(childNode(nextTree, name, nextEntries), childNode(previousTree, name, previousEntries), [...path, name], reader, summary);
  }
}

// ---- writing ----------------------------------------------------------------------------------------------

async function writeBlobs(repository: string, blobs: BlobNode[]): Promise<void> {
  if (!blobs.length) return;
  const newline = Buffer.from('\n');
  const chunks: Buffer[] = [];
  for (const blob of blobs) chunks.push(Buffer.from(`blob\ndata ${blob.content.length}\n`, 'latin1'), blob.content, newline);
  // One buffer, one write: thousands of small writes to a pipe cost more than the copy.
  await runGit(repository, ['fast-import', '--quiet'], { input: Buffer.concat(chunks) });
}

async function writeTrees(repository: string, trees: TreeNode[]): Promise<void> {
  const nonEmpty = trees.filter((t) => t.id !== emptyTreeId);
  if (trees.length !== nonEmpty.length) await runGit(repository, ['hash-object', '-w', '-t', 'tree', '--stdin']);
  if (!nonEmpty.length) return;
  const chunks: Buffer[] = [];
  for (const tree of nonEmpty) {
    const lines = [...tree.entries].map(([name, child]) => {
      const e = entryOf(child);
      return `${e.mode} ${e.type} ${e.id}\t${name}\n`;
    });
    chunks.push(Buffer.from(`${lines.join('')}\n`, 'utf8'));
  }
  const { stdout } = await runGit(repository, ['mktree', '--batch'], { input: chunks });
  const ids = stdout.toString('latin1').trim().split('\n');
  // Our in-process hashing must agree with git's, or the next reconcile would compare against wrong ids.
  nonEmpty.forEach((tree, i) => {
    if (ids[i] !== tree.id) throw new Error(`tree id mismatch: computed ${tree.id}, git wrote ${ids[i]}`);
  });
}

export async function ensureRepository(repository: string): Promise<void> {
  if (existsSync(`${repository}/HEAD`)) return;
  await mkdir(repository, { recursive: true });
  await runGit(repository, ['init', '--quiet', '--bare', '-b', 'main', repository]);
}

async function currentCommit(repository: string): Promise<{ commit: string; tree: string } | null> {
  const { stdout } = await runGit(repository, ['for-each-ref', '--format=%(objectname) %(tree)', gitopsBranch]);
  const [commit, tree] = stdout.toString('latin1').trim().split(' ');
  return commit && tree ? { commit, tree } : null;
}

// One reconcile at a time per repository in this process; other processes are caught by the ref's compare-and-swap.
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(repository: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(repository) ?? Promise.resolve();
  const run = before.then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(repository, tail);
  void tail.then(() => queues.get(repository) === tail && queues.delete(repository));
  return run;
}

function failure(code: string, fr: string, en: string): WriteResult {
  return { ok: false, error: { code, message: { fr, en } } };
}

/** Applies folder replacements and removals on top of the current commit; one commit, or none if nothing changed. */
export function applyChanges(repository: string, changes: Changes, options: WriteOptions = {}): Promise<WriteResult> {
  return serialized(repository, async () => {
    const reader = new TreeReader(repository);
    try {
      await ensureRepository(repository);
      const head = await currentCommit(repository);
      const previousRoot: Node | null = head ? { kind: 'stored', entry: { mode: treeMode, type: 'tree', id: head.tree } } : null;
      let mark = performance.now();
      const lap = () => {
        const now = performance.now();
        const elapsed = Math.round((now - mark) * 10) / 10;
        mark = now;
        return elapsed;
      };
      const root: TreeNode = { kind: 'tree', entries: new Map() };
      const editor = new TreeEditor(reader, root);
      if (head && head.tree !== emptyTreeId) {
        for (const [name, entry] of await reader.read(head.tree)) root.entries.set(name, { kind: 'stored', entry });
      }
      for (const pattern of changes.remove ?? []) await editor.remove(pattern);
      for (const { path, files } of changes.upsert ?? []) await editor.replace(path, files, previousRoot);
      hashTree(root);
      if (head && root.id === head.tree) return { ok: true, changed: false, commit: head.commit };
      if (!head && root.entries.size === 0) return { ok: true, changed: false, commit: null };

      const pending: PendingObjects = { blobs: [], trees: [] };
      await collectNewObjects(root, head?.tree, reader, pending);
      const summary = emptySummary();
      await summarize(root, previousRoot ?? undefined, [], reader, summary);
      const compare = lap();
      await writeBlobs(repository, pending.blobs);
      const blobs = lap();
      await writeTrees(repository, pending.trees);
      const trees = lap();

      const message = commitMessage(summary);
      const when = `${Math.floor((options.now ?? new Date()).getTime() / 1000)} +0000`;
      const identity = {
        GIT_AUTHOR_NAME: platformAuthor.name,
        GIT_AUTHOR_EMAIL: platformAuthor.email,
        GIT_AUTHOR_DATE: when,
        GIT_COMMITTER_NAME: platformAuthor.name,
        GIT_COMMITTER_EMAIL: platformAuthor.email,
        GIT_COMMITTER_DATE: when,
      };
      const parents = head ? ['-p', head.commit] : [];
      const { stdout } = await runGit(repository, ['commit-tree', root.id!, ...parents, '-F', '-'], { input: message, env: identity });
      const commit = stdout.toString('latin1').trim();
      const update = await runGit(repository, ['update-ref', '-m', 'dso: reconcile', gitopsBranch, commit, head?.commit ?? zeroId], { allowFailure: true });
      if (update.exitCode !== 0) {
        return failure(
          'gitops.concurrent-update',
          'Le dépôt GitOps a été modifié pendant la réconciliation ; elle sera relancée.',
          'The GitOps repository changed during the reconcile; it will run again.',
        );
      }
      return {
        ok: true,
        changed: true,
        commit,
        previous: head?.commit ?? null,
        summary,
        message,
        stats: { blobsWritten: pending.blobs.length, treesWritten: pending.trees.length, treesRead: reader.reads, phasesMs: { compare, blobs, trees, commit: lap() } },
      };
    } catch (e) {
      if (e instanceof InvalidPathError) return failure('gitops.path-invalid', `Chemin refusé dans le dépôt GitOps : « ${e.message} ».`, `Path refused in the GitOps repository: "${e.message}".`);
      const detail = e instanceof GitCommandError ? e.message : e instanceof Error ? e.message : String(e);
      return failure('gitops.write-failed', `Écriture dans le dépôt GitOps impossible : ${detail}`, `Could not write to the GitOps repository: ${detail}`);
    } finally {
      reader.close();
    }
  });
}

/** Makes the repository hold exactly `files` (a full reconcile). */
export function writeTree(repository: string, files: TreeFiles, options: WriteOptions = {}): Promise<WriteResult> {
  return applyChanges(repository, { upsert: [{ path: '', files }] }, options);
}
