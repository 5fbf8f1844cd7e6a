// An OSV export served over HTTP on loopback, as an internal mirror would serve <ecosystem>/all.zip.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdvisories } from './import.ts';
import { openAdvisoryDatabase } from './store.ts';

const maven = { id: 'GHSA-test-0001', modified: '2025-01-02T00:00:00Z', aliases: ['CVE-2022-22965'], summary: 'Spring4Shell', affected: [{ package: { ecosystem: 'Maven', name: 'org.springframework:spring-beans' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.3.18' }] }] }], database_specific: { severity: 'CRITICAL' } };
const nuget = { id: 'GHSA-test-0002', modified: '2025-01-03T00:00:00Z', affected: [{ package: { ecosystem: 'NuGet', name: 'Newtonsoft.Json' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '13.0.1' }] }] }] };

let server: Server;
let base: string;
let dataDir: string;
beforeAll(async () => {
  const zip = Buffer.from(zipSync({ 'GHSA-test-0001.json': strToU8(JSON.stringify(maven)), 'GHSA-test-0002.yaml': strToU8(YAML.stringify(nuget)) }));
  server = createServer((req, res) => {
    if (req.url === '/Maven/all.zip') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
      res.end(zip);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dataDir = mkdtempSync(path.join(tmpdir(), 'dso-advisories-http-'));
});
afterAll(() => {
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dso advisories import <http(s) URL>', () => {
  it('downloads an OSV zip (JSON and YAML records, any ecosystem) and imports it under its URL', async () => {
    const report = await importAdvisories(`${base}/Maven/all.zip`, { dataDir });
    expect(report.recordsImported).toBe(2);
    expect(Object.keys(report.ecosystems).sort()).toEqual(['Maven', 'NuGet']);
    const db = await openAdvisoryDatabase(dataDir);
    expect(db.lookup('Maven', 'org.springframework:spring-beans').map((r) => r.id)).toEqual(['GHSA-test-0001']);
    expect(db.covers('NuGet')).toBe(true);
    expect(db.manifest.ecosystems.Maven!.sources[0]!.source).toBe(`${base}/Maven/all.zip`);
    db.close();
  });

  it('says what went wrong when the mirror does not have the file', async () => {
    await expect(importAdvisories(`${base}/PyPI/all.zip`, { dataDir })).rejects.toThrow(/answered HTTP 404/);
  });
});
