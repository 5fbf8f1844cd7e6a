// `dso check <dir>`: the secondary chain's checks and gate, on a laptop. Exit 0 = gate passed, 1 = gate failed
// or a criterion the policy requires could not be evaluated,
// 2 = usage or I/O error (with a sentence saying what to fix).
import { readFileSync, statSync } from 'node:fs';
import { ruleDescription } from '../checks/localise.ts';
import type { Rule } from '../checks/model.ts';
import { parseInstant, type Derogation } from '../domain/derogation.ts';
import type { CheckProgress } from '../checks/engine.ts';
import { languageFromEnvironment, severityName, type Language } from '../checks/format/messages.ts';
import { defaultMavenRepositoryDir } from '../checks/dependencies/maven/local-repository.ts';
import { defaultGoModuleCache } from '../checks/dependencies/go-module-cache.ts';
import { parsePlatformEvaluationPolicy } from '../checks/evaluation-policy.ts';
import { helpOption, parseCommandLine } from './command-line.ts';
import { processIo } from './io.ts';
// The engine and every checker (some load large schema sets) are imported only once the arguments are valid,
// so that a usage error answers at once.
const loadEngine = async () => ({
  ...(await import('../checks/engine.ts')),
  ...(await import('../checks/format/json.ts')),
  ...(await import('../checks/format/outputs.ts')),
  ...(await import('../checks/format/sarif.ts')),
  ...(await import('../checks/format/text.ts')),
  ...(await import('../checks/registry.ts')),
  ...(await import('../integrations/registry/image-user.ts')),
});

const usage = {
  fr: `Usage : dso check <dossier> [--baseline <rapport.json>] [--format text|json|sarif] [--sbom <fichier>]
                 [--output <dossier>] [--derogations <fichier.json>] [--include-vendored] [--include-fixtures]
       dso check --rules [--format text|json]
Code de sortie : 0 porte franchie, 1 porte refusée ou critère bloquant non évalué, 2 erreur d'utilisation ou d'entrée/sortie.
`,
  en: `Usage: dso check <dir> [--baseline <report.json>] [--format text|json|sarif] [--sbom <file>]
                 [--output <dir>] [--derogations <file.json>] [--include-vendored] [--include-fixtures]
       dso check --rules [--format text|json]
Exit code: 0 gate passed, 1 gate failed or a blocking criterion not evaluated, 2 usage or I/O error.
`,
};

export async function run(args: string[]): Promise<number> {
  const lang = languageFromEnvironment(processIo.env);
  const parsed = parseCommandLine('dso check', args, {
    baseline: { type: 'string' },
    format: { type: 'string', default: 'text' },
    sbom: { type: 'string' },
    output: { type: 'string' },
    derogations: { type: 'string' },
    'include-vendored': { type: 'boolean', default: false },
    'include-fixtures': { type: 'boolean', default: false },
    rules: { type: 'boolean', default: false },
    ...helpOption,
  }, usage, lang);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) {
    return usageError(lang, lang === 'fr' ? `format inconnu "${format}" (text, json ou sarif)` : `unknown format "${format}" (text, json or sarif)`);
  }
  if (values.rules) return listRules(format, lang, (await loadEngine()).allRules());

  if (positionals.length !== 1) {
    return usageError(lang, lang === 'fr' ? 'indiquez un et un seul dossier à vérifier' : 'give exactly one folder to check');
  }
  const dir = positionals[0] as string;
  try {
    if (!statSync(dir).isDirectory()) return ioError(lang === 'fr' ? `${dir} n'est pas un dossier` : `${dir} is not a folder`);
  } catch {
    return ioError(lang === 'fr' ? `le dossier ${dir} n'existe pas ou n'est pas lisible` : `folder ${dir} does not exist or cannot be read`);
  }

  let baseline: unknown;
  if (values.baseline !== undefined) {
    const read = readJson(values.baseline);
    if ('error' in read) return ioError(lang === 'fr' ? `impossible de lire la référence ${values.baseline} : ${read.error}` : `cannot read the baseline ${values.baseline}: ${read.error}`);
    if (typeof read.value !== 'object' || read.value === null || !Array.isArray((read.value as { findings?: unknown }).findings)) {
      return ioError(lang === 'fr' ? `${values.baseline} n'est pas un rapport JSON de dso check (pas de tableau "findings")` : `${values.baseline} is not a dso check JSON report (no "findings" array)`);
    }
    baseline = read.value;
  }

  let derogations: Derogation[] | undefined;
  if (values.derogations !== undefined) {
    const read = readJson(values.derogations);
    if ('error' in read) return ioError(lang === 'fr' ? `impossible de lire les dérogations ${values.derogations} : ${read.error}` : `cannot read the derogations ${values.derogations}: ${read.error}`);
    const checked = derogationsFrom(read.value);
    if (typeof checked === 'string') return ioError(lang === 'fr' ? `dérogations invalides dans ${values.derogations} : ${checked}` : `invalid derogations in ${values.derogations}: ${checked}`);
    derogations = checked;
  }

  // The platform's settings a laptop shares with the server: the evaluation policy and the advisories' freshness limit.
  const env = processIo.env;
  const platformPolicy = parsePlatformEvaluationPolicy(env.DSO_EVALUATION_POLICY);
  if (platformPolicy.problems.length > 0) return usageError(lang, platformPolicy.problems.join(' '));
  const maxAgeText = env.DSO_ADVISORIES_MAX_AGE_DAYS?.trim() || env.DSO_ADVISORY_MAX_AGE_DAYS?.trim();
  const advisoryMaxAgeDays = maxAgeText ? Number(maxAgeText) : undefined;
  if (
    advisoryMaxAgeDays !== undefined &&
    !(Number.isInteger(advisoryMaxAgeDays) && advisoryMaxAgeDays >= 1 && advisoryMaxAgeDays <= 365)
  ) {
    return usageError(
      lang,
      lang === 'fr'
        ? `DSO_ADVISORIES_MAX_AGE_DAYS="${maxAgeText}" doit être un nombre entier de jours entre 1 et 365`
        : `DSO_ADVISORIES_MAX_AGE_DAYS="${maxAgeText}" must be a whole number of days between 1 and 365`,
    );
  }
  const mavenCommand = env.DSO_MAVEN_COMMAND?.trim() || 'mvn';

  const {
    runChecksWithArtifacts,
    imageUserInspector,
    formatJson,
    toSarif,
    formatText,
    textStyleFor,
    writeSbom,
    writeOutputDirectory,
    allRules,
  } = await loadEngine();
  const progress = progressReporter(lang);
  const result = await runChecksWithArtifacts({
    root: dir,
    // A base image's default user is read from its registry when the final stage sets no USER (short time limit).
    options: {
      includeVendored: values['include-vendored'],
      includeFixtures: values['include-fixtures'],
      inspectImage: imageUserInspector(),
      dataDir: processIo.env.DSO_DATA_DIR ?? './data',
      mavenRepository: defaultMavenRepositoryDir(processIo.env),
      goModuleCache: defaultGoModuleCache(processIo.env),
      ...(mavenCommand !== 'none' ? { mavenCommand, mavenOnline: env.DSO_MAVEN_ONLINE === 'true' } : {}),
      policy: platformPolicy.policy,
      ...(advisoryMaxAgeDays !== undefined ? { advisoryMaxAgeDays } : {}),
      ...(processIo.env.DSO_CHART_REPOSITORY_URL ? { chartRepository: processIo.env.DSO_CHART_REPOSITORY_URL } : {}),
    },
    baseline,
    derogations,
    onProgress: progress.update,
  });
  progress.clear();
  const { report } = result;

  if (format === 'json') process.stdout.write(formatJson(report));
  else if (format === 'sarif') process.stdout.write(`${JSON.stringify(toSarif(report, allRules(), lang), null, 2)}\n`);
  else process.stdout.write(formatText(report, textStyleFor(process.stdout, processIo.env, lang)));

  if (values.sbom !== undefined) {
    if (result.sbom === undefined) {
      process.stderr.write(lang === 'fr' ? 'dso check : aucun SBOM produit (aucun manifeste de dépendances reconnu), rien écrit.\n' : 'dso check: no SBOM produced (no dependency manifest recognised), nothing written.\n');
    } else {
      const error = writeSbom(values.sbom, result.sbom);
      if (error) return ioError(error);
    }
  }
  if (values.output !== undefined) {
    const error = writeOutputDirectory(values.output, result, allRules(), lang);
    if (error) return ioError(error);
  }
  return report.gate.verdict === 'pass' ? 0 : 1;
}

function listRules(format: string, lang: Language, known: readonly Rule[]): number {
  const rules = [...known].sort((a, b) => a.id.localeCompare(b.id));
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
    return 0;
  }
  const idWidth = Math.max(...rules.map((r) => r.id.length), 2);
  const sevWidth = Math.max(...rules.map((r) => severityName(r.severity, lang).length), 8);
  const reqWidth = Math.max(...rules.map((r) => r.requirements.join(',').length), 11);
  const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${severityName(r.severity, lang).padEnd(sevWidth)}  ${r.requirements.join(',').padEnd(reqWidth)}  ${ruleDescription(r, lang)}`);
  const header = lang === 'fr' ? ['règle', 'sévérité', 'exigences', 'description'] : ['rule', 'severity', 'requirements', 'description'];
  process.stdout.write(`${header[0]!.padEnd(idWidth)}  ${header[1]!.padEnd(sevWidth)}  ${header[2]!.padEnd(reqWidth)}  ${header[3]}\n${lines.join('\n')}\n`);
  return 0;
}

/** Progress on stderr, only on a terminal, at most five times a second. */
function progressReporter(lang: Language): { update: (p: CheckProgress) => void; clear: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 200 && p.phase === 'scanning') return;
      last = now;
      let text: string;
      if (p.phase === 'listing') text = lang === 'fr' ? 'inventaire des fichiers…' : 'listing files…';
      else if (p.phase === 'scanning') text = `${lang === 'fr' ? 'analyse' : 'scanning'} ${p.filesDone ?? 0}/${p.filesTotal ?? 0} (${((p.bytesDone ?? 0) / 1048576).toFixed(0)} Mo)`;
      else if (p.phase === 'checking') text = `${lang === 'fr' ? 'vérification' : 'checking'} : ${p.checker ?? ''}`;
      else return;
      process.stderr.write(`\r\u001b[K${text}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\u001b[K');
    },
  };
}

function readJson(file: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The `--derogations` file: a JSON array of Derogation (as the homologation API exports them). */
export function derogationsFrom(value: unknown): Derogation[] | string {
  if (!Array.isArray(value)) return 'a JSON array of derogations is expected';
  const result: Derogation[] = [];
  for (const [i, d] of value.entries()) {
    if (typeof d !== 'object' || d === null) return `item ${i} is not an object`;
    const { id, requirement, scope, status, expiresAt } = d as Record<string, unknown>;
    if (typeof id !== 'string' || typeof requirement !== 'string' || typeof status !== 'string' || typeof expiresAt !== 'string') {
      return `item ${i} needs string fields id, requirement, status and expiresAt`;
    }
    if (!['requested', 'approved', 'rejected', 'revoked'].includes(status)) return `item ${i} has an unknown status "${status}"`;
    // Same parser as the gate: an instant without an offset would be read in the laptop's time zone, so refuse it.
    if (parseInstant(expiresAt) === undefined) return `item ${i} has an invalid expiresAt "${expiresAt}": use an ISO 8601 instant with an offset, e.g. 2027-01-01T00:00:00Z`;
    if (scope !== undefined && (typeof scope !== 'object' || scope === null)) return `item ${i} has a scope that is not an object`;
    result.push({ id, requirement, status: status as Derogation['status'], expiresAt, scope: (scope ?? {}) as Derogation['scope'] });
  }
  return result;
}

function usageError(lang: Language, message: string): number {
  process.stderr.write(`dso check : ${message}\n${usage[lang]}`.replace('dso check : ', lang === 'fr' ? 'dso check : ' : 'dso check: '));
  return 2;
}

function ioError(message: string): number {
  process.stderr.write(`dso check: ${message}\n`);
  return 2;
}
