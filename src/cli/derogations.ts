// `dso derogations`: offline helpers around the one derogation evaluator.
//   list --facts <file.json> [--at <instant>]   which derogations are in force at that instant, and until when;
//   validate --requirement EX… --justification … --expires-at <instant> [--rule …] [--fingerprint …]
//            [--repository …] [--environment …] [--max-days 365]   check a request before sending it.
import { parseArgs } from 'node:util';
import { requirementIds } from '../catalogue/catalogue.ts';
import { languageFromEnvironment } from '../checks/format/messages.ts';
import { derogationInForce, validateDerogationRequest, type DerogationScope } from '../domain/derogation.ts';
import { instantOption, readFactsFile } from './conformity.ts';

const usage = {
  fr: `Usage : dso derogations list --facts <faits.json> [--at <instant>]
       dso derogations validate --requirement <EX…> --justification <texte> --expires-at <instant avec fuseau>
                                [--rule <id>] [--fingerprint <empreinte>] [--repository <id>] [--environment <id>] [--max-days <n>]
`,
  en: `Usage: dso derogations list --facts <facts.json> [--at <instant>]
       dso derogations validate --requirement <EX…> --justification <text> --expires-at <instant with offset>
                                [--rule <id>] [--fingerprint <fingerprint>] [--repository <id>] [--environment <id>] [--max-days <n>]
`,
};

export async function run(args: string[]): Promise<number> {
  const lang = languageFromEnvironment();
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        facts: { type: 'string' },
        at: { type: 'string' },
        requirement: { type: 'string' },
        justification: { type: 'string' },
        'compensating-measures': { type: 'string' },
        'expires-at': { type: 'string' },
        rule: { type: 'string' },
        fingerprint: { type: 'string' },
        repository: { type: 'string' },
        environment: { type: 'string' },
        'max-days': { type: 'string', default: '365' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage[lang]}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage[lang]);
    return 0;
  }
  const now = instantOption(values.at);
  if (!now) {
    process.stderr.write(`--at: ${lang === 'fr' ? 'instant ISO 8601 avec fuseau attendu' : 'ISO 8601 instant with offset expected'}\n`);
    return 2;
  }
  if (positionals[0] === 'list' && values.facts) {
    const read = readFactsFile(values.facts, lang);
    if ('error' in read) {
      process.stderr.write(`${read.error}\n`);
      return 2;
    }
    const rows = [...read.facts.derogations].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const d of rows) {
      const state = derogationInForce(d, now) ? (lang === 'fr' ? 'en vigueur' : 'in force') : d.status === 'approved' ? (lang === 'fr' ? 'échue' : 'expired') : d.status;
      const scope = Object.entries(d.scope ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '*';
      process.stdout.write(`${d.id}\t${d.requirement}\t${scope}\t${state}\t${d.expiresAt}\n`);
    }
    if (rows.length === 0) process.stdout.write(`${lang === 'fr' ? 'Aucune dérogation.' : 'No derogation.'}\n`);
    return 0;
  }
  if (positionals[0] === 'validate') {
    const maxDays = Number(values['max-days']);
    if (!Number.isInteger(maxDays) || maxDays <= 0) {
      process.stderr.write(`--max-days: ${lang === 'fr' ? 'entier positif attendu' : 'positive integer expected'}\n`);
      return 2;
    }
    const scope: DerogationScope = {
      ...(values.rule ? { ruleId: values.rule } : {}),
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values.repository ? { repositoryId: values.repository } : {}),
      ...(values.environment ? { environmentId: values.environment } : {}),
    };
    const errors = validateDerogationRequest(
      { requirement: values.requirement, justification: values.justification, compensatingMeasures: values['compensating-measures'], expiresAt: values['expires-at'], scope },
      { now, maxDurationDays: maxDays, knownRequirements: requirementIds() },
      lang,
    );
    if (errors.length === 0) {
      process.stdout.write(`${lang === 'fr' ? 'Demande valide.' : 'Valid request.'}\n`);
      return 0;
    }
    for (const e of errors) process.stderr.write(`${e.field}: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(usage[lang]);
  return 2;
}
