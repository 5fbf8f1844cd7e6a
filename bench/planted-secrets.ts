// `npm run bench:planted [-- --per-format N] [--seed S]`: recall of the secrets scan on planted credentials and its
// false positives on look-alikes. Every provider format of bench/support/secret-formats.ts is generated N times
// (synthetic values, never real credentials) and written into realistic files of several kinds (.env, YAML, JSON,
// TypeScript, Python, properties, Markdown); as many look-alikes (placeholders, test keys, truncated or repetitive
// values, variable references, hashes) are written the same way. A plant counts as found when its own rule reports
// it on its line(s); a look-alike counts as a false positive when any secret rule reports it. Prints the figures per
// provider family and exits non-zero when recall < 95 % or false positives > 5 %.
import { parseArgs } from 'node:util';
import { scanSecrets } from '../src/checks/secrets/scan.ts';
import { secretFormats, seeded, type Random, type SecretFormat } from './support/secret-formats.ts';

const { values } = parseArgs({ options: { 'per-format': { type: 'string', default: '3' }, seed: { type: 'string', default: '20261206' } } });
const perFormat = Number(values['per-format']);
const random = seeded(Number(values.seed));

interface Planted {
  format: SecretFormat;
  path: string;
  text: string;
  /** Lines (1-based, inclusive) the value occupies. */
  first: number;
  last: number;
}

const snake = (name: string) => name.toLowerCase();
const camel = (name: string) => name.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The value written into a file of some kind, with the code that usually surrounds it. */
const embeddings: ((name: string, value: string) => { path: string; before: string; line: string; after: string })[] = [
  (name, value) => ({ path: '.env', before: 'NODE_ENV=production\nPORT=8080\n', line: `${name}=${value}`, after: '\nLOG_LEVEL=info\n' }),
  (name, value) => ({ path: 'config/application.yml', before: 'server:\n  port: 8080\napp:\n', line: `  ${camel(name)}: "${value}"`, after: '\n  timeout: 30s\n' }),
  (name, value) => ({ path: 'config/settings.json', before: '{\n  "service": "billing",\n', line: `  "${snake(name)}": "${value}",`, after: '\n  "retries": 3\n}\n' }),
  (name, value) => ({ path: 'src/client.ts', before: "import { createClient } from './http.ts';\n\n", line: `const ${camel(name)} = '${value}';`, after: '\nexport const client = createClient({ retries: 3 });\n' }),
  (name, value) => ({ path: 'app/settings.py', before: 'import os\n\nDEBUG = False\n', line: `${name} = "${value}"`, after: "\nALLOWED_HOSTS = ['app.example.org']\n" }),
  (name, value) => ({ path: 'src/main/resources/application.properties', before: 'server.port=8080\n', line: `app.${snake(name).replace(/_/g, '.')}=${value}`, after: '\nlogging.level.root=INFO\n' }),
  (name, value) => ({ path: 'docs/setup.md', before: '# Setup\n\nExport the variables before starting:\n\n```bash\n', line: `export ${name}=${value}`, after: '\n```\n' }),
];

function plant(format: SecretFormat, value: string, r: Random, index: number): Planted {
  if (format.block) {
    const path = format.rule === 'secrets.npm-token' ? `pkg${index}/.npmrc` : format.rule === 'secrets.gcp-service-account-key' ? `deploy/sa-${index}.json` : `deploy/keys/key-${index}.txt`;
    return { format, path, text: `${value}\n`, first: 1, last: value.split('\n').length };
  }
  const embed = embeddings[Math.floor(r() * embeddings.length)] as (typeof embeddings)[number];
  const { path, before, line, after } = embed(format.name, value);
  const first = before.split('\n').length;
  return { format, path: `${format.provider.replace(/\W+/g, '-').toLowerCase()}-${index}/${path}`, text: before + line + after, first, last: first + line.split('\n').length - 1 };
}

function reported(p: Planted, rule?: string): boolean {
  return scanSecrets(p.path, p.text).some(
    (f) =>
      (rule === undefined || f.ruleId === rule) &&
      (f.location.line ?? 0) >= p.first &&
      (f.location.line ?? 0) <= p.last,
  );
}

const planted: Planted[] = [];
const lookAlikes: Planted[] = [];
let index = 0;
for (const format of secretFormats) {
  for (let n = 0; n < perFormat; n++) {
    planted.push(plant(format, format.make(random), random, index++));
    lookAlikes.push(plant(format, format.lookAlike(random), random, index++));
  }
}

interface Tally {
  planted: number;
  found: number;
  lookAlikes: number;
  falsePositives: number;
}
const byFamily = new Map<string, Tally>();
const tally = (family: string) =>
  byFamily.get(family) ??
  (byFamily.set(family, { planted: 0, found: 0, lookAlikes: 0, falsePositives: 0 }).get(family) as Tally);
const missed: Planted[] = [];
const wrong: Planted[] = [];
const started = performance.now();
for (const p of planted) {
  const t = tally(p.format.family);
  t.planted++;
  if (reported(p, p.format.rule)) t.found++;
  else missed.push(p);
}
for (const p of lookAlikes) {
  const t = tally(p.format.family);
  t.lookAlikes++;
  if (reported(p)) {
    t.falsePositives++;
    wrong.push(p);
  }
}
const elapsed = performance.now() - started;

const percent = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`);
console.log(`${secretFormats.length} formats × ${perFormat}: ${planted.length} planted secrets, ${lookAlikes.length} look-alikes (seed ${values.seed}, ${elapsed.toFixed(0)} ms)`);
console.log(`${'family'.padEnd(14)} ${'planted'.padStart(7)} ${'found'.padStart(6)} ${'recall'.padStart(8)}   ${'look-alikes'.padStart(11)} ${'FP'.padStart(4)} ${'FP rate'.padStart(8)}`);
const total: Tally = { planted: 0, found: 0, lookAlikes: 0, falsePositives: 0 };
for (const [family, t] of [...byFamily].sort()) {
  console.log(`${family.padEnd(14)} ${String(t.planted).padStart(7)} ${String(t.found).padStart(6)} ${percent(t.found, t.planted).padStart(8)}   ${String(t.lookAlikes).padStart(11)} ${String(t.falsePositives).padStart(4)} ${percent(t.falsePositives, t.lookAlikes).padStart(8)}`);
  for (const k of Object.keys(total) as (keyof Tally)[]) total[k] += t[k];
}
console.log(`${'all'.padEnd(14)} ${String(total.planted).padStart(7)} ${String(total.found).padStart(6)} ${percent(total.found, total.planted).padStart(8)}   ${String(total.lookAlikes).padStart(11)} ${String(total.falsePositives).padStart(4)} ${percent(total.falsePositives, total.lookAlikes).padStart(8)}`);
// What was missed or wrongly reported: rule, provider and file kind (never the value itself).
for (const p of missed) console.log(`missed   ${p.format.rule} (${p.format.provider}) in ${p.path}`);
for (const p of wrong) console.log(`reported ${p.format.rule} look-alike (${p.format.provider}) in ${p.path}: ${scanSecrets(p.path, p.text).map((f) => f.ruleId).join(', ')}`);
const recall = total.found / total.planted;
const fpRate = total.falsePositives / total.lookAlikes;
console.log(`recall ${percent(total.found, total.planted)} (target ≥ 95 %), false positives on look-alikes ${percent(total.falsePositives, total.lookAlikes)} (target ≤ 5 %)`);
if (total.planted < 150 || recall < 0.95 || fpRate > 0.05) process.exitCode = 1;
