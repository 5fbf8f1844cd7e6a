// `dso projects list|create`: the projects you can see, and self-service creation.
import { parseArgs } from 'node:util';
import { processIo, runApiCommand, table, UsageError, type Io } from './api-client.ts';
import { printFailures, provisioningWords, say } from './status-words.ts';

export const usage = {
  fr: 'usage : dso projects list [--q texte] [--archived] [--limit n] [--json]\n        dso projects create <slug> --name <nom> [--description texte] [--sensitivity public|internal|sensitive|restricted] [--json]',
  en: 'usage: dso projects list [--q text] [--archived] [--limit n] [--json]\n       dso projects create <slug> --name <name> [--description text] [--sensitivity public|internal|sensitive|restricted] [--json]',
};

interface Project {
  id: string;
  slug: string;
  name: string;
  status: string;
  conditions?: { type: string; status: string; message: string }[];
  dataSensitivity: string;
  archived: boolean;
  locked: boolean;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    if (sub === 'list') {
      const { values } = parseArgs({ args: more, options: { q: { type: 'string' }, archived: { type: 'boolean' }, limit: { type: 'string' } }, strict: true });
      const query = new URLSearchParams({ limit: values.limit ?? '200', archived: values.archived ? 'true' : 'false', ...(values.q ? { q: values.q } : {}) });
      const page = await client.request<{ items: Project[]; nextCursor: string | null }>('GET', `/projects?${query}`);
      if (options.json) io.out(`${JSON.stringify(page)}\n`);
      else if (page.items.length === 0) io.out(options.lang === 'fr' ? 'Aucun projet.\n' : 'No projects.\n');
      else {
        const h = options.lang === 'fr' ? ['SLUG', 'NOM', 'ÉTAT', 'SENSIBILITÉ', 'ID'] : ['SLUG', 'NAME', 'STATUS', 'SENSITIVITY', 'ID'];
        io.out(table(h, page.items.map((p) => [p.slug, p.name, `${say(provisioningWords, p.status, options.lang)}${p.locked ? (options.lang === 'fr' ? ' (verrouillé)' : ' (locked)') : ''}`, p.dataSensitivity, p.id])));
        printFailures(io, page.items.map((p) => ({ ...p, name: p.slug })), options.lang);
        if (page.nextCursor) io.out(options.lang === 'fr' ? '… (liste tronquée : affinez avec --q)\n' : '… (list truncated: narrow it with --q)\n');
      }
      return 0;
    }
    if (sub === 'create') {
      const { values, positionals } = parseArgs({ args: more, options: { name: { type: 'string' }, description: { type: 'string' }, sensitivity: { type: 'string' } }, allowPositionals: true, strict: true });
      const slug = positionals[0];
      if (!slug || positionals.length > 1) throw new UsageError(usage);
      const created = await client.request<Project>('POST', '/projects', {
        slug,
        name: values.name ?? slug,
        ...(values.description !== undefined ? { description: values.description } : {}),
        ...(values.sensitivity !== undefined ? { dataSensitivity: values.sensitivity } : {}),
      });
      if (options.json) io.out(`${JSON.stringify(created)}\n`);
      else io.out(options.lang === 'fr' ? `Projet « ${created.slug} » créé (${created.id}), provisionnement en cours.\n` : `Project "${created.slug}" created (${created.id}), provisioning in progress.\n`);
      return 0;
    }
    throw new UsageError(usage);
  });
}
