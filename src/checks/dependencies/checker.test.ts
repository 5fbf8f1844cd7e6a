// End to end: a fixture project with versions known to be vulnerable in the real advisory data,
// scanned against the shipped default set and against the full imported data set.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdvisories } from '../advisories/import.ts';
import { sharedAdvisories } from '../advisories/test-data.ts';
import type { CheckInput, Finding } from '../model.ts';
import { dependenciesChecker, scanDependencies } from './checker.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__/vulnerable-project');
const files = ['package-lock.json', 'api/requirements.txt', 'broken/poetry.lock', 'README.md'].map((p) => ({ path: p, size: 1 }));

function input(dataDir: string): CheckInput {
  return {
    root,
    files,
    readText: async (p) => {
      try {
        return await readFile(path.join(root, p), 'utf8');
      } catch {
        return undefined;
      }
    },
    options: { dataDir, now: new Date('2026-01-01T00:00:00Z') },
  };
}

const advisoryIds = (findings: Finding[]) =>
  findings
    .filter((f) => f.ruleId === 'dependencies.vulnerable-package')
    .map((f) => `${String(f.properties?.package)}@${String(f.properties?.version)} ${String(f.properties?.advisoryId)}`)
    .sort();

let emptyDataDir: string;
beforeAll(() => {
  emptyDataDir = mkdtempSync(path.join(tmpdir(), 'dso-deps-empty-'));
});
afterAll(() => rmSync(emptyDataDir, { recursive: true, force: true }));

describe('dependency checker on a fixture project', () => {
  it('finds the vulnerable versions with the shipped default set (every PyPA, Node.js WG and Go record), and says it is a snapshot', async () => {
    const result = await dependenciesChecker.check(input(emptyDataDir));
    expect(advisoryIds(result.findings)).toEqual([
      'jsonwebtoken@4.2.1 NSWG-ECO-17',
      'lodash@4.17.4 NSWG-ECO-368',
      'lodash@4.17.4 NSWG-ECO-493',
      'lxml@4.2.4 PYSEC-2018-12',
      'lxml@4.2.4 PYSEC-2020-62',
      'lxml@4.2.4 PYSEC-2021-19',
      'lxml@4.2.4 PYSEC-2021-852',
      'lxml@4.2.4 PYSEC-2022-230',
      'qs@0.6.6 NSWG-ECO-28',
      'qs@0.6.6 NSWG-ECO-29',
      'requests@2.19.0 PYSEC-2018-28',
      'requests@2.19.0 PYSEC-2023-74',
    ]);
    expect(result.notes.map((n) => n.message).join('\n')).toMatch(/default advisory set shipped with DSO π/);
  });

  it('reports package, advisory, CVE, fixed version and CVSS severity in each finding', async () => {
    const { findings } = await dependenciesChecker.check(input(emptyDataDir));
    const qs = findings.find((f) => f.properties?.advisoryId === 'NSWG-ECO-29')!;
    expect(qs).toMatchObject({
      ruleId: 'dependencies.vulnerable-package',
      severity: 'high',
      requirements: ['EX58', 'EX12', 'EX30'],
      location: { file: 'package-lock.json', line: 33 },
      properties: {
        advisoryId: 'NSWG-ECO-29',
        aliases: ['CVE-2014-7191'],
        purl: 'pkg:npm/qs@0.6.6',
        fixedVersions: ['1.0.0'],
        cvss: { version: '3.0', baseScore: 7.5 },
      },
    });
    expect(qs.message).toContain('qs@0.6.6');
    expect(qs.message).toContain('NSWG-ECO-29');
    expect(qs.message).toContain('CVE-2014-7191');
    expect(qs.message).toContain('Fixed in 1.0.0');
    // The direct qs@6.5.2 is not affected.
    expect(findings.some((f) => f.properties?.purl === 'pkg:npm/qs@6.5.2')).toBe(false);
    // Advisories without any rating are said to be of unknown severity, never a silent medium.
    const unrated = findings.find((f) => f.properties?.advisoryId === 'PYSEC-2018-28')!;
    expect(unrated.properties?.severityBasis).toBe('unknown');
    expect(unrated.message).toContain('Severity unknown');
  });

  it('turns the malformed lockfile into a located finding and reports unpinned requirements as not evaluated', async () => {
    const result = await dependenciesChecker.check(input(emptyDataDir));
    const broken = result.findings.filter((f) => f.ruleId === 'dependencies.unparsable');
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ severity: 'low', location: { file: 'broken/poetry.lock', line: 3 } });
    expect(result.unevaluated).toContainEqual(expect.objectContaining({ kind: 'dependency', item: 'flask', code: 'version-unresolved', file: 'api/requirements.txt', line: 5 }));
    expect(result.unevaluated).toContainEqual(expect.objectContaining({ kind: 'manifest', item: 'broken/poetry.lock', code: 'manifest-unread' }));
    expect(result.extent?.vulnerabilities?.total).toBeGreaterThan(result.extent?.vulnerabilities?.checked ?? Infinity);
  });

  it('gives the same fingerprints and SBOM on every run', async () => {
    const a = await dependenciesChecker.check(input(emptyDataDir));
    const b = await dependenciesChecker.check(input(emptyDataDir));
    expect(b.findings.map((f) => f.fingerprint)).toEqual(a.findings.map((f) => f.fingerprint));
    expect(new Set(a.findings.map((f) => f.fingerprint)).size).toBe(a.findings.length);
    expect(JSON.stringify(b.sbom)).toBe(JSON.stringify(a.sbom));
  });

  it('writes a CycloneDX 1.6 SBOM that is valid against the schema', async () => {
    const { sbom } = await dependenciesChecker.check(input(emptyDataDir));
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
    expect(await validator.validate(JSON.stringify(sbom))).toBeNull();
    const purls = (sbom as { components: { purl: string }[] }).components.map((c) => c.purl);
    expect(purls).toEqual([...purls].sort());
    expect(purls).toEqual(
      expect.arrayContaining(['pkg:npm/lodash@4.17.4', 'pkg:npm/qs@0.6.6', 'pkg:npm/qs@6.5.2', 'pkg:pypi/lxml@4.2.4', 'pkg:pypi/pyyaml@5.4']),
    );
    expect((sbom as { serialNumber: string }).serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });

  it('reads a lockfile over the engine\'s 5 MB text limit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dso-deps-big-'));
    try {
      const packages: Record<string, unknown> = { '': { name: 'big' }, 'node_modules/qs': { version: '0.6.6' } };
      for (let i = 0; i < 32_000; i++) packages[`node_modules/filler-${i}`] = { version: '1.0.0', resolved: `https://registry.npmjs.org/filler-${i}/-/filler-${i}-1.0.0.tgz`, integrity: 'sha512-' + 'x'.repeat(40) };
      const text = JSON.stringify({ lockfileVersion: 3, packages }, null, 2);
      writeFileSync(path.join(dir, 'package-lock.json'), text);
      expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
      const result = await dependenciesChecker.check({
        root: dir,
        files: [{ path: 'package-lock.json', size: text.length }],
        readText: async () => undefined, // what the engine gives for files over its limit
        options: { dataDir: emptyDataDir, now: new Date() },
      });
      expect(result.findings.map((f) => f.properties?.advisoryId)).toContain('NSWG-ECO-29');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!sharedAdvisories)('with the real advisory data imported', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'dso-deps-real-'));
      await importAdvisories(sharedAdvisories!, { dataDir });
    }, 60_000);
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('finds every advisory of the data set that covers the fixture versions', async () => {
      const { result } = await scanDependencies(input(dataDir));
      expect(advisoryIds(result.findings)).toEqual([
        'jsonwebtoken@4.2.1 NSWG-ECO-17',
        'lodash@4.17.4 NSWG-ECO-368',
        'lodash@4.17.4 NSWG-ECO-493',
        'lxml@4.2.4 PYSEC-2018-12',
        'lxml@4.2.4 PYSEC-2020-62',
        'lxml@4.2.4 PYSEC-2021-19',
        'lxml@4.2.4 PYSEC-2021-852',
        'lxml@4.2.4 PYSEC-2022-230',
        'qs@0.6.6 NSWG-ECO-28',
        'qs@0.6.6 NSWG-ECO-29',
        'requests@2.19.0 PYSEC-2018-28',
        'requests@2.19.0 PYSEC-2023-74',
      ]);
      expect(result.notes.map((n) => n.message).join('\n')).not.toMatch(/default advisory set/);
    });
  });
});
