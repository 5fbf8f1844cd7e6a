// Git object ids computed in-process (SHA-1, the format of repositories created by `git init`): hashing a few
// thousand small files here is far cheaper than asking git, and lets the writer find what changed before it
// starts any process.
import { createHash } from 'node:crypto';

export const blobMode = '100644';
export const treeMode = '40000';
export const emptyTreeId = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface TreeEntryRecord {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  id: string;
}

function objectId(type: string, body: Uint8Array): string {
  return createHash('sha1').update(`${type} ${body.byteLength}\0`).update(body).digest('hex');
}

export function blobId(content: Uint8Array): string {
  return objectId('blob', content);
}

/** Git orders tree entries by name, comparing a sub-tree's name as if it ended with '/'. */
function sortKey(name: string, entry: TreeEntryRecord): string {
  return entry.type === 'tree' ? `${name}/` : name;
}

export function serializeTree(entries: Map<string, TreeEntryRecord>): Buffer {
  const sorted = [...entries]
    .map(([name, e]) => ({ name, e, key: Buffer.from(sortKey(name, e)) }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const { name, e } of sorted) {
    parts.push(Buffer.from(`${e.mode} ${name}\0`), Buffer.from(e.id, 'hex'));
  }
  return Buffer.concat(parts);
}

export function treeId(entries: Map<string, TreeEntryRecord>): string {
  return objectId('tree', serializeTree(entries));
}

/** Parses the raw body of a tree object (as `git cat-file --batch` prints it). */
export function parseTree(body: Buffer): Map<string, TreeEntryRecord> {
  const entries = new Map<string, TreeEntryRecord>();
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    const nul = body.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > body.length) throw new Error('corrupt tree object');
    const mode = body.toString('latin1', offset, space);
    const name = body.toString('utf8', space + 1, nul);
    const id = body.toString('hex', nul + 1, nul + 21);
    const type = mode === treeMode ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.set(name, { mode, type, id });
    offset = nul + 21;
  }
  return entries;
}
