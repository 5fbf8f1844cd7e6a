// The server's advisory sync against a mirror in osv.dev's bucket layout, served over HTTP on loopback from real
// records (the Go vulnerability database and the PyPA advisory database, ../shared/data/advisories): a first sync
// reads the exports, a second one downloads nothing, a change on the mirror fetches only the changed records, a
// missing ecosystem is an error of its own, and data older than the freshness limit becomes a gate reason.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchingEntries } from '../../checks/advisories/affected.ts';
import { openAdvisoryDatabase } from '../../checks/advisories/store.ts';
import { osvCollections as collections, startOsvMirror, type OsvMirror } from '../../../test/support/osv-mirror.ts';
import { dependenciesChecker } from '../../checks/dependencies/checker.ts';
import { runChecks } from '../../checks/engine.ts';
import { gateReasonText } from '../../checks/format/messages.ts';
import type { OsvRecord } from '../../checks/advisories/osv.ts';
import { readSyncState, syncAdvisories } from './osv-mirror-sync.ts';
import { advisoryEcosystemStatuses } from './status.ts';

let server: OsvMirror;
let mirror: OsvMirror['records'];
let requests: string[];
let base: string;
let work: string;

beforeAll(async () => {
  if (!collections) return;
  server = await startOsvMirror(collections);
  ({ records: mirror, requests, base } = server);
  work = mkdtempSync(path.join(tmpdir(), 'dso-advisory-sync-'));
});
afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const dataDir = () => path.join(work, 'data');
const sync = (at: string) => syncAdvisories({ dataDir: dataDir(), baseUrl: base, ecosystems: ['Go', 'PyPI', 'npm'], now: () => new Date(at) });

describe.skipIf(!collections)('advisory sync from an OSV mirror (DSO_ADVISORIES_URL)', () => {
  it('first sync: reads each export, stores it, and says per ecosystem what happened', async () => {
    const state = await sync('2026-12-01T00:00:00Z');
    expect(state.ecosystems.Go).toMatchObject({ source: `${base}/Go`, lastSuccessAt: '2026-12-01T00:00:00.000Z', lastResult: { via: 'zip', added: 60, updated: 0, removed: 0 } });
    expect(state.ecosystems.PyPI?.lastResult).toMatchObject({ via: 'zip', added: mirror.get('PyPI')!.size });
    expect(state.ecosystems.npm?.error?.message).toMatch(/npm\/all\.zip answered HTTP 404/);
    expect(state.ecosystems.npm?.lastSuccessAt).toBeUndefined();

    const db = await openAdvisoryDatabase(dataDir());
    const lxml = db.lookup('PyPI', 'lxml').find((r) => r.id === 'PYSEC-2018-12')!;
    expect(matchingEntries(lxml, 'PyPI', 'lxml', '4.2.4')).toHaveLength(1);
    expect(db.manifest.ecosystems.Go).toMatchObject({ records: 60, checkedAt: '2026-12-01T00:00:00.000Z', sources: [{ source: `${base}/Go` }] });
    db.close();
  });

  it('nothing changed on the mirror: nothing is downloaded, and the data counts as checked now', async () => {
    requests.length = 0;
    const state = await sync('2026-12-02T00:00:00Z');
    expect(state.ecosystems.Go?.lastResult?.via).toBe('not-modified');
    expect(state.ecosystems.PyPI?.lastResult?.via).toBe('not-modified');
    // The conditional requests only: no export, no record.
    expect(requests.filter((u) => !u.startsWith('/npm/')).sort()).toEqual(['/Go/modified_id.csv', '/PyPI/modified_id.csv', '/PyPI/all.zip'].sort());
    expect(readSyncState(dataDir()).ecosystems.Go?.lastChangeAt).toBe('2026-12-01T00:00:00.000Z');
    const statuses = advisoryEcosystemStatuses(dataDir(), { syncedEcosystems: ['Go', 'PyPI', 'npm'], maxAgeDays: 7, now: new Date('2026-12-02T00:00:00Z') });
    expect(statuses.find((s) => s.ecosystem === 'Go')).toMatchObject({ origin: 'imported', records: 60, lastSyncAt: '2026-12-02T00:00:00.000Z', ageDays: 0, stale: false, error: null, source: `${base}/Go` });
    // npm never synced: the shipped default set is still what checks use, and the failure is shown.
    expect(statuses.find((s) => s.ecosystem === 'npm')).toMatchObject({ origin: 'default', synced: true, error: { message: expect.stringContaining('HTTP 404') } });
  });

  it('a record changed, one added, one withdrawn from the mirror: only those two are fetched', async () => {
    const go = mirror.get('Go')!;
    const [first, second] = [...go.keys()];
    const changed = { ...go.get(first!)!, modified: '2026-12-02T10:00:00Z', summary: 'changed on the mirror' };
    go.set(first!, changed);
    go.delete(second!);
    const added = JSON.parse(readFileSync(path.join(collections!, 'go-vulndb/osv/GO-2024-3228.json'), 'utf8')) as OsvRecord;
    go.set(added.id, { ...added, modified: '2026-12-02T11:00:00Z' });
    requests.length = 0;
    const state = await sync('2026-12-03T00:00:00Z');
    expect(state.ecosystems.Go?.lastResult).toMatchObject({ via: 'records', added: 1, updated: 1, removed: 1, unchanged: 58 });
    expect(requests.filter((u) => u.startsWith('/Go/')).sort()).toEqual(['/Go/GO-2024-3228.json', `/Go/${first}.json`, '/Go/modified_id.csv'].sort());
    const db = await openAdvisoryDatabase(dataDir());
    expect(db.lookup('Go', 'github.com/coder/coder/v2').map((r) => r.id)).toEqual(['GO-2024-3228']);
    const name = changed.affected![0]!.package!.name;
    expect(db.lookup('Go', name).find((r) => r.id === first)?.summary).toBe('changed on the mirror');
    expect(db.manifest.ecosystems.Go?.records).toBe(60);
    db.close();
  });

  it('a mirror without modified_id.csv: a changed export is read again, and only what differs counts as changed', async () => {
    const pypi = mirror.get('PyPI')!;
    const id = [...pypi.keys()][0]!;
    pypi.set(id, { ...pypi.get(id)!, modified: '2026-12-03T09:00:00Z' });
    const state = await sync('2026-12-04T00:00:00Z');
    expect(state.ecosystems.PyPI?.lastResult).toMatchObject({ via: 'zip', added: 0, updated: 1, removed: 0, unchanged: pypi.size - 1 });
  });

  it('advisory data older than the freshness limit: vulnerabilities are not evaluated, and the gate says why', async () => {
    const repo = path.join(work, 'repo');
    mkdirSync(repo, { recursive: true });
    writeFileSync(path.join(repo, 'go.mod'), 'module example.org/app\n\ngo 1.22\n\nrequire github.com/coder/coder/v2 v2.1.0\n');
    writeFileSync(path.join(repo, 'go.sum'), 'github.com/coder/coder/v2 v2.1.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
    const check = (now: string, advisoryMaxAgeDays = 7) =>
      runChecks({
        root: repo,
        options: {
          checkers: [dependenciesChecker],
          workers: 0,
          dataDir: dataDir(),
          now: new Date(now),
          advisoryMaxAgeDays,
        },
      });

    const fresh = await check('2026-12-05T00:00:00Z');
    expect(fresh.unevaluated?.filter((u) => u.code === 'advisories-stale')).toEqual([]);

    const old = await check('2026-12-20T00:00:00Z');
    const stale = old.unevaluated!.find((u) => u.code === 'advisories-stale')!;
    expect(stale).toMatchObject({ kind: 'advisories', item: 'Go', params: { ecosystem: 'Go', days: 16, maxDays: 7 } });
    const reason = old.gate.reasons.find((r) => r.criterion === 'vulnerabilities' && r.outcome === 'not-evaluated')!;
    expect(gateReasonText(reason, 'fr')).toContain('avis de sécurité Go vieux de 16 jours (maximum 7)');
    expect(gateReasonText(reason, 'en')).toContain('Go advisory data is 16 days old (maximum 7)');
    // Advisories warn by default: the revision is not blocked, but nothing claims it was fully checked.
    expect(old.gate.verdict).not.toBe('not-evaluated');
    expect(old.gate.reasons.map((r) => r.code)).not.toContain('no-new-vulnerability');
    expect((await check('2026-12-20T00:00:00Z', 30)).unevaluated?.filter((u) => u.code === 'advisories-stale')).toEqual([]);
  });
});
