// Reading GitOps tree objects: a cache keyed by tree id (trees never change) and one long-lived
// `git cat-file --batch` per reconcile for the misses. That process is the one place GitOps starts git itself;
// it gets the same scrubbed environment as every other git command (integrations/git/run-git.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitEnvironment } from '../git/run-git.ts';
import { parseTree, type TreeEntryRecord } from './git-objects.ts';

// Trees are immutable and named by their content, so a cache keyed by id is always right, across reconciles.
const treeCache = new Map<string, Map<string, TreeEntryRecord>>();
const treeCacheLimit = 20_000;

function remember(id: string, entries: Map<string, TreeEntryRecord>): void {
  if (treeCache.size >= treeCacheLimit) treeCache.delete(treeCache.keys().next().value!);
  treeCache.set(id, entries);
}

/** Trees we just wrote: the next reconcile compares against them without asking git. */
export function rememberWrittenTree(id: string, entries: Map<string, TreeEntryRecord>): void {
  if (!treeCache.has(id)) remember(id, entries);
}

/** Reads tree objects on demand through one long-lived `git cat-file --batch`. */
export class TreeReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((chunk: Buffer | Error) => void) | null = null;
  private readCount = 0;

  constructor(private readonly repository: string) {}

  /** Number of trees actually read from git (cache misses): the benchmark uses it to show what is not re-read. */
  get reads(): number {
    return this.readCount;
  }

  async read(id: string): Promise<Map<string, TreeEntryRecord>> {
    const cached = treeCache.get(id);
    if (cached) return cached;
    const body = await this.request(id);
    const entries = parseTree(body);
    this.readCount++;
    remember(id, entries);
    return entries;
  }

  close(): void {
    this.child?.stdin.end();
    this.child = null;
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn('git', ['cat-file', '--batch'], { env: gitEnvironment({ GIT_DIR: this.repository }), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.deliver();
    });
    child.stdin.on('error', () => {});
    child.on('error', (e) => this.fail(e));
    child.on('close', () => this.fail(new Error('git cat-file stopped')));
    return child;
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    this.child = null;
    waiting?.(error);
  }

  private deliver(): void {
    if (!this.waiting) return;
    const newline = this.buffer.indexOf(0x0a);
    if (newline < 0) return;
    const header = this.buffer.toString('latin1', 0, newline).split(' ');
    if (header[1] === 'missing') {
      this.buffer = this.buffer.subarray(newline + 1);
      return this.settle(new Error(`git object ${header[0]} is missing`));
    }
    const size = Number(header[2]);
    if (this.buffer.length < newline + 1 + size + 1) return;
    const body = this.buffer.subarray(newline + 1, newline + 1 + size);
    this.buffer = this.buffer.subarray(newline + 1 + size + 1);
    if (header[1] !== 'tree') return this.settle(new Error(`git object ${header[0]} is a ${header[1]}, not a tree`));
    this.settle(Buffer.from(body));
  }

  private settle(result: Buffer | Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(result);
  }

  private request(id: string): Promise<Buffer> {
    if (!/^[0-9a-f]{40}$/.test(id)) return Promise.reject(new Error(`not an object id: ${id}`));
    this.child ??= this.start();
    return new Promise((resolve, reject) => {
      this.waiting = (result) => (result instanceof Error ? reject(result) : resolve(result));
      this.child!.stdin.write(`${id}\n`);
    });
  }
}
