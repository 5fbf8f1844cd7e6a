// /api/v1/admin/url-allow-list: the hosts, addresses and CIDR ranges outbound URLs (repositories, webhooks, commit
// statuses) may reach although the URL policy refuses them (an internal forge on a link-local network, a test
// receiver on loopback). DSO_GIT_ALLOWED_HOSTS stays the start-up default, shown but not editable here; platform
// administrators replace the rest (audited), and every check uses it from then on, without a restart; the
// repositories the change affects are checked again at once (src/reconcile/requeue-allow-list.ts).
import { outboundAllowList } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { administeredAllowList, forgetAllowList } from '../../chain/url-allow-list.ts';
import { requeueProjectsAffectedByAllowList } from '../../reconcile/requeue-allow-list.ts';
import { authorizeAdmin } from '../authorize.ts';
import { allowList, allowListUpdate } from '../schemas/url-allow-list.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];

export default async function adminUrlAllowListRoutes(app: App, services: Services): Promise<void> {
  const current = async () => ({ entries: await administeredAllowList(services.db), startupDefault: services.config.chain.gitAllowedHosts });

  app.get('/admin/url-allow-list', { schema: { tags, summary: 'Hosts and ranges outbound URLs may reach although the URL policy refuses them', response: { 200: allowList } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    forgetAllowList(services.db);
    return current();
  });

  app.put('/admin/url-allow-list', { schema: { tags, summary: 'Replace the administered entries (audited; applies at once, without a restart; the repositories it affects are checked again)', body: allowListUpdate, response: { 200: allowList } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const wanted = [...new Set(request.body.entries.map((e) => e.toLowerCase()))].sort();
    const before = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const before = (await tx.select({ entry: outboundAllowList.entry }).from(outboundAllowList).for('update')).map((r) => r.entry).sort();
      await tx.delete(outboundAllowList);
      if (wanted.length > 0) await tx.insert(outboundAllowList).values(wanted.map((e) => ({ entry: e, createdBy: actor.kind === 'user' ? actor.userId : null })));
      await audit({ action: 'url-allow-list.update', targetType: 'url-allow-list', targetId: null, before: { entries: before }, after: { entries: wanted } });
      return before;
    });
    forgetAllowList(services.db);
    // What the change allows anew or stops allowing is checked again now, not at the next edit or restart.
    const requeued = await requeueProjectsAffectedByAllowList(services, before, wanted);
    if (requeued.length > 0) request.log.info({ projects: requeued.length }, 'projects affected by the allow-list change queued');
    return current();
  });
}
