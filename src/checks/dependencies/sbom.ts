// CycloneDX 1.6 JSON software bill of materials from the components found in a tree.
// Deterministic: components are deduplicated by purl and sorted, there is no timestamp, and the
// serial number is derived from the content, so the same tree always gives the same document.
import { createHash } from 'node:crypto';
import { productName, version as productVersion } from '../../version.ts';
import type { Component } from './component.ts';

export interface CycloneDxComponent {
  type: 'library';
  'bom-ref': string;
  group?: string;
  name: string;
  version: string;
  purl: string;
  scope?: 'required' | 'optional';
  properties: { name: string; value: string }[];
}

export interface CycloneDxBom {
  $schema: string;
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: {
    tools: { components: { type: 'application'; name: string; version: string }[] };
    component?: { type: 'application'; 'bom-ref': string; name: string };
  };
  components: CycloneDxComponent[];
}

function uuidFromHash(hex: string): string {
  // Shaped as a name-based UUID (version 5 bits, RFC 4122 variant) so validators accept it.
  const h = hex.slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

function nameParts(c: Component): { group?: string; name: string } {
  if (c.ecosystem === 'Maven') {
    const [group, artifact] = c.name.split(':');
    return { group, name: artifact ?? c.name };
  }
  if (c.ecosystem === 'npm' && c.name.startsWith('@') && c.name.includes('/')) {
    const i = c.name.indexOf('/');
    return { group: c.name.slice(0, i), name: c.name.slice(i + 1) };
  }
  return { name: c.name };
}

export function buildSbom(components: readonly Component[], projectName?: string): CycloneDxBom {
  const byPurl = new Map<string, { component: Component; files: Set<string>; development: boolean }>();
  for (const c of components) {
    const entry = byPurl.get(c.purl);
    if (entry) {
      entry.files.add(c.file);
      entry.development &&= c.development === true;
    } else byPurl.set(c.purl, { component: c, files: new Set([c.file]), development: c.development === true });
  }
  const purls = [...byPurl.keys()].sort();
  const list: CycloneDxComponent[] = purls.map((purl) => {
    const { component, files, development } = byPurl.get(purl)!;
    const parts = nameParts(component);
    const out: CycloneDxComponent = { type: 'library', 'bom-ref': purl, name: parts.name, version: component.version, purl, properties: [] };
    if (parts.group) out.group = parts.group;
    // Only development/test use is known for sure; otherwise the scope is left unsaid.
    if (development) out.scope = 'optional';
    out.properties = [
      { name: 'dso:ecosystem', value: component.ecosystem },
      ...[...files].sort().map((f) => ({ name: 'dso:location', value: f })),
    ];
    return out;
  });
  const serial = uuidFromHash(createHash('sha256').update(JSON.stringify([projectName ?? '', list])).digest('hex'));
  const bom: CycloneDxBom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${serial}`,
    version: 1,
    metadata: { tools: { components: [{ type: 'application', name: productName, version: productVersion }] } },
    components: list,
  };
  if (projectName) bom.metadata.component = { type: 'application', 'bom-ref': `project:${projectName}`, name: projectName };
  return bom;
}
