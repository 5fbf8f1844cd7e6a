// Helpers of the chain tests: a team's external repository served by its own `git http-backend` (a separate
// HTTP server, as a forge would), a local HTTP receiver of notifications, and polling a run to its end.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGitHttpHandler } from '../../src/integrations/git/http-backend.ts';
import { commitFiles, git, initWorkRepo } from '../../src/integrations/git/test-repo.ts';

export interface ExternalRepository {
  /** Clone URL, e.g. http://127.0.0.1:4123/git/team/app.git */
  url: string;
  work: string;
  commit(files: Record<string, string>, message?: string): string;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

export async function startExternalRepository(files: Record<string, string>): Promise<ExternalRepository> {
  const root = mkdtempSync(path.join(tmpdir(), 'dso-forge-'));
  const bare = path.join(root, 'projects', 'team', 'app.git');
  mkdirSync(path.dirname(bare), { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '-b', 'main', bare]);
  const work = path.join(root, 'work');
  mkdirSync(work);
  initWorkRepo(work);
  git(work, 'remote', 'add', 'origin', bare);
  const commit = (more: Record<string, string>, message?: string) => {
    const sha = commitFiles(work, more, message);
    git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    return sha;
  };
  commit(files, 'initial');
  const handler = createGitHttpHandler({ root });
  const server = createServer((req, res) => void handler(req, res, async () => ({ allowed: true, user: 'forge' })));
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/git/team/app.git`,
    work,
    commit,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Receiver {
  url: string;
  received: { url: string; headers: IncomingMessage['headers']; body: string; status: number }[];
  /** Status codes answered in turn (then 200). */
  answers: number[];
  stop(): Promise<void>;
}

export async function startReceiver(answers: number[] = []): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], answers: [...answers], stop: async () => {} };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = receiver.answers.shift() ?? 200;
      receiver.received.push({ url: req.url ?? '', headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  const port = await listen(server);
  receiver.url = `http://127.0.0.1:${port}/hook`;
  receiver.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

export const terminal = new Set(['certified', 'rejected', 'failed', 'cancelled']);

/** Polls GET /api/v1/runs/{id} until the run ends. */
export async function waitForRun(
  get: (url: string) => Promise<{ status: number; body: any }>,
  runId: string,
  timeoutMs = 60_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(`/api/v1/runs/${runId}`);
    if (res.status === 200 && terminal.has(res.body.status)) return res.body;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${res.body?.status} at step ${res.body?.currentStep}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
