// `dso tokens create|list|revoke`: personal access tokens for scripts. The secret is printed once.
import { parseArgs } from 'node:util';
import { processIo, runApiCommand, table, UsageError, type Io } from './api-client.ts';

export const usage = {
  fr: 'usage : dso tokens create --name <nom> [--days 90] [--json]\n        dso tokens list [--json]\n        dso tokens revoke <id>',
  en: 'usage: dso tokens create --name <name> [--days 90] [--json]\n       dso tokens list [--json]\n       dso tokens revoke <id>',
};

interface Token {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, async (client, options, rest) => {
    const [sub, ...more] = rest;
    if (sub === 'create') {
      const { values } = parseArgs({ args: more, options: { name: { type: 'string' }, days: { type: 'string' } }, strict: true });
      const days = Number(values.days ?? '90');
      if (!values.name || !Number.isInteger(days) || days < 1 || days > 366) throw new UsageError(usage);
      const created = await client.request<Token>('POST', '/me/tokens', { name: values.name, expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() });
      if (options.json) io.out(`${JSON.stringify(created)}\n`);
      else
        io.out(
          options.lang === 'fr'
            ? `Jeton « ${created.name} » créé, valable jusqu'au ${created.expiresAt}.\nCopiez-le maintenant, il ne sera plus affiché :\n\n  ${created.token}\n\n`
            : `Token "${created.name}" created, valid until ${created.expiresAt}.\nCopy it now, it will not be shown again:\n\n  ${created.token}\n\n`,
        );
      return 0;
    }
    if (sub === 'list') {
      const page = await client.request<{ items: Token[] }>('GET', '/me/tokens?limit=200');
      if (options.json) io.out(`${JSON.stringify(page)}\n`);
      else io.out(table(options.lang === 'fr' ? ['ID', 'NOM', 'PRÉFIXE', 'EXPIRE', 'RÉVOQUÉ'] : ['ID', 'NAME', 'PREFIX', 'EXPIRES', 'REVOKED'], page.items.map((t) => [t.id, t.name, t.prefix, t.expiresAt, t.revokedAt ?? ''])));
      return 0;
    }
    if (sub === 'revoke' && more.length === 1) {
      await client.request('DELETE', `/me/tokens/${encodeURIComponent(more[0]!)}`);
      if (!options.json) io.out(options.lang === 'fr' ? 'Jeton révoqué.\n' : 'Token revoked.\n');
      return 0;
    }
    throw new UsageError(usage);
  });
}
