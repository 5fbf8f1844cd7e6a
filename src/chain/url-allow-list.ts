// The allow-list of the URL policy as it stands now: DSO_GIT_ALLOWED_HOSTS (the start-up default) plus what platform
// administrators added in the console or the API. Read from the database at each check (cached two seconds, and
// dropped at once in the process that changes it), so a change applies without a restart, on every replica.
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outboundAllowList } from '../db/schema.ts';
import type { Config } from '../config.ts';
import type { RemoteUrlPolicy } from '../integrations/git/remote-url.ts';
import { endpointUrlPolicy, repositoryUrlPolicy } from './remote-access.ts';

const cacheMs = 2_000;
const cache = new WeakMap<object, { at: number; entries: Promise<string[]> }>();

/** Entries added by administrators (not the start-up default). */
export function administeredAllowList(db: Db): Promise<string[]> {
  const known = cache.get(db);
  if (known && Date.now() - known.at < cacheMs) return known.entries;
  const entries = db
    .select({ entry: outboundAllowList.entry })
    .from(outboundAllowList)
    .orderBy(asc(outboundAllowList.entry))
    .then((rows) => rows.map((r) => r.entry));
  cache.set(db, { at: Date.now(), entries });
  entries.catch(() => cache.delete(db));
  return entries;
}

export function forgetAllowList(db: Db): void {
  cache.delete(db);
}

interface PolicyServices {
  config: Config;
  db: Db;
}

export async function currentRepositoryUrlPolicy(services: PolicyServices): Promise<RemoteUrlPolicy> {
  const policy = repositoryUrlPolicy(services.config);
  return { ...policy, allowList: [...(policy.allowList ?? []), ...(await administeredAllowList(services.db))] };
}

export async function currentEndpointUrlPolicy(services: PolicyServices): Promise<RemoteUrlPolicy> {
  const extra = await administeredAllowList(services.db);
  const policy = endpointUrlPolicy({
    ...services.config,
    chain: { ...services.config.chain, gitAllowedHosts: [...services.config.chain.gitAllowedHosts, ...extra] },
  });
  return policy;
}
