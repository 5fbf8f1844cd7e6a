// `dso conformity <project>`: a project's conformity as the console computes it (through the API), or
// `dso conformity --facts <file.json>` computed offline from a facts file (the same evaluator the server uses).
// Exit 0 when every P requirement is satisfied or derogated, 1 otherwise, 2 on a usage or input error.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { evaluateConformity, stateLabels, type ConformityResult } from '../catalogue/conformity.ts';
import type { ProjectFacts } from '../catalogue/facts.ts';
import { parseProjectFacts } from '../catalogue/facts-schema.ts';
import { languageFromEnvironment, type Language } from '../checks/format/messages.ts';
import { parseInstant } from '../domain/derogation.ts';
import { processIo, resolveProject, runApiCommand, UsageError, type Io } from './api-client.ts';
import { helpOption, parseCommandLine } from './command-line.ts';

const maxFactsBytes = 50 * 1024 * 1024;

const usage = {
  fr: `Usage : dso conformity <projet> [--at <instant ISO avec fuseau>] [--environment <id>] [--json] [--lang fr|en]
        dso conformity --facts <faits.json> [--at <instant ISO avec fuseau>] [--environment <id>] [--format text|json]
Code de sortie : 0 toutes les exigences P satisfaites ou sous dérogation, 1 sinon, 2 erreur d'utilisation ou d'entrée.
`,
  en: `Usage: dso conformity <project> [--at <ISO instant with offset>] [--environment <id>] [--json] [--lang fr|en]
       dso conformity --facts <facts.json> [--at <ISO instant with offset>] [--environment <id>] [--format text|json]
Exit code: 0 every P requirement satisfied or derogated, 1 otherwise, 2 usage or input error.
`,
};

/** Read and validate a facts file; a sentence saying what to fix otherwise. */
export function readFactsFile(path: string, lang: Language): { facts: ProjectFacts } | { error: string } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { error: lang === 'fr' ? `Fichier introuvable : ${path}` : `File not found: ${path}` };
  }
  if (size > maxFactsBytes) return { error: lang === 'fr' ? `Fichier trop volumineux (50 Mo au plus) : ${path}` : `File too large (50 MB at most): ${path}` };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { error: `${lang === 'fr' ? 'JSON invalide' : 'Invalid JSON'} (${path}): ${(error as Error).message}` };
  }
  const parsed = parseProjectFacts(json);
  if (!parsed.ok) return { error: parsed.errors.map((e) => `${e.field || '/'}: ${e.message}`).join('\n') };
  return { facts: parsed.facts };
}

/** `--at` or now; undefined when given but not an instant with offset. */
export function instantOption(value: string | undefined): Date | undefined {
  if (value === undefined) return new Date();
  const ms = parseInstant(value);
  return ms === undefined ? undefined : new Date(ms);
}

/** `instantOption` for the offline commands: on a bad `--at`, says so on stderr and gives undefined (exit 2). */
export function requireInstantOption(value: string | undefined, lang: Language, io: Io): Date | undefined {
  const now = instantOption(value);
  if (!now) io.err(`--at: ${lang === 'fr' ? 'instant ISO 8601 avec fuseau attendu (ex. 2026-11-29T12:00:00+01:00)' : 'ISO 8601 instant with offset expected (e.g. 2026-11-29T12:00:00+01:00)'}\n`);
  return now;
}

/** `readFactsFile` for the offline commands: on failure, says why on stderr and gives undefined (exit 2). */
export function requireFactsFile(path: string, lang: Language, io: Io): ProjectFacts | undefined {
  const read = readFactsFile(path, lang);
  if ('error' in read) {
    io.err(`${read.error}\n`);
    return undefined;
  }
  return read.facts;
}

function text(result: ConformityResult, facts: Pick<ProjectFacts, 'projectName'>, lang: Language): string {
  const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)} %`;
  const out = [
    `${facts.projectName} — ${lang === 'fr' ? 'catalogue' : 'catalogue'} ${result.catalogueVersion} — ${result.evaluatedAt}`,
    `P: ${pct(result.scores.P.ratio)} (${result.scores.P.satisfied}/${result.scores.P.applicable}), ${lang === 'fr' ? 'avec dérogations' : 'with derogations'} ${pct(result.scores.P.coveredRatio)}`,
    `I: ${pct(result.scores.I.ratio)} (${result.scores.I.satisfied}/${result.scores.I.applicable})`,
    '',
  ];
  for (const r of result.requirements) {
    out.push(`${r.id.padEnd(5)} ${r.level}  ${stateLabels[r.state][lang]}${r.until ? ` (${lang === 'fr' ? "jusqu'au" : 'until'} ${r.until})` : ''}`);
    if (r.state !== 'satisfied' && r.state !== 'not-applicable') {
      for (const t of r.targets.filter((x) => x.state === r.state)) {
        const where = t.target.kind === 'project' ? '' : `${t.target.name}: `;
        for (const reason of t.reasons) out.push(`       ${where}${reason.message[lang]}`);
      }
    }
  }
  if (result.nextChangeAt) out.push('', `${lang === 'fr' ? 'Prochain changement attendu' : 'Next expected change'}: ${result.nextChangeAt}`);
  return `${out.join('\n')}\n`;
}

/** True when every P requirement is satisfied, derogated or not applicable. */
function primordialMet(result: ConformityResult): boolean {
  return !result.requirements.some((r) => r.level === 'P' && (r.state === 'not-satisfied' || r.state === 'awaiting-evidence' || r.state === 'awaiting-attestation'));
}

const usesFactsFile = (args: string[]) => args.some((a) => a === '--facts' || a.startsWith('--facts='));

export async function run(args: string[], io: Io = processIo): Promise<number> {
  if (usesFactsFile(args) || args.includes('--help') || args.includes('-h')) return runOffline(args, io);
  return runApiCommand(args, io, async (client, options, rest) => {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { at: { type: 'string' }, environment: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError(usage);
    const project = await resolveProject(client, positionals[0]!);
    const query = new URLSearchParams({
      ...(values.at ? { at: values.at } : {}),
      ...(values.environment ? { environmentId: values.environment } : {}),
    });
    const result = await client.request<ConformityResult>('GET', `/projects/${project.id}/conformity${query.size > 0 ? `?${query}` : ''}`);
    io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : text(result, { projectName: project.slug }, options.lang));
    return primordialMet(result) ? 0 : 1;
  });
}

async function runOffline(args: string[], io: Io): Promise<number> {
  const lang = languageFromEnvironment(io.env);
  const parsed = parseCommandLine('dso conformity', args, {
    facts: { type: 'string' },
    at: { type: 'string' },
    environment: { type: 'string' },
    format: { type: 'string', default: 'text' },
    ...helpOption,
  }, usage, lang, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.facts || (values.format !== 'text' && values.format !== 'json')) {
    io.err(usage[lang]);
    return 2;
  }
  const now = requireInstantOption(values.at, lang, io);
  const facts = now && requireFactsFile(values.facts, lang, io);
  if (!now || !facts) return 2;
  const result = evaluateConformity(
    currentCatalogue,
    facts,
    now,
    values.environment ? { environmentId: values.environment } : {},
  );
  io.out(values.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : text(result, facts, lang));
  return primordialMet(result) ? 0 : 1;
}
