// Where `dso login` keeps the console URL and the API token: ~/.config/dso/credentials.json (or
// $XDG_CONFIG_HOME/dso/…), readable by its owner only (0600). Other commands read it through loadCredentials().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processIo } from './io.ts';

export interface Credentials {
  url: string;
  token: string;
  /** When `dso login` saved them (ISO 8601). */
  savedAt?: string;
}

export function credentialsFile(env: NodeJS.ProcessEnv = processIo.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'dso', 'credentials.json');
}

export async function loadCredentials(env: NodeJS.ProcessEnv = processIo.env): Promise<Credentials | undefined> {
  const file = credentialsFile(env);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    if (typeof parsed.url === 'string' && typeof parsed.token === 'string') return { url: parsed.url, token: parsed.token, ...(parsed.savedAt ? { savedAt: parsed.savedAt } : {}) };
  } catch {
    // Corrupt file: behave as if not logged in; `dso login` rewrites it.
  }
  return undefined;
}

export async function saveCredentials(
  credentials: Credentials,
  env: NodeJS.ProcessEnv = processIo.env,
): Promise<string> {
  const file = credentialsFile(env);
  await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(
    tmp,
    `${JSON.stringify({ ...credentials, savedAt: new Date().toISOString() }, null, 2)}\n`,
    { mode: 0o600 },
  );
  await fs.promises.chmod(tmp, 0o600);
  await fs.promises.rename(tmp, file);
  return file;
}
