import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { killGroup } from '../process-group.ts';
import { createMirror } from './mirror.ts';
import type { GitReplication } from './replication.ts';
import { gitEnvironment } from './run-git.ts';
import { parseGitUrl, type GitTarget } from './repository-path.ts';

/**
 * Smart HTTP for internal repositories: `git http-backend` run as a CGI program behind
 * the platform's own authorisation. The server mounts the returned handler under `/git/`.
 */
export type GitOperation = 'read' | 'write';

export type GitAccessDecision =
  | { allowed: true; user: string }
  | { allowed: false; reason: 'unauthenticated' | 'forbidden' | 'not-found' };

/** Decides, from the request (token, session…), whether `operation` on `target` is allowed. */
export type GitAccess = (
  req: IncomingMessage,
  target: GitTarget,
  operation: GitOperation,
) => Promise<GitAccessDecision>;

export type GitHttpHandler = (req: IncomingMessage, res: ServerResponse, access: GitAccess) => Promise<void>;

export interface GitHttpBackendOptions {
  /** Folder holding `projects/<slug>/<name>.git` and `_platform/gitops.git`. */
  root: string;
  /** Maximum request body, after gzip decoding (default 256 MiB). */
  maxRequestBytes?: number;
  /** Wall time for one git process (default 10 min). */
  timeoutMs?: number;
  /** Realm shown by git clients when asking for credentials. */
  realm?: string;
  /**
   * Durable copies: a repository this replica never mirrored is rebuilt before it is served, one that is behind
   * is brought up to date, and a push is recorded for the other replicas.
   */
  replication?: GitReplication;
}

const MAX_CGI_HEADER_BYTES = 64 * 1024;

export function createGitHttpHandler(options: GitHttpBackendOptions): GitHttpHandler {
  const root = path.resolve(options.root);
  const maxRequestBytes = options.maxRequestBytes ?? 256 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10 * 60 * 1000;
  const realm = options.realm ?? 'DSO';

  return async (req, res, access) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parsed = parseGitUrl(url.pathname);
    if (!parsed) return plain(res, 404, 'Not found');

    const method = req.method ?? 'GET';
    const operation = operationOf(parsed.service, url.searchParams.get('service'));
    if (!operation) return plain(res, 400, 'Unsupported git service');
    const expectedMethod = parsed.service === 'info/refs' ? 'GET' : 'POST';
    if (method !== expectedMethod) return plain(res, 405, 'Method not allowed', { Allow: expectedMethod });

    let decision: GitAccessDecision;
    try {
      decision = await access(req, parsed.target, operation);
    } catch {
      return plain(res, 500, 'Access check failed');
    }
    if (!decision.allowed) {
      if (decision.reason === 'unauthenticated') {
        return plain(res, 401, 'Authentication required', { 'WWW-Authenticate': `Basic realm="${realm}"` });
      }
      if (decision.reason === 'not-found') return plain(res, 404, 'Not found');
      return plain(res, 403, operation === 'write' ? 'Push refused: this repository is written by the platform only' : 'Forbidden');
    }
    const repoDir = path.join(root, parsed.relativePath);
    if (options.replication) {
      try {
        await options.replication.refresh(parsed.relativePath, repoDir, createMirror);
      } catch {
        return plain(res, 503, 'Repository temporarily unavailable on this replica', { 'Retry-After': '5' });
      }
    }
    if (!existsSync(path.join(repoDir, 'HEAD'))) return plain(res, 404, 'Not found');

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxRequestBytes) return plain(res, 413, 'Request too large');

    const cgi = () =>
      runCgi(req, res, {
        root,
        pathInfo: `/${parsed.relativePath}/${parsed.service}`,
        query: url.search.slice(1),
        method,
        user: decision.user,
        allowPush: operation === 'write',
        maxRequestBytes,
        timeoutMs,
      });
    // A push changes the repository: under its cross-replica lock, recorded for the others once git is done.
    if (options.replication && parsed.service === 'git-receive-pack') await options.replication.update(parsed.relativePath, repoDir, createMirror, cgi);
    else await cgi();
  };
}

function operationOf(service: string, query: string | null): GitOperation | null {
  if (service === 'git-upload-pack') return 'read';
  if (service === 'git-receive-pack') return 'write';
  if (query === 'git-upload-pack') return 'read';
  if (query === 'git-receive-pack') return 'write';
  return null; // dumb-protocol discovery is not offered
}

interface CgiRequest {
  root: string;
  pathInfo: string;
  query: string;
  method: string;
  user: string;
  allowPush: boolean;
  maxRequestBytes: number;
  timeoutMs: number;
}

function runCgi(req: IncomingMessage, res: ServerResponse, cgi: CgiRequest): Promise<void> {
  return new Promise((resolve) => {
    const gzip = /gzip/i.test(String(req.headers['content-encoding'] ?? ''));
    const env = gitEnvironment(
      {
        GIT_PROJECT_ROOT: cgi.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: cgi.pathInfo,
        QUERY_STRING: cgi.query,
        REQUEST_METHOD: cgi.method,
        CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
        REMOTE_USER: cgi.user,
        REMOTE_ADDR: req.socket.remoteAddress ?? '',
        GATEWAY_INTERFACE: 'CGI/1.1',
      },
      // Defence in depth: git itself refuses receive-pack unless this request was authorised to write.
      { 'http.receivepack': cgi.allowPush ? 'true' : 'false', 'http.uploadpack': 'true', 'uploadpack.allowFilter': 'true' },
    );
    const protocol = String(req.headers['git-protocol'] ?? '');
    if (/^[a-z0-9=:._-]{1,64}$/i.test(protocol)) env.GIT_PROTOCOL = protocol;
    // We decode gzip ourselves so the size bound applies to what git really receives; without
    // CONTENT_LENGTH, http-backend reads the body until end of input.
    const contentLength = req.headers['content-length'];
    if (!gzip && contentLength && /^\d+$/.test(contentLength)) env.CONTENT_LENGTH = contentLength;

    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve();
    };
    const abort = (status: number, message: string) => {
      killGroup(child.pid);
      if (!res.headersSent) plain(res, status, message);
      else res.destroy();
      finish();
    };
    const timer = setTimeout(() => abort(504, 'Git operation timed out'), cgi.timeoutMs);

    let received = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        received += chunk.length;
        if (received > cgi.maxRequestBytes) {
          callback(new Error('request too large'));
          abort(413, 'Request too large');
          return;
        }
        callback(null, chunk);
      },
    });
    let body: Readable = req;
    if (gzip) {
      const gunzip = createGunzip();
      gunzip.on('error', () => abort(400, 'Invalid gzip body'));
      body = req.pipe(gunzip);
    }
    limiter.on('error', () => {});
    child.stdin.on('error', () => {});
    // git answers only once it has read the whole request (stateless RPC), so holding its
    // output until then costs nothing and lets an oversized body still get a clean 413.
    child.stdout.pause();
    limiter.on('end', () => child.stdout.resume());
    // If git stops before reading the whole body (an error), its answer is final: release it.
    child.on('exit', () => child.stdout.resume());
    body.pipe(limiter).pipe(child.stdin);
    req.on('aborted', () => abort(400, 'Client went away'));

    child.stderr.resume(); // git's diagnostics are not forwarded to clients
    let header = Buffer.alloc(0);
    let headerDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (finished) return;
      if (headerDone) {
        if (!res.write(chunk)) {
          child.stdout.pause();
          res.once('drain', () => child.stdout.resume());
        }
        return;
      }
      header = Buffer.concat([header, chunk]);
      const end = headerEnd(header);
      if (end === null) {
        if (header.length > MAX_CGI_HEADER_BYTES) abort(502, 'Invalid response from git');
        return;
      }
      headerDone = true;
      const { status, headers } = parseCgiHeaders(header.subarray(0, end.index).toString('latin1'));
      res.writeHead(status, headers);
      const rest = header.subarray(end.index + end.length);
      if (rest.length) res.write(rest);
    });
    child.on('error', () => abort(500, 'git is not available'));
    child.on('close', () => {
      if (finished) return;
      if (!headerDone) plain(res, 502, 'Invalid response from git');
      else res.end();
      finish();
    });
    res.on('close', () => {
      if (!finished) {
        killGroup(child.pid);
        finish();
      }
    });
  });
}

function headerEnd(buf: Buffer): { index: number; length: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return null;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

/** Parses CGI response headers; `Status: 403 Forbidden` becomes the HTTP status. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const code = Number.parseInt(value, 10);
      if (code >= 100 && code <= 599) status = code;
    } else if (/^[A-Za-z0-9-]+$/.test(name)) {
      headers[name] = value;
    }
  }
  return { status, headers };
}

function plain(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${message}\n`);
}
