// Rebuilds records.json, the small advisory set shipped with the product, from the public
// collections listed in README.md. Run: node --import tsx src/checks/advisories/default/build-default-set.ts <advisories folder>
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { npmWgToOsv, type NpmWgAdvisory } from '../npm-security-wg.ts';
import { validateOsv, type OsvRecord } from '../osv.ts';

export const npmWgIds = [17, 23, 29, 368, 493, 516, 519];
export const pypiFiles = ['lxml/PYSEC-2018-12', 'requests/PYSEC-2018-28', 'pyyaml/PYSEC-2020-176', 'jinja2/PYSEC-2019-220', 'flask/PYSEC-2019-179', 'django/PYSEC-2021-6'];

const source = process.argv[2] ?? path.resolve('../shared/data/advisories');
const records: OsvRecord[] = [];
for (const id of npmWgIds) {
  const r = npmWgToOsv(JSON.parse(readFileSync(path.join(source, 'npm-nodejs-security-wg/vuln/npm', `${id}.json`), 'utf8')) as NpmWgAdvisory);
  if (typeof r === 'string') throw new Error(r);
  records.push(r);
}
for (const f of pypiFiles) {
  const r = validateOsv(YAML.parse(readFileSync(path.join(source, 'pypi-osv/vulns', `${f}.yaml`), 'utf8'), { schema: 'failsafe' }));
  if (typeof r === 'string') throw new Error(r);
  records.push(r);
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'records.json');
writeFileSync(out, `${JSON.stringify(records, null, 1)}\n`);
process.stdout.write(`${records.length} records written to ${out}\n`);
