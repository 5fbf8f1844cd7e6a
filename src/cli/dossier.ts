// `dso dossier export <project>`: the project's homologation dossier as the console produces it (through the
// API), or `dso dossier export --facts <file.json>` computed offline; printable HTML (default) or OSCAL JSON
// (assessment results, or the POA&M).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { evaluateConformity } from '../catalogue/conformity.ts';
import { renderDossierHtml } from '../catalogue/dossier-html.ts';
import { assessmentResults, planOfActionAndMilestones } from '../catalogue/oscal.ts';
import { languageFromEnvironment } from '../checks/format/messages.ts';
import { requireFactsFile, requireInstantOption } from './conformity.ts';
import { ApiProblem, processIo, resolveConnection, resolveProject, runApiCommand, UsageError, type Io } from './api-client.ts';
import { helpOption, parseCommandLine } from './command-line.ts';

const usage = {
  fr: `Usage : dso dossier export <projet> [--format html|oscal|oscal-poam] [--output <fichier>] [--at <instant>] [--lang fr|en]
        dso dossier export --facts <faits.json> [--format html|oscal|oscal-poam] [--output <fichier>]
                          [--at <instant ISO avec fuseau>] [--lang fr|en]
`,
  en: `Usage: dso dossier export <project> [--format html|oscal|oscal-poam] [--output <file>] [--at <instant>] [--lang fr|en]
       dso dossier export --facts <facts.json> [--format html|oscal|oscal-poam] [--output <file>]
                          [--at <ISO instant with offset>] [--lang fr|en]
`,
};

const formats = ['html', 'oscal', 'oscal-poam'];

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const offline = args.some((a) => a === '--facts' || a.startsWith('--facts=')) || args.includes('--help') || args.includes('-h');
  if (offline) return runOffline(args, io);
  return runApiCommand(args, io, async (client, options, rest) => {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'html' }, output: { type: 'string' }, at: { type: 'string' } } });
    if (positionals[0] !== 'export' || positionals.length !== 2 || !formats.includes(values.format!)) throw new UsageError(usage);
    const project = await resolveProject(client, positionals[1]!);
    const query = new URLSearchParams({
      format: values.format!,
      lang: options.lang,
      ...(values.at ? { at: values.at } : {}),
    });
    // The HTML dossier is not JSON: fetched as text with the same connection and credentials as the client.
    const connection = (await resolveConnection(io.env))!;
    const response = await fetch(`${connection.url}/api/v1/projects/${project.id}/dossier?${query}`, {
      headers: { authorization: `Bearer ${connection.token}`, 'accept-language': options.lang },
      signal: AbortSignal.timeout(60_000),
    });
    const body = await response.text();
    if (!response.ok) {
      let problem: any;
      try {
        problem = JSON.parse(body);
      } catch {
        problem = undefined;
      }
      throw new ApiProblem(response.status, typeof problem?.title === 'string' ? problem.title : `HTTP ${response.status}`, problem?.detail, Array.isArray(problem?.errors) ? problem.errors : [], problem);
    }
    if (values.output) {
      writeFileSync(values.output, body);
      io.out(options.lang === 'fr' ? `Dossier écrit dans ${values.output}\n` : `Dossier written to ${values.output}\n`);
    } else io.out(body.endsWith('\n') ? body : `${body}\n`);
    return 0;
  });
}

async function runOffline(args: string[], io: Io): Promise<number> {
  const envLang = languageFromEnvironment(io.env);
  const parsed = parseCommandLine('dso dossier', args, {
    facts: { type: 'string' },
    format: { type: 'string', default: 'html' },
    output: { type: 'string' },
    at: { type: 'string' },
    lang: { type: 'string' },
    ...helpOption,
  }, usage, envLang, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const lang = values.lang === 'en' ? 'en' : values.lang === 'fr' || values.lang === undefined ? envLang : undefined;
  if (positionals[0] !== 'export' || positionals.length !== 1 || !values.facts || !lang || !['html', 'oscal', 'oscal-poam'].includes(values.format!)) {
    io.err(usage[envLang]);
    return 2;
  }
  const now = requireInstantOption(values.at, envLang, io);
  const facts = now && requireFactsFile(values.facts, envLang, io);
  if (!now || !facts) return 2;
  const conformity = evaluateConformity(currentCatalogue, facts, now);
  const input = { catalogue: currentCatalogue, facts: facts, conformity, generatedAt: now };
  const body =
    values.format === 'html'
      ? renderDossierHtml({ ...input, lang })
      : `${JSON.stringify(values.format === 'oscal' ? assessmentResults(input) : planOfActionAndMilestones(input), null, 2)}\n`;
  if (values.output) writeFileSync(values.output, body);
  else io.out(body);
  return 0;
}
