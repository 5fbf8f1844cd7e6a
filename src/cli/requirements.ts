// `dso requirements`: the CCT catalogue as the platform evaluates it (offline: the catalogue ships with dso).
// `dso requirements diff <from> <to>` shows what changed between two published versions.
import { evidenceLabels } from '../catalogue/evidence.ts';
import { catalogueVersion, currentCatalogue } from '../catalogue/catalogue.ts';
import { diffCatalogues } from '../catalogue/diff.ts';
import type { Assessment, Requirement } from '../catalogue/model.ts';
import { processIo, type Io } from './io.ts';
import { languageFromEnvironment, type Language } from '../checks/format/messages.ts';
import { helpOption, parseCommandLine } from './command-line.ts';

const usage = {
  fr: `Usage : dso requirements [--level P|I] [--catalogue <version>] [--format text|json]
       dso requirements diff <version-avant> <version-après> [--format text|json]
`,
  en: `Usage: dso requirements [--level P|I] [--catalogue <version>] [--format text|json]
       dso requirements diff <from-version> <to-version> [--format text|json]
`,
};

function describeAssessment(a: Assessment, lang: Language): string {
  switch (a.kind) {
    case 'automated':
      return `${lang === 'fr' ? 'automatique' : 'automated'} (${[...a.rules, ...(a.evidence ?? []).map((e) => `${lang === 'fr' ? 'preuve' : 'evidence'} ${evidenceLabels[e][lang]}`)].join(', ')})`;
    case 'observed':
      return `${lang === 'fr' ? 'observée par la plateforme' : 'observed by the platform'} (${evidenceLabels[a.fact][lang]})`;
    case 'attested':
      return `${lang === 'fr' ? 'attestée par' : 'attested by'} ${a.roles.join('/')} (${a.validityDays} ${lang === 'fr' ? 'jours' : 'days'}${a.perEnvironment ? (lang === 'fr' ? ', par environnement' : ', per environment') : ''})`;
    case 'inherited':
      return lang === 'fr' ? 'héritée de la plateforme' : 'inherited from the platform';
  }
}

function line(r: Requirement, lang: Language): string {
  return `${r.id.padEnd(5)} ${r.level}  ${r.title[lang]}\n       ${r.assessments.map((a) => describeAssessment(a, lang)).join(' + ')}`;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const lang = languageFromEnvironment(io.env);
  const parsed = parseCommandLine('dso requirements', args, { level: { type: 'string' }, catalogue: { type: 'string' }, format: { type: 'string', default: 'text' }, ...helpOption }, usage, lang, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.format !== 'text' && values.format !== 'json') {
    io.err(`${lang === 'fr' ? 'Format inconnu' : 'Unknown format'} "${values.format}".\n${usage[lang]}`);
    return 2;
  }
  if (positionals[0] === 'diff') {
    const [from, to] = [catalogueVersion(positionals[1] ?? ''), catalogueVersion(positionals[2] ?? '')];
    if (!from || !to) {
      io.err(`${lang === 'fr' ? 'Version de catalogue inconnue' : 'Unknown catalogue version'}.\n${usage[lang]}`);
      return 2;
    }
    const diff = diffCatalogues(from, to);
    if (values.format === 'json') io.out(`${JSON.stringify(diff, null, 2)}\n`);
    else {
      const out = [`${diff.from} → ${diff.to}`];
      for (const r of diff.added) out.push(`+ ${r.id} ${r.title[lang]}`);
      for (const r of diff.removed) out.push(`- ${r.id} ${r.title[lang]}`);
      for (const c of diff.changed) out.push(`~ ${c.id} (${c.fields.join(', ')})`);
      if (out.length === 1) out.push(lang === 'fr' ? 'Aucune différence.' : 'No difference.');
      io.out(`${out.join('\n')}\n`);
    }
    return 0;
  }
  if (positionals.length > 0) {
    io.err(usage[lang]);
    return 2;
  }
  const catalogue = values.catalogue ? catalogueVersion(values.catalogue) : currentCatalogue;
  if (!catalogue) {
    io.err(`${lang === 'fr' ? 'Version de catalogue inconnue' : 'Unknown catalogue version'} "${values.catalogue}".\n`);
    return 2;
  }
  if (values.level !== undefined && values.level !== 'P' && values.level !== 'I') {
    io.err(`--level: P ${lang === 'fr' ? 'ou' : 'or'} I.\n`);
    return 2;
  }
  const requirements = catalogue.requirements.filter((r) => values.level === undefined || r.level === values.level);
  if (values.format === 'json') io.out(`${JSON.stringify({ version: catalogue.version, publishedAt: catalogue.publishedAt, requirements }, null, 2)}\n`);
  else io.out(`${lang === 'fr' ? 'Catalogue CCT' : 'CCT catalogue'} ${catalogue.version}\n${requirements.map((r) => line(r, lang)).join('\n')}\n`);
  return 0;
}
