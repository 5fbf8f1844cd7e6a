// How the CLI talks to the console: the public REST API only (same contract as the teams' CI scripts).
// Where to connect comes from DSO_URL/DSO_TOKEN, else from the credentials saved by `dso login`.
// Problems are shown by their title (French by default, English with DSO_LANG=en or --lang en).

export type Lang = 'fr' | 'en';
export type Text = { fr: string; en: string };

import type { Io } from './io.ts';

export { processIo, type Io } from './io.ts';

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: { field: string; message: string }[],
    readonly body: unknown,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export interface ApiClient {
  baseUrl: string;
  lang: Lang;
  request<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export interface Connection {
  url: string;
  token: string;
}

/** Saved by `dso login` (src/cli/credentials.ts, owned by the foundation); optional. */
async function savedConnection(env: NodeJS.ProcessEnv): Promise<Partial<Connection> | undefined> {
  try {
    const mod = (await import('./credentials.ts' as string)) as Record<string, unknown>;
    for (const name of ['loadCredentials', 'readCredentials']) {
      const load = mod[name];
      if (typeof load === 'function') {
        const saved = (await load(env)) as { url?: string; token?: string; baseUrl?: string } | undefined;
        if (saved) return { url: saved.url ?? saved.baseUrl, token: saved.token } as Partial<Connection>;
      }
    }
  } catch {
    // No saved credentials: environment only.
  }
  return undefined;
}

export const noConnection: Text = {
  fr: 'Pas de connexion configurée : lancez « dso login » ou définissez DSO_URL et DSO_TOKEN.',
  en: 'No connection configured: run "dso login" or set DSO_URL and DSO_TOKEN.',
};

export async function resolveConnection(env: NodeJS.ProcessEnv): Promise<Connection | undefined> {
  const saved = env.DSO_URL && env.DSO_TOKEN ? undefined : await savedConnection(env);
  const url = env.DSO_URL ?? saved?.url;
  const token = env.DSO_TOKEN ?? saved?.token;
  return url && token ? { url: url.replace(/\/+$/, ''), token } : undefined;
}

export function createApiClient(connection: Connection, lang: Lang, fetchImpl: typeof fetch = fetch): ApiClient {
  return {
    baseUrl: connection.url,
    lang,
    async request(method, path, body) {
      // A Buffer is sent as it is (a packaged chart); anything else as JSON.
      const raw = Buffer.isBuffer(body);
      const response = await fetchImpl(`${connection.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${connection.token}`,
          'accept-language': lang,
          accept: 'application/json, application/problem+json',
          ...(body !== undefined ? { 'content-type': raw ? 'application/gzip' : 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: raw ? new Uint8Array(body) : JSON.stringify(body) } : {}),
        // A chart is rendered and checked before the answer.
        signal: AbortSignal.timeout(raw ? 180_000 : 30_000),
      });
      const text = await response.text();
      let parsed: any = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const title = typeof parsed?.title === 'string' ? parsed.title : `HTTP ${response.status}`;
        throw new ApiProblem(response.status, title, typeof parsed?.detail === 'string' ? parsed.detail : undefined, Array.isArray(parsed?.errors) ? parsed.errors : [], parsed);
      }
      return parsed;
    },
  };
}

export interface CommonOptions {
  json: boolean;
  lang: Lang;
}

/** `--json` and `--lang fr|en` are accepted by every API command; the rest is left to the command. */
export function commonOptions(args: string[], env: NodeJS.ProcessEnv): { options: CommonOptions; rest: string[] } {
  const rest: string[] = [];
  let json = false;
  let lang: Lang = env.DSO_LANG?.toLowerCase().startsWith('en') ? 'en' : 'fr';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--lang') lang = args[++i] === 'en' ? 'en' : 'fr';
    else if (a.startsWith('--lang=')) lang = a.slice(7) === 'en' ? 'en' : 'fr';
    else rest.push(a);
  }
  return { options: { json, lang }, rest };
}

/** Runs an API command: connection, then `work`; problems become one clear line and exit code 1. */
export async function runApiCommand(
  args: string[],
  io: Io,
  work: (client: ApiClient, options: CommonOptions, rest: string[]) => Promise<number>,
): Promise<number> {
  const { options, rest } = commonOptions(args, io.env);
  const connection = await resolveConnection(io.env);
  if (!connection) {
    io.err(`dso: ${noConnection[options.lang]}\n`);
    return 1;
  }
  try {
    return await work(createApiClient(connection, options.lang), options, rest);
  } catch (error) {
    if (error instanceof ApiProblem) {
      if (options.json) io.err(`${JSON.stringify(error.body ?? { status: error.status, title: error.title })}\n`);
      else {
        io.err(`dso: ${error.title}${error.detail ? ` — ${error.detail}` : ''}\n`);
        for (const f of error.errors) io.err(`  ${f.field}: ${f.message}\n`);
      }
      return 1;
    }
    if (String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')) {
      io.err(`dso: ${(error as Error).message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`dso: ${error.text[options.lang]}\n`);
      return 2;
    }
    const unreachable: Text = {
      fr: `console injoignable (${connection.url})`,
      en: `cannot reach the console (${connection.url})`,
    };
    io.err(`dso: ${unreachable[options.lang]}: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Wrong command-line usage: exit code 2 with a message in the user's language. */
export class UsageError extends Error {
  constructor(readonly text: Text) {
    super(text.en);
  }
}

/** Fixed-width table for human output. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Finds a project by id or slug (slugs are what people type). */
export async function resolveProject(client: ApiClient, ref: string): Promise<{ id: string; slug: string }> {
  if (/^[0-9a-f-]{36}$/i.test(ref)) return client.request('GET', `/projects/${ref}`);
  const page = await client.request<{ items: { id: string; slug: string }[] }>('GET', `/projects?q=${encodeURIComponent(ref)}&archived=all&limit=200`);
  const found = page.items.find((p) => p.slug === ref);
  if (!found) throw new UsageError({ fr: `projet « ${ref} » introuvable`, en: `project "${ref}" not found` });
  return found;
}
