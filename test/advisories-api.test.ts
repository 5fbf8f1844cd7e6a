// The server keeps its advisories current from an OSV mirror (DSO_ADVISORIES_URL, on loopback here, serving real
// records): the composition root starts the sync on the worker, which catches up at start since nothing was ever
// synced, and GET /api/v1/advisories shows each ecosystem's records, source, last sync, age and error.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestSystem, testAdminToken, type TestSystem } from './support/server.ts';
import { osvCollections, startOsvMirror, type OsvMirror } from './support/osv-mirror.ts';
import type { AdvisoryStatus } from '../src/api/schemas/advisories.ts';

let mirror: OsvMirror;
let system: TestSystem;

beforeAll(async () => {
  if (!osvCollections) return;
  mirror = await startOsvMirror(osvCollections);
  system = await createTestSystem('pglite', { DSO_ADVISORIES_URL: mirror.base, DSO_ADVISORIES_ECOSYSTEMS: 'Go,npm', DSO_ADVISORIES_CRON: '0 3 * * *' });
}, 60_000);
afterAll(async () => {
  await system?.stop();
  await mirror?.close();
});

async function status(headers: Record<string, string> = { authorization: `Bearer ${testAdminToken}` }) {
  return system.app.inject({ method: 'GET', url: '/api/v1/advisories', headers });
}

describe.skipIf(!osvCollections)('GET /api/v1/advisories with DSO_ADVISORIES_URL', () => {
  it('the worker syncs at start and the status shows each ecosystem, its source, age and errors', async () => {
    const body = await vi.waitFor(async () => {
      const seen = (await status()).json() as AdvisoryStatus;
      const synced = !seen.syncing && seen.ecosystems.find((e) => e.ecosystem === 'Go')?.origin === 'imported' && seen.ecosystems.find((e) => e.ecosystem === 'npm')?.error;
      if (!synced) throw new Error(`the start-up sync has not ended: ${JSON.stringify(seen)}`);
      return seen;
    }, { timeout: 10_000, interval: 100 });
    expect(body).toMatchObject({ source: mirror.base, cron: '0 3 * * *', maxAgeDays: 7, syncing: false });
    expect(Date.parse(body!.nextSyncAt!)).toBeGreaterThan(Date.now());
    const go = body!.ecosystems.find((e) => e.ecosystem === 'Go')!;
    expect(go).toMatchObject({ origin: 'imported', records: 60, source: `${mirror.base}/Go`, synced: true, ageDays: 0, stale: false, error: null, lastResult: { via: 'zip', added: 60 } });
    // npm is not on this mirror: its error is shown, and the default set stays in use meanwhile.
    const npm = body!.ecosystems.find((e) => e.ecosystem === 'npm')!;
    expect(npm).toMatchObject({ origin: 'default', synced: true, stale: true });
    expect(npm.error?.message).toContain('HTTP 404');
    // An ecosystem outside the synced list, with no data at all, is said as such.
    expect(body!.ecosystems.find((e) => e.ecosystem === 'PyPI')).toMatchObject({ origin: 'default', synced: false });
  });

  it('refuses anonymous callers with a problem in French, or English when asked', async () => {
    const fr = await status({});
    expect(fr.statusCode).toBe(401);
    expect(fr.headers['content-type']).toContain('application/problem+json');
    expect(fr.json().title).toBe('Authentification requise');
    expect((await status({ 'accept-language': 'en' })).json().title).toBe('Authentication required');
  });
});
