// Starting `dso start` as a child process exactly like `npm start` does (node bin/dso.mjs start).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartedConsole {
  child: ChildProcess;
  baseUrl: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export function startConsole(env: Record<string, string>): StartedConsole {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/dso.mjs'), 'start'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(process.env.DSO_PGLITE_TEMPLATE_DIR ? { DSO_PGLITE_TEMPLATE_DIR: process.env.DSO_PGLITE_TEMPLATE_DIR } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, baseUrl: `http://127.0.0.1:${env.PORT}`, stdout: () => out, stderr: () => err, exited };
}

export async function waitForReady(started: StartedConsole, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  let exitedEarly = false;
  void started.exited.then(() => (exitedEarly = true));
  while (performance.now() - t0 < timeoutMs) {
    if (exitedEarly) throw new Error(`dso start exited before being ready:\n${started.stderr()}\n${started.stdout().slice(-2000)}`);
    try {
      const response = await fetch(`${started.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${started.stderr()}\n${started.stdout().slice(-2000)}`);
}

/** Parses the demo accounts block printed at first start. */
export function demoPasswords(output: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of output.matchAll(/^\s+(admin|rssi|owner|dev)\s+(\S+)\s+\(/gm)) result[match[1]!] = match[2]!;
  return result;
}
