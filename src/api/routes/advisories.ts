// /api/v1/advisories: what the dependency checks match against, per ecosystem (records, newest record, source, last
// sync, age, the last sync error). The sync itself runs on the workers' schedule (built in compose.ts), never here.
import { advisoryStatus } from '../schemas/advisories.ts';
import { advisoryEcosystemStatuses } from '../../integrations/advisories/status.ts';
import { authorizeAdmin } from '../authorize.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];

export default async function advisoriesRoutes(app: App, services: Services): Promise<void> {
  const status = () => {
    const { config } = services;
    const sync = services.advisorySync;
    return {
      source: config.advisories.url ?? null,
      cron: config.advisories.url ? config.advisories.cron : null,
      nextSyncAt: sync?.nextSyncAt() ?? null,
      syncing: sync?.running() ?? false,
      maxAgeDays: config.conformity.advisoryMaxAgeDays,
      ecosystems: advisoryEcosystemStatuses(config.dataDir, {
        syncedEcosystems: config.advisories.url ? config.advisories.ecosystems : [],
        maxAgeDays: config.conformity.advisoryMaxAgeDays,
        now: services.now(),
      }),
    };
  };

  app.get('/advisories', { schema: { tags, summary: 'Advisory database status per ecosystem (records, source, last sync, age, errors)', response: { 200: advisoryStatus } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    return status();
  });
}
