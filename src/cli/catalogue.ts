// `dso catalogue list|show|import|publish`: the component catalogue (issue 17). Import sends a packaged chart; a
// folder is packaged first with the same helm the checks use (bundled, or on PATH), so the archive stored is what
// `helm package` makes of it.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { locateRenderer } from '../integrations/renderers/binaries.ts';
import { runRenderer } from '../integrations/renderers/run-renderer.ts';
import { processIo, runApiCommand, table, UsageError, type Io, type Lang } from './api-client.ts';

export const usage = {
  fr: [
    'usage : dso catalogue list [--json]',
    '        dso catalogue show <nom|id> [--json]',
    '        dso catalogue import <dossier|chart.tgz> [--json]',
    '        dso catalogue publish <nom|id> <version> [--exception <pourquoi> --until <AAAA-MM-JJ>] [--json]',
  ].join('\n'),
  en: [
    'usage: dso catalogue list [--json]',
    '       dso catalogue show <name|id> [--json]',
    '       dso catalogue import <folder|chart.tgz> [--json]',
    '       dso catalogue publish <name|id> <version> [--exception <why> --until <YYYY-MM-DD>] [--json]',
  ].join('\n'),
};

interface Version {
  version: string;
  verdict: 'pass' | 'fail' | 'unevaluated';
  blockingFindings: number;
  published: boolean;
  digest: string;
  images: string[];
  findings: {
    ruleId: string;
    severity: string;
    blocking?: boolean;
    message: string;
    text?: { fr: string; en: string };
    location?: { file: string };
  }[];
  exception: { decidedBy: string; justification: string; expiresAt: string; inForce: boolean } | null;
}
interface Item {
  id: string;
  slug: string;
  kind: 'chart' | 'operator';
  title: string;
  titleFr?: string | null;
  description: string;
  descriptionFr?: string | null;
  latestPublished: string | null;
  versions: Version[];
  installs: { cluster: string; operatorVersion: string }[];
}

const verdictText: Record<Version['verdict'], { fr: string; en: string }> = {
  pass: { fr: 'conforme', en: 'pass' },
  fail: { fr: 'non conforme', en: 'fail' },
  unevaluated: { fr: 'non évalué', en: 'not evaluated' },
};
/** The item's title in the reader's language: French when the chart gives one, otherwise the chart's own. */
const titleOf = (item: Item, lang: Lang): string => (lang === 'fr' ? item.titleFr : null) ?? item.title;
const kindText = { chart: { fr: 'chart', en: 'chart' }, operator: { fr: 'service géré', en: 'managed service' } };

/** `helm package` of a folder into a temporary directory; the archive's bytes. */
async function packageFolder(folder: string): Promise<Buffer> {
  const helm = await locateRenderer('helm');
  if ('missing' in helm) throw new UsageError({ fr: `helm est introuvable (${helm.missing}) : importez un chart déjà empaqueté (.tgz).`, en: `helm was not found (${helm.missing}): import a packaged chart (.tgz).` });
  const work = await mkdtemp(path.join(tmpdir(), 'dso-catalogue-package-'));
  try {
    const run = await runRenderer(helm.path, ['package', folder, '--destination', work], { cwd: work, timeoutMs: 60_000, maxOutputBytes: 1024 * 1024, readable: [folder], writable: [work] });
    if (!run.ok) {
      const detail = (run.startError ?? run.stderr).trim().split('\n').filter(Boolean).at(-1) ?? '';
      throw new UsageError({ fr: `helm package a échoué : ${detail}`, en: `helm package failed: ${detail}` });
    }
    const file = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!file) throw new UsageError({ fr: "helm package n'a produit aucune archive.", en: 'helm package produced no archive.' });
    return await readFile(path.join(work, file));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function describeVersion(v: Version, lang: Lang): string {
  const lines = [`${v.version}  ${verdictText[v.verdict][lang]}${v.blockingFindings > 0 ? ` (${v.blockingFindings} ${lang === 'fr' ? 'bloquant(s)' : 'blocking'})` : ''}  ${v.published ? (lang === 'fr' ? 'publiée' : 'published') : lang === 'fr' ? 'non publiée' : 'not published'}`];
  if (v.exception) {
    lines.push(lang === 'fr'
      ? `  exception : ${v.exception.justification} (jusqu'au ${v.exception.expiresAt.slice(0, 10)}${v.exception.inForce ? '' : ', expirée'})`
      : `  exception: ${v.exception.justification} (until ${v.exception.expiresAt.slice(0, 10)}${v.exception.inForce ? '' : ', expired'})`);
  }
  if (v.images.length > 0) lines.push(`  images : ${v.images.join(', ')}`);
  for (const f of v.findings.filter((x) => x.blocking)) lines.push(`  ✗ ${f.ruleId} ${f.location?.file ?? ''} — ${f.text?.[lang] ?? f.message}`);
  return lines.join('\n');
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    const lang = options.lang;
    if (sub === 'list') {
      const list = await client.request<{ items: Item[]; chartRepositoryUrl: string }>('GET', '/catalogue');
      if (options.json) io.out(`${JSON.stringify(list)}\n`);
      else if (list.items.length === 0) io.out(lang === 'fr' ? 'Le catalogue est vide : importez un chart avec « dso catalogue import ».\n' : 'The catalogue is empty: import a chart with "dso catalogue import".\n');
      else {
        // The title comes last: the only free text, its width varies the most.
        const h = lang === 'fr'
          ? ['NOM', 'TYPE', 'DERNIÈRE PUBLIÉE', 'VERSIONS', 'VERDICT (DERNIÈRE)', 'TITRE']
          : ['NAME', 'KIND', 'LATEST PUBLISHED', 'VERSIONS', 'VERDICT (NEWEST)', 'TITLE'];
        const rows = list.items.map((i) => [
          i.slug,
          kindText[i.kind][lang],
          i.latestPublished ?? '—',
          String(i.versions.length),
          i.versions[0] ? verdictText[i.versions[0].verdict][lang] : '—',
          titleOf(i, lang),
        ]);
        io.out(table(h, rows));
      }
      return 0;
    }
    if (sub === 'show') {
      const [ref] = more;
      if (!ref) throw new UsageError(usage);
      const item = await client.request<Item>('GET', `/catalogue/${encodeURIComponent(ref)}`);
      if (options.json) io.out(`${JSON.stringify(item)}\n`);
      else {
        const description = (lang === 'fr' ? item.descriptionFr : null) ?? item.description;
        io.out(`${titleOf(item, lang)} (${item.slug}, ${kindText[item.kind][lang]})\n${description}\n\n`);
        for (const v of item.versions) io.out(`${describeVersion(v, lang)}\n`);
        for (const i of item.installs) io.out(lang === 'fr' ? `installé sur ${i.cluster} : ${i.operatorVersion}\n` : `installed on ${i.cluster}: ${i.operatorVersion}\n`);
      }
      return 0;
    }
    if (sub === 'import') {
      const [target] = more;
      if (!target) throw new UsageError(usage);
      const info = await stat(target).catch(() => undefined);
      if (!info) throw new UsageError({ fr: `${target} : introuvable.`, en: `${target}: not found.` });
      const archive = info.isDirectory() ? await packageFolder(path.resolve(target)) : await readFile(target);
      const result = await client.request<{ item: Item; version: string; created: boolean }>('POST', '/catalogue', archive);
      if (options.json) io.out(`${JSON.stringify(result)}\n`);
      else {
        const v = result.item.versions.find((x) => x.version === result.version)!;
        io.out(lang === 'fr'
          ? `${result.item.slug} ${result.version} ${result.created ? 'importé' : 'déjà présent (même contenu)'}.\n${describeVersion(v, lang)}\n`
          : `${result.item.slug} ${result.version} ${result.created ? 'imported' : 'already there (same content)'}.\n${describeVersion(v, lang)}\n`);
      }
      return 0;
    }
    if (sub === 'publish') {
      const { values, positionals } = parseArgs({ args: more, options: { exception: { type: 'string' }, until: { type: 'string' } }, allowPositionals: true, strict: true });
      const [ref, version] = positionals;
      if (!ref || !version || (values.exception === undefined) !== (values.until === undefined))
        throw new UsageError(usage);
      let exception: { justification: string; expiresAt: string } | undefined;
      if (values.exception !== undefined) {
        const until = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.until!) ? `${values.until}T23:59:59Z` : values.until!);
        if (Number.isNaN(until.getTime())) throw new UsageError({ fr: '--until attend une date (AAAA-MM-JJ).', en: '--until expects a date (YYYY-MM-DD).' });
        exception = { justification: values.exception, expiresAt: until.toISOString() };
      }
      const item = await client.request<Item>('POST', `/catalogue/${encodeURIComponent(ref)}/versions/${encodeURIComponent(version)}/publish`, exception ? { exception } : {});
      if (options.json) io.out(`${JSON.stringify(item)}\n`);
      else io.out(`${lang === 'fr' ? 'Publiée' : 'Published'}: ${describeVersion(item.versions.find((v) => v.version === version)!, lang)}\n`);
      return 0;
    }
    throw new UsageError(usage);
  });
}
