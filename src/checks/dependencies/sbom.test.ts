import * as CDX from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { componentOf } from './component.ts';
import { buildSbom } from './sbom.ts';

const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);

describe('CycloneDX SBOM', () => {
  const components = [
    componentOf('npm', '@babel/core', '7.0.0', 'web/package-lock.json', { development: true }),
    componentOf('npm', 'lodash', '4.17.4', 'package-lock.json'),
    componentOf('npm', 'lodash', '4.17.4', 'web/package-lock.json'),
    componentOf('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'pom.xml'),
    componentOf('Go', 'golang.org/x/net', 'v0.0.0-20220722155237-a158d28d115b', 'go.mod'),
    componentOf('PyPI', 'Django', '3.1.5', 'requirements.txt'),
    componentOf('crates.io', 'smallvec', '1.6.0', 'Cargo.lock'),
    componentOf('Packagist', 'guzzlehttp/guzzle', '7.4.1', 'composer.lock'),
  ];

  it('is valid CycloneDX 1.6, one component per purl, in a stable order', async () => {
    const bom = buildSbom(components, 'demo');
    expect(await validator.validate(JSON.stringify(bom))).toBeNull();
    expect(bom.components.map((c) => c.purl)).toEqual([
      'pkg:cargo/smallvec@1.6.0',
      'pkg:composer/guzzlehttp/guzzle@7.4.1',
      'pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'pkg:npm/%40babel/core@7.0.0',
      'pkg:npm/lodash@4.17.4',
      'pkg:pypi/django@3.1.5',
    ]);
    const lodash = bom.components.find((c) => c.name === 'lodash')!;
    expect(lodash.properties.filter((p) => p.name === 'dso:location').map((p) => p.value)).toEqual(['package-lock.json', 'web/package-lock.json']);
    expect(bom.components.find((c) => c.name === 'core')).toMatchObject({ group: '@babel', scope: 'optional' });
    expect(bom.components.find((c) => c.name === 'log4j-core')?.group).toBe('org.apache.logging.log4j');
  });

  it('derives the serial number from the content', () => {
    const a = buildSbom(components, 'demo');
    const b = buildSbom([...components].reverse(), 'demo');
    const c = buildSbom(components.slice(1), 'demo');
    expect(b.serialNumber).toBe(a.serialNumber);
    expect(c.serialNumber).not.toBe(a.serialNumber);
  });

  it('is valid with no component at all', async () => {
    expect(await validator.validate(JSON.stringify(buildSbom([])))).toBeNull();
  });
});
