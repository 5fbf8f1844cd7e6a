// `dso login [--url URL] [--token TOKEN]`: saves where the console is and an API token for the other commands.
// With --token the token is checked (GET /api/v1/me) then saved. Without, the browser flow of RFC 8252 with PKCE:
// we listen on a loopback port and open the console's /auth/cli page with a code challenge; once logged in there,
// the console redirects the browser to our loopback address with a one-time code, which we exchange for a new
// personal access token by a POST carrying the code verifier. The token never travels in a URL.
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { saveCredentials } from './credentials.ts';
import { processIo } from './io.ts';

interface LoginArgs {
  url: string;
  token: string | undefined;
  noBrowser: boolean;
}

function parseArgs(args: string[], env: NodeJS.ProcessEnv): LoginArgs | string {
  let url = env.DSO_URL ?? 'http://localhost:8080';
  let token: string | undefined;
  let noBrowser = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!v) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--url' || arg.startsWith('--url=')) url = value();
      else if (arg === '--token' || arg.startsWith('--token=')) token = value();
      else if (arg === '--no-browser') noBrowser = true;
      else return `unknown option ${arg}`;
    } catch (error) {
      return (error as Error).message;
    }
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `--url must be an http(s) URL`;
  } catch {
    return `--url "${url}" is not a URL`;
  }
  return { url: url.replace(/\/+$/, ''), token, noBrowser };
}

async function whoAmI(
  url: string,
  token: string,
): Promise<{ ok: true; name: string } | { ok: false; message: string }> {
  try {
    const response = await fetch(`${url}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json().catch(() => ({}))) as {
      displayName?: string;
      email?: string;
      title?: string;
      detail?: string;
    };
    if (!response.ok)
      return {
        ok: false,
        message: `${body.title ?? `HTTP ${response.status}`}${body.detail ? ` — ${body.detail}` : ''}`,
      };
    return { ok: true, name: body.displayName ?? body.email ?? 'ok' };
  } catch (error) {
    return { ok: false, message: `cannot reach ${url}: ${(error as Error).message}` };
  }
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser here: the URL is printed anyway.
  }
}

/** Exchanges the one-time code for the token: a POST with the PKCE code verifier (the token comes in the answer). */
async function exchangeCode(consoleUrl: string, code: string, verifier: string): Promise<string> {
  const response = await fetch(`${consoleUrl}/auth/cli/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ code, code_verifier: verifier }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; title?: string; detail?: string };
  if (!response.ok || typeof body.token !== 'string') throw new Error(`the console refused the login code: ${body.detail ?? body.title ?? `HTTP ${response.status}`}`);
  return body.token;
}

/** Waits for the console to redirect the browser to http://127.0.0.1:<port>/callback?state=…&code=…, then exchanges the code. */
async function receiveTokenOnLoopback(consoleUrl: string, noBrowser: boolean, timeoutMs = 5 * 60_000): Promise<string> {
  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  const code = await new Promise<string>((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      const code = url.searchParams.get('code');
      if (url.searchParams.get('state') !== state || !code) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Requête inattendue / unexpected request.');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8"><p>Connexion réussie : vous pouvez fermer cet onglet. / Logged in: you can close this tab.</p>');
      clearTimeout(timer);
      server.close();
      resolve(code);
    });
    const timer = setTimeout(() => {
      server.close();
      reject(new Error('no answer from the browser within 5 minutes'));
    }, timeoutMs);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const loginUrl = `${consoleUrl}/auth/cli?port=${port}&state=${state}&code_challenge=${challenge}&code_challenge_method=S256`;
      process.stderr.write(`Ouvrez / open: ${loginUrl}\n`);
      if (!noBrowser) openBrowser(loginUrl);
    });
  });
  return exchangeCode(consoleUrl, code, verifier);
}

export async function run(args: string[], env: NodeJS.ProcessEnv = processIo.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: dso login [--url URL] [--token TOKEN] [--no-browser]\n\nSaves the console URL and an API token in ~/.config/dso/credentials.json (0600).\nWithout --token, opens the browser to log in and receives a new personal access token.\n');
    return 0;
  }
  const parsed = parseArgs(args, env);
  if (typeof parsed === 'string') {
    process.stderr.write(`dso login: ${parsed}\n`);
    return 2;
  }
  let token = parsed.token;
  if (!token) {
    try {
      token = await receiveTokenOnLoopback(parsed.url, parsed.noBrowser);
    } catch (error) {
      process.stderr.write(`dso login: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const me = await whoAmI(parsed.url, token);
  if (!me.ok) {
    process.stderr.write(`dso login: token refused — ${me.message}\n`);
    return 1;
  }
  const file = await saveCredentials({ url: parsed.url, token }, env);
  process.stdout.write(`Connecté à ${parsed.url} en tant que ${me.name} (identifiants enregistrés dans ${file}).\n`);
  return 0;
}
