// An OSV export given as an http(s) URL (an osv.dev bucket, a ministry's internal mirror) is downloaded to a
// temporary file, bounded in size and time, then imported like a local zip. Only http and https; the answer must
// be 200. The caller removes the file (`dispose`).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** osv.dev's largest per-ecosystem export is a few hundred MB. */
export const maxDownloadBytes = 2 * 1024 ** 3;

export function isHttpSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export async function downloadExport(url: string, options: { timeoutMs?: number; maxBytes?: number } = {}): Promise<{ file: string; dispose: () => void }> {
  const maxBytes = options.maxBytes ?? maxDownloadBytes;
  const dir = mkdtempSync(path.join(tmpdir(), 'dso-advisories-download-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 15 * 60_000) });
    if (response.status !== 200 || !response.body) throw new Error(`${url} answered HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new Error(`${url} is ${declared} bytes, over the ${maxBytes}-byte limit`);
    const file = path.join(dir, 'export.zip');
    const out = createWriteStream(file);
    let received = 0;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        received += chunk.byteLength;
        if (received > maxBytes) throw new Error(`${url} sent more than ${maxBytes} bytes`);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
    return { file, dispose };
  } catch (e) {
    dispose();
    throw e instanceof Error && e.name === 'TimeoutError' ? new Error(`${url}: no complete answer in time`) : e;
  }
}
