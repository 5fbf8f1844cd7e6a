// `dso secrets`: a project's secrets through the API (values go in, never come out), and `rotate-key`, run by the
// platform operator next to the database, which re-encrypts every sealed value with a new key in one transaction.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { processIo, resolveProject, runApiCommand, table, UsageError, type Io, type Lang } from './api-client.ts';

export const usage = {
  fr: [
    'usage : dso secrets list --project <slug> [--json]',
    '        dso secrets set --project <slug> <nom> CLÉ=valeur… [--stdin CLÉ] [--env <nom>]… [--json]',
    '        dso secrets show --project <slug> <nom> [--json]      (métadonnées : les valeurs ne sortent jamais)',
    '        dso secrets delete --project <slug> <nom>',
    '        dso secrets rotate-key [--old-key <base64>] [--new-key <base64>]',
    '          (défauts : DSO_ENCRYPTION_KEY_PREVIOUS → DSO_ENCRYPTION_KEY ; console arrêtée en mode embarqué)',
  ].join('\n'),
  en: [
    'usage: dso secrets list --project <slug> [--json]',
    '       dso secrets set --project <slug> <name> KEY=value… [--stdin KEY] [--env <name>]… [--json]',
    '       dso secrets show --project <slug> <name> [--json]      (metadata: values never come out)',
    '       dso secrets delete --project <slug> <name>',
    '       dso secrets rotate-key [--old-key <base64>] [--new-key <base64>]',
    '         (defaults: DSO_ENCRYPTION_KEY_PREVIOUS → DSO_ENCRYPTION_KEY; stop the console first in embedded mode)',
  ].join('\n'),
};

interface SecretMetadata {
  name: string;
  keys: string[];
  environments: string[] | null;
  version: number;
  updatedAt: string;
}

function key(raw: string | undefined, name: string, lang: Lang): Buffer {
  const decoded = raw ? Buffer.from(raw.trim(), 'base64') : Buffer.alloc(0);
  if (decoded.length !== 32) {
    throw new UsageError({ fr: `${name} doit être la clé en base64 de 32 octets (openssl rand -base64 32)`, en: `${name} must be a base64 32-byte key (openssl rand -base64 32)` });
  }
  void lang;
  return decoded;
}

async function rotateKey(args: string[], io: Io, lang: Lang): Promise<number> {
  const { values } = parseArgs({ args, options: { 'old-key': { type: 'string' }, 'new-key': { type: 'string' } }, strict: true });
  const oldKey = key(values['old-key'] ?? io.env.DSO_ENCRYPTION_KEY_PREVIOUS, '--old-key / DSO_ENCRYPTION_KEY_PREVIOUS', lang);
  const newKey = key(values['new-key'] ?? io.env.DSO_ENCRYPTION_KEY, '--new-key / DSO_ENCRYPTION_KEY', lang);
  if (oldKey.equals(newKey)) throw new UsageError({ fr: "l'ancienne et la nouvelle clé sont identiques", en: 'the old and new keys are the same' });
  const { loadConfig } = await import('../config.ts');
  const { openDatabase } = await import('../db/client.ts');
  const { createSecretBox } = await import('../integrations/secrets/secret-box.ts');
  const { rotateEncryptionKey, KeyRotationError } = await import('../integrations/secrets/key-rotation.ts');
  const config = loadConfig({ ...io.env, DSO_ENCRYPTION_KEY: newKey.toString('base64') });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    templateDir: config.pgliteTemplateDir,
  });
  try {
    const report = await rotateEncryptionKey(database.db, createSecretBox(oldKey), createSecretBox(newKey));
    const total = Object.values(report.rotated).reduce((a, b) => a + b, 0);
    io.out(lang === 'fr' ? `${total} valeur(s) rechiffrée(s) avec la nouvelle clé, ${report.alreadyRotated} déjà à jour.\n` : `${total} value(s) re-encrypted with the new key, ${report.alreadyRotated} already up to date.\n`);
    for (const [column, count] of Object.entries(report.rotated)) io.out(`  ${column}: ${count}\n`);
    io.out(lang === 'fr' ? 'Démarrez maintenant la console avec DSO_ENCRYPTION_KEY = la nouvelle clé.\n' : 'Now start the console with DSO_ENCRYPTION_KEY = the new key.\n');
    return 0;
  } catch (error) {
    if (error instanceof KeyRotationError) {
      io.err(`dso: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  if (args[0] === 'rotate-key') {
    const lang: Lang = args.includes('--lang=en') || args.join(' ').includes('--lang en') || io.env.DSO_LANG?.toLowerCase().startsWith('en') ? 'en' : 'fr';
    try {
      return await rotateKey(args.slice(1).filter((a, i, all) => a !== '--lang' && !a.startsWith('--lang=') && all[i - 1] !== '--lang'), io, lang);
    } catch (error) {
      if (error instanceof UsageError) {
        io.err(`dso: ${error.text[lang]}\n`);
        return 2;
      }
      io.err(`dso: ${(error as Error).message}\n`);
      return 1;
    }
  }
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    const { values, positionals } = parseArgs({ args: more, options: { project: { type: 'string' }, stdin: { type: 'string', multiple: true }, env: { type: 'string', multiple: true } }, strict: true, allowPositionals: true });
    if (!values.project || !sub) throw new UsageError(usage);
    const project = await resolveProject(client, values.project);
    const base = `/projects/${project.id}/secrets`;
    if (sub === 'list') {
      const list = await client.request<{ items: SecretMetadata[] }>('GET', base);
      if (options.json) io.out(`${JSON.stringify(list)}\n`);
      else io.out(table(options.lang === 'fr' ? ['NOM', 'CLÉS', 'ENVIRONNEMENTS', 'VERSION'] : ['NAME', 'KEYS', 'ENVIRONMENTS', 'VERSION'], list.items.map((s) => [s.name, s.keys.join(','), s.environments?.join(',') ?? '*', String(s.version)])));
      return 0;
    }
    const [name, ...pairs] = positionals;
    if (!name) throw new UsageError(usage);
    if (sub === 'show') {
      const secret = await client.request<SecretMetadata>('GET', `${base}/${encodeURIComponent(name)}`);
      io.out(options.json ? `${JSON.stringify(secret)}\n` : `${secret.name}: ${secret.keys.join(', ')} (version ${secret.version}, ${secret.environments?.join(', ') ?? '*'})\n`);
      return 0;
    }
    if (sub === 'delete') {
      await client.request('DELETE', `${base}/${encodeURIComponent(name)}`);
      io.out(options.lang === 'fr' ? `Secret « ${name} » supprimé.\n` : `Secret "${name}" deleted.\n`);
      return 0;
    }
    if (sub === 'set') {
      const secretValues: Record<string, string> = {};
      for (const pair of pairs) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new UsageError(usage);
        secretValues[pair.slice(0, at)] = pair.slice(at + 1);
      }
      // A value read from standard input stays out of the shell history and the process list.
      for (const k of values.stdin ?? []) secretValues[k] = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
      if (Object.keys(secretValues).length === 0) throw new UsageError(usage);
      // The client's method list predates PUT; fetch sends it as given.
      const secret = await client.request<SecretMetadata>('PUT' as 'POST', `${base}/${encodeURIComponent(name)}`, { values: secretValues, ...(values.env?.length ? { environments: values.env } : {}) });
      io.out(options.json ? `${JSON.stringify(secret)}\n` : options.lang === 'fr' ? `Secret « ${secret.name} » enregistré (version ${secret.version}, clés ${secret.keys.join(', ')}).\n` : `Secret "${secret.name}" saved (version ${secret.version}, keys ${secret.keys.join(', ')}).\n`);
      return 0;
    }
    throw new UsageError(usage);
  });
}
