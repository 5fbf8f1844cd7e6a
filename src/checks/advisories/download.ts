// An OSV export given as an http(s) URL (an osv.dev bucket, a ministry's internal mirror) is downloaded to a
// temporary file, bounded in size and time, then imported like a local zip. Only http and https; the answer must
// be 200 (or 304 to a conditional request, for the server's sync). The caller removes the file (`dispose`).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** osv.dev's largest per-ecosystem export is a few hundred MB. */
export const maxDownloadBytes = 2 * 1024 ** 3;

export function isHttpSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** What a conditional download got: the file (with the validators to send next time), or "not modified". */
export type ConditionalDownload =
  | { notModified: true }
  | { notModified: false; file: string; dispose: () => void; etag?: string; lastModified?: string };

/**
 * Downloads `url` unless it is unchanged since the validators given (ETag → If-None-Match, Last-Modified →
 * If-Modified-Since): a 304 answer downloads nothing.
 */
export async function downloadIfChanged(
  url: string,
  options: {
    etag?: string | undefined;
    lastModified?: string | undefined;
    timeoutMs?: number;
    maxBytes?: number;
    signal?: AbortSignal;
  } = {},
): Promise<ConditionalDownload> {
  const maxBytes = options.maxBytes ?? maxDownloadBytes;
  const dir = mkdtempSync(path.join(tmpdir(), 'dso-advisories-download-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const headers: Record<string, string> = {};
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 15 * 60_000);
    const response = await fetch(url, {
      redirect: 'follow',
      headers,
      signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
    });
    if (response.status === 304) {
      dispose();
      return { notModified: true };
    }
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
    const result: ConditionalDownload = { notModified: false, file, dispose };
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (etag) result.etag = etag;
    if (lastModified) result.lastModified = lastModified;
    return result;
  } catch (e) {
    dispose();
    throw e instanceof Error && e.name === 'TimeoutError' ? new Error(`${url}: no complete answer in time`) : e;
  }
}

export async function downloadExport(
  url: string,
  options: { timeoutMs?: number; maxBytes?: number } = {},
): Promise<{ file: string; dispose: () => void }> {
  const got = await downloadIfChanged(url, options);
  if (got.notModified) throw new Error(`${url} answered HTTP 304`);
  return { file: got.file, dispose: got.dispose };
}
