// The migrated PGlite template: a data folder right after initdb and our migrations, as a tar file cached on
// disk per PGlite version and migration set (node_modules/.cache/dso-pi, or DSO_PGLITE_TEMPLATE_DIR).
// Starting from it skips initdb (seconds of CPU and ~900 MB of peak memory) for new data folders and tests.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { openPgliteClient, pgliteSharedBuffers } from './pglite.ts';
import { applyMigrations, migrationsFolder } from './migrate.ts';

let templateFile: Promise<string> | undefined;
let templateBlob: Promise<Blob> | undefined;

/** The package's own cache folder, where the template lives unless DSO_PGLITE_TEMPLATE_DIR says otherwise. */
export const packageTemplateDir = fileURLToPath(new URL('../../node_modules/.cache/dso-pi', import.meta.url));

/**
 * Path of the template for the current migrations in `dir`; built once (in memory, by a throwaway instance) if
 * missing. The first folder asked for is the one kept for the process's life.
 */
export function pgliteTemplateFile(dir: string = packageTemplateDir): Promise<string> {
  templateFile ??= (async () => {
    const file = path.join(dir, `pglite-template-${templateFingerprint()}.tar`);
    if (fs.existsSync(file)) return file;
    const fresh = await openPgliteClient({});
    let bytes: Buffer;
    try {
      await applyMigrations(fresh);
      const client = (fresh.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
      bytes = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
    } finally {
      await fresh.close();
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file); // atomic: concurrent processes never read half a template
    for (const old of fs.readdirSync(path.dirname(file))) {
      if (old.startsWith('pglite-template-') && old.endsWith('.tar') && old !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), old), { force: true });
    }
    return file;
  })().catch((error: unknown) => {
    templateFile = undefined;
    throw error;
  });
  return templateFile;
}

/** The template as a Blob for PGlite's loadDataDir (in-memory test databases); kept for the process's life. */
export function pgliteTemplate(dir?: string): Promise<Blob> {
  templateBlob ??= pgliteTemplateFile(dir).then((file) => new Blob([fs.readFileSync(file)]));
  return templateBlob;
}

function templateFingerprint(): string {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  const pgliteEntry = require.resolve('@electric-sql/pglite');
  const pkg = path.join(pgliteEntry.slice(0, pgliteEntry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  hash.update(JSON.parse(fs.readFileSync(pkg, 'utf8')).version as string);
  hash.update(pgliteSharedBuffers);
  for (const name of fs.readdirSync(migrationsFolder).sort()) {
    const full = path.join(migrationsFolder, name);
    if (fs.statSync(full).isFile()) hash.update(name).update(fs.readFileSync(full));
  }
  hash.update(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json')));
  return hash.digest('hex').slice(0, 16);
}

/** Unpacks PGlite's dump (plain ustar: regular files and directories, short names) into `target`. */
export function extractTar(archive: Buffer, target: string): void {
  const root = path.resolve(target);
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const destination = path.resolve(root, `.${path.posix.normalize(`/${name}`)}`);
    if (destination !== root && !destination.startsWith(`${root}${path.sep}`)) throw new Error(`template entry escapes the data folder: ${name}`);
    const body = offset + 512;
    if (type === '5') fs.mkdirSync(destination, { recursive: true });
    else if (type === '0' || type === '\0') {
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.writeFileSync(destination, archive.subarray(body, body + size), { mode: 0o600 });
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
}
