// An OSV mirror in osv.dev's bucket layout on loopback, serving real records (../shared/data/advisories): per
// ecosystem `all.zip`, `modified_id.csv` (for the ecosystems listed in `withIndex`) and `<id>.json`, with ETags so that
// conditional requests get 304. The content can be changed between requests (`records`); every request is logged.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import jsYaml from 'js-yaml';
import type { OsvRecord } from '../../src/checks/advisories/osv.ts';
import { sharedAdvisories } from '../../src/checks/advisories/test-data.ts';

/** The collections with Go records (the committed copy in test/data holds the 61 the mirror tests use). */
export const osvCollections: string | undefined = sharedAdvisories && existsSync(path.join(sharedAdvisories, 'go-vulndb/osv')) ? sharedAdvisories : undefined;

export interface OsvMirror {
  base: string;
  /** ecosystem → id → record. */
  records: Map<string, Map<string, OsvRecord>>;
  withIndex: Set<string>;
  requests: string[];
  close(): Promise<void>;
}

/** `goRecords` Go records (dated `goModified`) and the PyPA records of lxml. */
export async function startOsvMirror(
  collections: string,
  options: { goRecords?: number; goModified?: string } = {},
): Promise<OsvMirror> {
  const records = new Map<string, Map<string, OsvRecord>>();
  const go = new Map<string, OsvRecord>();
  const goDir = path.join(collections, 'go-vulndb/osv');
  for (const name of readdirSync(goDir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .slice(0, options.goRecords ?? 60)) {
    const r = JSON.parse(readFileSync(path.join(goDir, name), 'utf8')) as OsvRecord;
    go.set(r.id, { ...r, modified: options.goModified ?? '2026-08-01T00:00:00Z' });
  }
  records.set('Go', go);
  // PyPA records are YAML in their repository; osv.dev serves the same records as JSON.
  const pypi = new Map<string, OsvRecord>();
  const lxml = path.join(collections, 'pypi-osv/vulns/lxml');
  for (const name of readdirSync(lxml).filter((n) => n.endsWith('.yaml'))) {
    const r = jsYaml.load(readFileSync(path.join(lxml, name), 'utf8'), { schema: jsYaml.FAILSAFE_SCHEMA }) as OsvRecord;
    pypi.set(r.id, r);
  }
  records.set('PyPI', pypi);
  const withIndex = new Set(['Go']);
  const requests: string[] = [];

  const serve = (res: ServerResponse, ifNoneMatch: string | undefined, body: Buffer, type: string) => {
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (ifNoneMatch === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, etag }).end(body);
  };
  const server = createServer((req, res) => {
    requests.push(req.url!);
    const [, rawEcosystem, file] = /^\/([^/]+)\/(.+)$/.exec(req.url!) ?? [];
    const ecosystem = rawEcosystem ? decodeURIComponent(rawEcosystem) : '';
    const held = records.get(ecosystem);
    if (!held || !file) return void res.writeHead(404).end();
    const inm = req.headers['if-none-match'];
    if (file === 'all.zip') {
      const files: Record<string, Uint8Array> = {};
      for (const [id, r] of held) files[`${id}.json`] = strToU8(JSON.stringify(r));
      return serve(
        res,
        inm,
        Buffer.from(zipSync(files, { mtime: new Date('2026-01-01T00:00:00Z') })),
        'application/zip',
      );
    }
    if (file === 'modified_id.csv' && withIndex.has(ecosystem)) {
      const lines = [...held.values()]
        .sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? ''))
        .map((r) => `${r.modified},${r.id}`);
      return serve(res, inm, Buffer.from(`${lines.join('\n')}\n`), 'text/csv');
    }
    const record = file.endsWith('.json') ? held.get(decodeURIComponent(file.slice(0, -5))) : undefined;
    if (record) return serve(res, undefined, Buffer.from(JSON.stringify(record)), 'application/json');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    records,
    withIndex,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
