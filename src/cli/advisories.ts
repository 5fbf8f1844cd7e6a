// `dso advisories import <dir|zip> [--merge]` and `dso advisories status`: manage the OSV advisory
// database in $DSO_DATA_DIR/advisories, shared by `dso check` and the server.
// Text in French by default, English with DSO_LANG=en.
import path from 'node:path';
import { importAdvisories, type ImportReport } from '../checks/advisories/import.ts';
import { advisoriesDir, openAdvisoryDatabase, type AdvisoryManifest } from '../checks/advisories/store.ts';
import { processIo, type Io } from './io.ts';
import { languageFromEnvironment, type Language } from '../checks/format/messages.ts';

const text = {
  fr: {
    usage: `Usage :
  dso advisories import <dossier|fichier.zip|URL http(s)> [--merge] [--data-dir <dossier>]
      Charge des avis de sécurité OSV (JSON ou YAML, récursivement ; exports zip d'osv.dev par
      écosystème ; avis du Node.js Security WG, convertis) dans <data-dir>/advisories. Chaque
      écosystème trouvé remplace celui déjà stocké, sauf avec --merge.
  dso advisories status [--data-dir <dossier>]
      Montre le contenu de la base d'avis.
  Le dossier de données est DSO_DATA_DIR (par défaut ./data).
`,
    imported: (r: ImportReport, dir: string) =>
      `${r.recordsImported} avis importés depuis ${r.filesRead} fichiers (${r.converted} convertis du format Node.js Security WG) en ${(r.durationMs / 1000).toFixed(1)} s dans ${dir}\n`,
    ecosystem: (eco: string, records: number, packages: number) => `  ${eco} : ${records} avis sur ${packages} paquets`,
    skipped: (n: number) => `${n} ignorés :`,
    nothing: 'dso advisories import : aucun avis OSV trouvé ; la base est inchangée\n',
    progress: (n: number) => `\r${n} fichiers lus…`,
    defaultSet: (dir: string) => `Aucune base importée dans ${dir} : le jeu d'avis par défaut livré avec DSO π est utilisé.\n`,
    stored: (dir: string, updated: string) => `Base d'avis dans ${dir} (mise à jour ${updated}) :\n`,
    from: (source: string, at: string) => `\n    depuis ${source}${at ? ` (${at})` : ''}`,
  },
  en: {
    usage: `Usage:
  dso advisories import <folder|file.zip|http(s) URL> [--merge] [--data-dir <dir>]
      Load OSV records (JSON or YAML, recursively; osv.dev per-ecosystem export zips; Node.js
      Security WG advisories, converted) into <data-dir>/advisories. Each ecosystem found replaces
      the stored one, unless --merge is given.
  dso advisories status [--data-dir <dir>]
      Show what the advisory database holds.
  The data folder is DSO_DATA_DIR (default ./data).
`,
    imported: (r: ImportReport, dir: string) =>
      `${r.recordsImported} advisories imported from ${r.filesRead} files (${r.converted} converted from the Node.js Security WG format) in ${(r.durationMs / 1000).toFixed(1)} s into ${dir}\n`,
    ecosystem: (eco: string, records: number, packages: number) => `  ${eco}: ${records} advisories on ${packages} packages`,
    skipped: (n: number) => `${n} skipped:`,
    nothing: 'dso advisories import: no OSV record found; the database was left unchanged\n',
    progress: (n: number) => `\r${n} files read…`,
    defaultSet: (dir: string) => `No imported database in ${dir}: the default set shipped with DSO π is used.\n`,
    stored: (dir: string, updated: string) => `Advisory database in ${dir} (updated ${updated}):\n`,
    from: (source: string, at: string) => `\n    from ${source}${at ? ` (${at})` : ''}`,
  },
} satisfies Record<Language, unknown>;

function dataDirFrom(args: string[], env: NodeJS.ProcessEnv): string {
  const i = args.indexOf('--data-dir');
  if (i !== -1 && args[i + 1]) return path.resolve(args[i + 1]!);
  return path.resolve(env.DSO_DATA_DIR ?? './data');
}

function ecosystemLines(t: (typeof text)[Language], ecosystems: AdvisoryManifest['ecosystems'], withSources: boolean): string {
  return Object.entries(ecosystems)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([eco, info]) => t.ecosystem(eco, info.records, info.packages) + (withSources ? info.sources.map((s) => t.from(s.source, s.importedAt)).join('') : ''))
    .map((l) => `${l}\n`)
    .join('');
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const t = text[languageFromEnvironment(io.env)];
  const [sub, ...rest] = args;
  if (sub === 'import') {
    const positional = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--data-dir');
    if (positional.length !== 1) {
      io.err(t.usage);
      return 2;
    }
    const dataDir = dataDirFrom(rest, io.env);
    let report: ImportReport;
    try {
      const progress = io === processIo && process.stderr.isTTY ? (n: number) => io.err(t.progress(n)) : undefined;
      report = await importAdvisories(positional[0]!, { dataDir, merge: rest.includes('--merge'), ...(progress ? { onProgress: progress } : {}) });
      if (progress) io.err('\r\x1b[K');
    } catch (e) {
      io.err(`dso advisories import: ${(e as Error).message}\n`);
      return 2;
    }
    const counts = Object.fromEntries(
      Object.entries(report.ecosystems).map(([eco, c]) => [eco, { ...c, sources: [] }]),
    );
    io.out(
      t.imported(report, advisoriesDir(dataDir)) +
        ecosystemLines(t, counts, false) +
        (report.skipped ? `${t.skipped(report.skipped)}\n${report.problems.map((p) => `  ${p}\n`).join('')}${report.skipped > report.problems.length ? '  …\n' : ''}` : ''),
    );
    if (report.recordsImported === 0) {
      io.err(t.nothing);
      return 1;
    }
    return 0;
  }
  if (sub === 'status') {
    const dataDir = dataDirFrom(rest, io.env);
    const db = await openAdvisoryDatabase(dataDir);
    io.out(
      (db.origin === 'default' ? t.defaultSet(advisoriesDir(dataDir)) : t.stored(advisoriesDir(dataDir), db.manifest.updatedAt)) + ecosystemLines(t, db.manifest.ecosystems, true),
    );
    db.close();
    return 0;
  }
  io.out(t.usage);
  return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
}
