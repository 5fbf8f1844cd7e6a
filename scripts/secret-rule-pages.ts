// `node --import tsx scripts/secret-rule-pages.ts`: writes the page of every secret rule in docs/rules (and their
// table in docs/rules/README.md) from the rules, their catalogue and the synthetic formats of bench:planted. Each
// page shows one value the rule reports and one look-alike it does not; src/checks/secrets/rule-pages.test.ts scans
// both from the page as written, so a page that stops telling the truth fails the tests. The values are synthetic
// (seeded), never real credentials; docs/rules/secrets.*.md is in .dso/ignore so that dso check . skips them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allSecretRules } from '../src/checks/secrets/rules.ts';
import { secretFormats, seeded, type SecretFormat } from '../bench/support/secret-formats.ts';

const docs = join(import.meta.dirname, '../docs/rules');

/** Where an example is written, so that the scan reads it as it would read the same text in a project. */
function exampleOf(format: SecretFormat, value: string): { path: string; text: string } {
  if (format.block) {
    const path = format.rule === 'secrets.npm-token' ? '.npmrc' : format.rule === 'secrets.gcp-service-account-key' ? 'deploy/service-account.json' : 'deploy/keys/id.key';
    return { path, text: value };
  }
  if (format.rule === 'secrets.password') return { path: 'src/main/resources/application.yml', text: `spring:\n  datasource:\n    ${format.name}: "${value}"` };
  return { path: '.env', text: `${format.name}=${value}` };
}

const why = `Anything committed is copied to every clone, fork, CI cache and backup, and stays in the history after it is
deleted. The framework asks that configuration and credentials come from the environment (EX47) and that the team
keeps the code secure (EX58): a secret in the repository fails the gate, whatever its age.`;

const fix = `1. Treat the value as compromised: revoke or rotate it at the provider first (removing it from the code is not
   enough, it stays in the git history and in every clone).
2. Store the new value in the platform's secret store and inject it at run time (environment variable or mounted
   file from a Kubernetes Secret); never commit it.
3. If the value is a deliberate fake (a test token), mark the line with \`dso-allow-secret\` and say why, or add the
   finding's fingerprint to \`.dso/allowlist\` with a comment.`;

const rows: string[] = [];
for (const rule of allSecretRules) {
  const format = secretFormats.find((f) => f.rule === rule.id);
  if (!format) throw new Error(`${rule.id}: no synthetic format in bench/support/secret-formats.ts`);
  // The look-alike shown is the first one of the format that is not a bare variable reference (more telling).
  const random = seeded(rule.id.length * 7919);
  const positive = exampleOf(format, format.make(random));
  let lookAlike = format.lookAlike(random);
  for (let n = 0; n < 20 && lookAlike.startsWith('${'); n++) lookAlike = format.lookAlike(random);
  const negative = exampleOf(format, lookAlike);
  const scope = rule.blocksEverywhere
    ? 'It blocks the gate in every folder, tests, fixtures, examples and docs included: a private key or a live cloud credential is usable wherever it was committed.'
    : 'In test, fixture, example and documentation folders it is reported without blocking the gate (unless `.dso.yml` says otherwise).';
  const page = `# \`${rule.id}\` — ${rule.text?.en.replace(/ is (?:written|assigned) in the code\.$| is in the code\.$/, '') ?? rule.description}

- Severity: **${rule.severity}** · Kind: secret · Requirements: **EX47**, **EX58** (both level P)${rule.blocksEverywhere ? ' · Blocks everywhere' : ''}

## What
${rule.text?.en ?? rule.description}

${scope}

## Why
${why}

## How to fix
${fix}

## Example
Reported, in \`${positive.path}\` (the finding shows the value masked: first four characters then \`***\`):

\`\`\`
${positive.text}
\`\`\`

Not reported, in \`${negative.path}\`:

\`\`\`
${negative.text}
\`\`\`

(Both values are synthetic, generated for this page.)
`;
  writeFileSync(join(docs, `${rule.id}.md`), page);
  rows.push(`| [\`${rule.id}\`](${rule.id}.md) | ${rule.severity} | EX47, EX58 | ${rule.text?.en ?? rule.description} |`);
}

const readmePath = join(docs, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf('## secrets');
const end = readme.indexOf('\n## ', start + 1);
const table = `## secrets\n\n| rule | severity | requirements | description |\n|---|---|---|---|\n${rows.join('\n')}\n`;
writeFileSync(readmePath, readme.slice(0, start) + table + readme.slice(end));
console.log(`${rows.length} secret rule pages written`);
