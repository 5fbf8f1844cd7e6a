// `dso advisories import <dir|zip> [--merge]` and `dso advisories status`: manage the OSV advisory
// database in $DSO_DATA_DIR/advisories, shared by `dso check` and the server.
import path from 'node:path';
import { importAdvisories } from '../checks/advisories/import.ts';
import { advisoriesDir, openAdvisoryDatabase } from '../checks/advisories/store.ts';

const usage = `Usage:
  dso advisories import <folder|file.zip> [--merge] [--data-dir <dir>]
      Load OSV records (JSON or YAML, recursively; osv.dev per-ecosystem export zips; Node.js
      Security WG advisories, converted) into <data-dir>/advisories. Each ecosystem found replaces
      the stored one, unless --merge is given.
  dso advisories status [--data-dir <dir>]
      Show what the advisory database holds.
  The data folder is DSO_DATA_DIR (default ./data).
`;

function dataDirFrom(args: string[]): string {
  const i = args.indexOf('--data-dir');
  if (i !== -1 && args[i + 1]) return path.resolve(args[i + 1]!);
  return path.resolve(process.env.DSO_DATA_DIR ?? './data');
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') {
    const positional = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--data-dir');
    if (positional.length !== 1) {
      process.stderr.write(usage);
      return 2;
    }
    const dataDir = dataDirFrom(rest);
    let report;
    try {
      const progress = process.stderr.isTTY ? (n: number) => process.stderr.write(`\r${n} files read…`) : undefined;
      report = await importAdvisories(positional[0]!, { dataDir, merge: rest.includes('--merge'), ...(progress ? { onProgress: progress } : {}) });
      if (progress) process.stderr.write('\r\x1b[K');
    } catch (e) {
      process.stderr.write(`dso advisories import: ${(e as Error).message}\n`);
      return 2;
    }
    const ecosystems = Object.entries(report.ecosystems).map(([eco, c]) => `  ${eco}: ${c.records} advisories on ${c.packages} packages`);
    process.stdout.write(
      `${report.recordsImported} advisories imported from ${report.filesRead} files (${report.converted} converted from the Node.js Security WG format) in ${(report.durationMs / 1000).toFixed(1)} s into ${advisoriesDir(dataDir)}\n` +
        (ecosystems.length ? `${ecosystems.join('\n')}\n` : '') +
        (report.skipped ? `${report.skipped} skipped:\n${report.problems.map((p) => `  ${p}`).join('\n')}${report.skipped > report.problems.length ? '\n  …' : ''}\n` : ''),
    );
    if (report.recordsImported === 0) {
      process.stderr.write('dso advisories import: no OSV record found; the database was left unchanged\n');
      return 1;
    }
    return 0;
  }
  if (sub === 'status') {
    const dataDir = dataDirFrom(rest);
    const db = await openAdvisoryDatabase(dataDir);
    process.stdout.write(db.origin === 'default' ? `No imported database in ${advisoriesDir(dataDir)}: the default set shipped with DSO π is used.\n` : `Advisory database in ${advisoriesDir(dataDir)} (updated ${db.manifest.updatedAt}):\n`);
    for (const [eco, info] of Object.entries(db.manifest.ecosystems).sort()) {
      process.stdout.write(`  ${eco}: ${info.records} advisories on ${info.packages} packages${info.sources.map((s) => `\n    from ${s.source}${s.importedAt ? ` (${s.importedAt})` : ''}`).join('')}\n`);
    }
    db.close();
    return 0;
  }
  process.stdout.write(usage);
  return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
}
