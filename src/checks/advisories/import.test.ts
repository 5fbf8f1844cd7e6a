import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchingEntries } from './affected.ts';
import { importAdvisories } from './import.ts';
import { openAdvisoryDatabase, readManifest } from './store.ts';
import { sharedAdvisories } from './test-data.ts';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dso-advisories-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const osv = (id: string, name: string, fixed: string, ecosystem = 'PyPI') =>
  JSON.stringify({ id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }] });

describe('dso advisories import', () => {
  it.skipIf(!sharedAdvisories)('imports the real PyPI (OSV YAML) and npm (Security WG) collections', async () => {
    const dataDir = path.join(work, 'data');
    const report = await importAdvisories(sharedAdvisories!, { dataDir });
    expect(report.ecosystems.PyPI?.records).toBeGreaterThan(2600);
    expect(report.ecosystems.npm?.records).toBe(467);
    expect(report.converted).toBe(467);
    expect(report.skipped).toBe(0);
    console.log(`import of ${sharedAdvisories}: ${report.recordsImported} records from ${report.filesRead} files in ${report.durationMs} ms`);

    const started = performance.now();
    const db = await openAdvisoryDatabase(dataDir);
    const lxml = db.lookup('PyPI', 'LXML');
    const jwt = db.lookup('npm', 'jsonwebtoken');
    const opened = performance.now() - started;
    expect(db.origin).toBe('imported');
    expect(lxml.map((r) => r.id)).toContain('PYSEC-2018-12');
    expect(matchingEntries(lxml.find((r) => r.id === 'PYSEC-2018-12')!, 'PyPI', 'lxml', '4.2.4')).toHaveLength(1);
    expect(matchingEntries(lxml.find((r) => r.id === 'PYSEC-2018-12')!, 'PyPI', 'lxml', '4.2.5')).toHaveLength(0);
    expect(jwt.map((r) => r.id)).toContain('NSWG-ECO-17');
    expect(db.lookup('npm', 'no-such-package')).toEqual([]);
    expect(db.lookup('Maven', 'org.example:nothing')).toEqual([]);
    // Opening the store and two lookups must stay far below a check run's budget (typically ~20 ms; the bound is
    // loose because CI machines are shared).
    expect(opened).toBeLessThan(5_000);
    db.close();
  });

  it('imports an osv.dev-style zip export, streaming it', async () => {
    const zip = zipSync({
      'PYSEC-1.json': strToU8(osv('PYSEC-1', 'Demo_Pkg', '1.2')),
      'nested/PYSEC-2.json': strToU8(osv('PYSEC-2', 'demo-pkg', '2.0')),
      'GO-1.json': strToU8(osv('GO-1', 'github.com/a/b', 'v1.2.3', 'Go')),
      'broken.json': strToU8('{"id": '),
      'not-osv.json': strToU8('{"hello": "world"}'),
      'LICENSE': strToU8('text'),
    });
    const file = path.join(work, 'PyPI.zip');
    writeFileSync(file, zip);
    const report = await importAdvisories(file, { dataDir: path.join(work, 'data') });
    expect(report.recordsImported).toBe(3);
    expect(report.skipped).toBe(2);
    expect(report.problems.join('\n')).toMatch(/broken\.json: not valid JSON/);
    expect(report.problems.join('\n')).toMatch(/not-osv\.json: not an OSV record/);
    const db = await openAdvisoryDatabase(path.join(work, 'data'));
    expect(db.lookup('PyPI', 'demo.pkg').map((r) => r.id)).toEqual(['PYSEC-1', 'PYSEC-2']);
    expect(db.lookup('Go', 'github.com/a/b').map((r) => r.id)).toEqual(['GO-1']);
    // npm was not in the export: the shipped default set still covers it.
    expect(db.lookup('npm', 'lodash').map((r) => r.id)).toContain('NSWG-ECO-493');
    db.close();
  });

  it('replaces an ecosystem on re-import, keeps the others, and merges on request', async () => {
    const dataDir = path.join(work, 'data');
    const dir = (name: string, files: Record<string, string>) => {
      const d = path.join(work, name);
      mkdirSync(d, { recursive: true });
      for (const [f, content] of Object.entries(files)) writeFileSync(path.join(d, f), content);
      return d;
    };
    await importAdvisories(dir('a', { 'one.json': osv('PYSEC-1', 'demo', '1.0'), 'npm.json': osv('NPM-1', 'left-pad', '2.0.0', 'npm') }), { dataDir });
    await importAdvisories(dir('b', { 'two.json': osv('PYSEC-2', 'demo', '2.0') }), { dataDir });
    let db = await openAdvisoryDatabase(dataDir);
    expect(db.lookup('PyPI', 'demo').map((r) => r.id)).toEqual(['PYSEC-2']);
    expect(db.lookup('npm', 'left-pad').map((r) => r.id)).toEqual(['NPM-1']);
    // An imported ecosystem replaces the shipped default set for it.
    expect(db.lookup('PyPI', 'lxml').map((r) => r.id)).toEqual([]);
    db.close();
    await importAdvisories(dir('c', { 'three.yaml': 'id: PYSEC-3\naffected:\n- package: {ecosystem: PyPI, name: demo}\n  versions: ["1.10"]\n' }), { dataDir, merge: true });
    db = await openAdvisoryDatabase(dataDir);
    const records = db.lookup('PyPI', 'demo');
    expect(records.map((r) => r.id)).toEqual(['PYSEC-2', 'PYSEC-3']);
    // YAML scalars stay strings: 1.10 is not read as the number 1.1.
    expect(records[1]?.affected?.[0]?.versions).toEqual(['1.10']);
    expect(readManifest(dataDir)?.ecosystems.PyPI?.sources).toHaveLength(2);
    db.close();
  });

  it('bounds hostile input: YAML alias bombs, oversized and non-UTF-8 files', async () => {
    const d = path.join(work, 'hostile');
    mkdirSync(d);
    const bomb = ['id: BOMB-1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    bomb.push('affected:', '- package: {ecosystem: PyPI, name: bomb}', '  versions: *a8', '  ranges: *a8');
    writeFileSync(path.join(d, 'bomb.yaml'), bomb.join('\n'));
    writeFileSync(path.join(d, 'big.json'), Buffer.alloc(6 * 1024 * 1024, 0x20));
    writeFileSync(path.join(d, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    const started = Date.now();
    const report = await importAdvisories(d, { dataDir: path.join(work, 'data') });
    // The bound tells a bounded read from an exploding one (minutes), even on a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    // The bomb's aliases are shared, never expanded: it is read as a record with no usable version.
    expect(report.skipped).toBe(2);
    expect(report.problems.join('\n')).toMatch(/big\.json: larger than/);
    const db = await openAdvisoryDatabase(path.join(work, 'data'));
    expect(db.lookup('PyPI', 'bomb')[0]?.affected?.[0]?.versions).toEqual([]);
    db.close();
  });

  it('lets one import write at a time, and takes over the lock of a process that died', async () => {
    const src = path.join(work, 'src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'a.json'), osv('PYSEC-1', 'demo', '1.0'));
    const dataDir = path.join(work, 'data');
    mkdirSync(path.join(dataDir, 'advisories'), { recursive: true });
    const lock = path.join(dataDir, 'advisories', '.import.lock');
    writeFileSync(lock, String(process.pid));
    await expect(importAdvisories(src, { dataDir })).rejects.toThrow(/another import \(process \d+\) is writing/);
    writeFileSync(lock, '2147483646');
    expect((await importAdvisories(src, { dataDir })).recordsImported).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('does not read its own store when the imported folder contains the data folder', async () => {
    const src = path.join(work, 'project');
    mkdirSync(src);
    writeFileSync(path.join(src, 'a.json'), osv('PYSEC-1', 'demo', '1.0'));
    const dataDir = path.join(src, 'data');
    await importAdvisories(src, { dataDir });
    const again = await importAdvisories(src, { dataDir });
    expect(again.skipped).toBe(0);
    expect(again.filesRead).toBe(1);
  });

  it('explains an unreadable source', async () => {
    await expect(importAdvisories(path.join(work, 'missing'), { dataDir: work })).rejects.toThrow(/ENOENT|no such file/);
    const notZip = path.join(work, 'x.zip');
    writeFileSync(notZip, 'definitely not a zip');
    const report = await importAdvisories(notZip, { dataDir: path.join(work, 'data') }).catch((e: Error) => e);
    expect(report instanceof Error ? report.message : `imported ${report.recordsImported}`).toMatch(/not a readable zip|imported 0/);
  });

  it('falls back on the shipped default set when nothing was imported', async () => {
    const db = await openAdvisoryDatabase(path.join(work, 'empty'));
    expect(db.origin).toBe('default');
    expect(db.lookup('npm', 'lodash').map((r) => r.id)).toContain('NSWG-ECO-493');
    const readme = readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'default/README.md'), 'utf8');
    expect(readme).toMatch(/CC-BY 4\.0/);
    expect(readme).toMatch(/MIT/);
  });
});

describe('the default set shipped with the product', () => {
  it('holds every record of the three public collections: PyPI, npm and Go', async () => {
    const { defaultDatabase } = await import('./store.ts');
    const counts = Object.fromEntries(
      Object.entries(defaultDatabase().manifest.ecosystems).map(([e, i]) => [e, i.records]),
    );
    expect(counts.PyPI).toBeGreaterThan(2600);
    expect(counts.Go).toBeGreaterThan(4200);
    expect(counts.npm).toBeGreaterThan(460);
    expect(defaultDatabase().covers('Maven')).toBe(false);
  });
});
