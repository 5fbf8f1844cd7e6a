// `dso dossier export --facts <file.json>`: the homologation dossier computed offline, as printable HTML
// (default) or OSCAL JSON (assessment results, or the POA&M).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { evaluateConformity } from '../catalogue/conformity.ts';
import { renderDossierHtml } from '../catalogue/dossier-html.ts';
import { assessmentResults, planOfActionAndMilestones } from '../catalogue/oscal.ts';
import { languageFromEnvironment } from '../checks/format/messages.ts';
import { instantOption, readFactsFile } from './conformity.ts';

const usage = {
  fr: `Usage : dso dossier export --facts <faits.json> [--format html|oscal|oscal-poam] [--output <fichier>]
                          [--at <instant ISO avec fuseau>] [--lang fr|en]
`,
  en: `Usage: dso dossier export --facts <facts.json> [--format html|oscal|oscal-poam] [--output <file>]
                          [--at <ISO instant with offset>] [--lang fr|en]
`,
};

export async function run(args: string[]): Promise<number> {
  const envLang = languageFromEnvironment();
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        facts: { type: 'string' },
        format: { type: 'string', default: 'html' },
        output: { type: 'string' },
        at: { type: 'string' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage[envLang]}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage[envLang]);
    return 0;
  }
  const lang = values.lang === 'en' ? 'en' : values.lang === 'fr' || values.lang === undefined ? envLang : undefined;
  if (positionals[0] !== 'export' || positionals.length !== 1 || !values.facts || !lang || !['html', 'oscal', 'oscal-poam'].includes(values.format!)) {
    process.stderr.write(usage[envLang]);
    return 2;
  }
  const now = instantOption(values.at);
  if (!now) {
    process.stderr.write(`--at: ${envLang === 'fr' ? 'instant ISO 8601 avec fuseau attendu' : 'ISO 8601 instant with offset expected'}\n`);
    return 2;
  }
  const read = readFactsFile(values.facts, envLang);
  if ('error' in read) {
    process.stderr.write(`${read.error}\n`);
    return 2;
  }
  const conformity = evaluateConformity(currentCatalogue, read.facts, now);
  const input = { catalogue: currentCatalogue, facts: read.facts, conformity, generatedAt: now };
  const body =
    values.format === 'html'
      ? renderDossierHtml({ ...input, lang })
      : `${JSON.stringify(values.format === 'oscal' ? assessmentResults(input) : planOfActionAndMilestones(input), null, 2)}\n`;
  if (values.output) writeFileSync(values.output, body);
  else process.stdout.write(body);
  return 0;
}
