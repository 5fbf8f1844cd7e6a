// Commits a rendered tree into a bare git repository: one commit per reconcile, none when nothing changed.
// Only what differs from the previous commit is hashed into git and read back: unchanged folders keep their
// tree ids, so changing one project costs the same with 10 or 10,000 projects.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { blobId, blobMode, emptyTreeId, treeId, treeMode, type TreeEntryRecord } from './git-objects.ts';
import { GitCommandError, gitIn } from './repository-git.ts';
import { rememberWrittenTree, TreeReader } from './tree-reader.ts';
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
  | {
    ok: true;
    changed: true;
    commit: string;
    previous: string | null;
    summary: ChangeSummary;
    message: string;
    stats: WriteStats;
  }
  | { ok: false; error: RenderError };

export interface WriteStats {
  blobsWritten: number;
  treesWritten: number;
  /** Trees of the previous commit read from git (cache misses); stays small for incremental changes. */
  treesRead: number;
  /** Milliseconds spent building and comparing the tree, writing objects and commit (fast-import), moving the
   * branch. */
  phasesMs: { compare: number; write: number; commit: number };
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
  /** The entries as git stores them, once hashed. */
  records?: Map<string, TreeEntryRecord>;
}
type Node = StoredNode | BlobNode | TreeNode;

class InvalidPathError extends Error {}

const maxPathLength = 1024;
function segmentsOf(path: string): string[] {
  if (path === '') return [];
  const segments = path.split('/');
  if (path.length > maxPathLength || segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git' || s.startsWith('"') || /[\0\n\t\\]/.test(s))) {
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
  node.records = records;
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

/** The fast-import commands that turn the previous commit's tree into the new one, and what they write. */
interface FastImportStream {
  chunks: Buffer[];
  blobs: number;
  trees: TreeNode[];
}

const newline = Buffer.from('\n');

/**
 * Emits file changes relative to the previous commit, descending only where ids differ at the same path:
 * unchanged folders are never listed, so fast-import reuses their trees as they are.
 */
async function emitChanges(
  node: Node,
  previous: TreeEntryRecord | undefined,
  path: string,
  reader: TreeReader,
  out: FastImportStream,
): Promise<void> {
  const entry = entryOf(node);
  if (entry.id === previous?.id && entry.mode === previous.mode) return;
  if (node.kind === 'stored') {
    // Something kept from the previous commit, moved here: point at the existing object.
    out.chunks.push(Buffer.from(`M ${entry.mode === treeMode ? '040000' : entry.mode} ${entry.id} ${path}\n`, 'utf8'));
    return;
  }
  if (node.kind === 'blob') {
    out.chunks.push(
      Buffer.from(`M ${blobMode} inline ${path}\ndata ${node.content.length}\n`, 'utf8'),
      node.content,
      newline,
    );
    out.blobs++;
    return;
  }
  out.trees.push(node);
  let previousEntries: Map<string, TreeEntryRecord> | null = null;
  if (previous?.type === 'tree') previousEntries = await readTreeOrNull(reader, previous.id);
  else if (previous) out.chunks.push(Buffer.from(`D ${path}\n`, 'utf8'));
  const prefix = path ? `${path}/` : '';
  for (const name of previousEntries?.keys() ?? []) {
    if (!node.entries.has(name)) out.chunks.push(Buffer.from(`D ${prefix}${name}\n`, 'utf8'));
  }
  for (const [name, child] of node.entries)
    await emitChanges(child, previousEntries?.get(name), `${prefix}${name}`, reader, out);
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

function childNode(
  node: Node | undefined,
  name: string,
  previousEntries: Map<string, TreeEntryRecord> | null,
): Node | undefined {
  if (!node) return undefined;
  if (node.kind === 'tree') return node.entries.get(name);
  const entry = previousEntries?.get(name);
  return entry ? { kind: 'stored', entry } : undefined;
}

/** Which environment folders appeared, changed or disappeared (and which other files changed). */
async function summarize(
  next: Node | undefined,
  previous: Node | undefined,
  path: string[],
  reader: TreeReader,
  summary: ChangeSummary,
): Promise<void> {
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
  const names = new Set([
    ...(await childrenOf(nextTree, reader)).keys(),
    ...(await childrenOf(previousTree, reader)).keys(),
  ]);
  for (const name of [...names].sort()) {
    await summarize(
      childNode(nextTree, name, nextEntries),
      childNode(previousTree, name, previousEntries),
      [...path, name],
      reader,
      summary,
    );
  }
}

// ---- writing ----------------------------------------------------------------------------------------------

/**
 * Writes the new objects and the commit in one `git fast-import` run (one pack, no loose objects), on a
 * temporary ref; the caller then moves `main` with a compare-and-swap.
 */
async function fastImportCommit(
  repository: string,
  temporaryRef: string,
  header: string,
  changes: FastImportStream,
): Promise<string> {
  const input = Buffer.concat([Buffer.from(header, 'utf8'), ...changes.chunks, Buffer.from('\nget-mark :1\n', 'utf8')]);
  const { stdout } = await gitIn(repository, ['fast-import', '--quiet', '--done'], {
    stdin: Buffer.concat([input, Buffer.from('done\n')]),
  });
  const commit = stdout.trim();
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`git fast-import returned no commit id for ${temporaryRef}`);
  return commit;
}

export async function ensureRepository(repository: string): Promise<void> {
  if (existsSync(`${repository}/HEAD`)) return;
  await mkdir(repository, { recursive: true });
  await gitIn(repository, ['init', '--quiet', '--bare', '-b', 'main', repository]);
}

async function currentCommit(repository: string): Promise<{ commit: string; tree: string } | null> {
  const { stdout } = await gitIn(repository, ['for-each-ref', '--format=%(objectname) %(tree)', gitopsBranch]);
  const [commit, tree] = stdout.trim().split(' ');
  return commit && tree ? { commit, tree } : null;
}

let temporaryRefCounter = 0;

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

      const stream: FastImportStream = { chunks: [], blobs: 0, trees: [] };
      if (root.entries.size === 0) stream.chunks.push(Buffer.from('deleteall\n'));
      else await emitChanges(root, head ? { mode: treeMode, type: 'tree', id: head.tree } : undefined, '', reader, stream);
      const summary = emptySummary();
      await summarize(root, previousRoot ?? undefined, [], reader, summary);
      const compare = lap();

      const message = commitMessage(summary);
      const when = `${Math.floor((options.now ?? new Date()).getTime() / 1000)} +0000`;
      const identity = `${platformAuthor.name} <${platformAuthor.email}> ${when}`;
      const temporaryRef = `refs/dso/reconcile-${process.pid}-${++temporaryRefCounter}`;
      const messageBytes = Buffer.from(message, 'utf8');
      const header = `commit ${temporaryRef}\nmark :1\nauthor ${identity}\ncommitter ${identity}\ndata ${messageBytes.length}\n${message}\n${head ? `from ${head.commit}\n` : ''}`;
      const commit = await fastImportCommit(repository, temporaryRef, header, stream);
      const write = lap();
      // One transaction: main moves only if nobody moved it since we read it, and the temporary ref goes away.
      const update = await gitIn(repository, ['update-ref', '--stdin', '-m', 'dso: reconcile'], {
        stdin: `update ${gitopsBranch} ${commit} ${head?.commit ?? zeroId}\ndelete ${temporaryRef}\n`,
        allowFailure: true,
      });
      if (update.code !== 0) {
        await gitIn(repository, ['update-ref', '-d', temporaryRef], { allowFailure: true });
        return failure(
          'gitops.concurrent-update',
          'Le dépôt GitOps a été modifié pendant la réconciliation ; elle sera relancée.',
          'The GitOps repository changed during the reconcile; it will run again.',
        );
      }
      const written = await gitIn(repository, ['rev-parse', `${commit}^{tree}`]);
      // Our in-process hashing must agree with git, or the next reconcile would compare against wrong ids.
      if (written.stdout.trim() !== root.id) throw new Error(`tree id mismatch: computed ${root.id}, git wrote ${written.stdout.trim()}`);
      for (const tree of stream.trees) if (tree.records?.size) rememberWrittenTree(tree.id!, tree.records);
      return {
        ok: true,
        changed: true,
        commit,
        previous: head?.commit ?? null,
        summary,
        message,
        stats: {
          blobsWritten: stream.blobs,
          treesWritten: stream.trees.length,
          treesRead: reader.reads,
          phasesMs: { compare, write, commit: lap() },
        },
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
