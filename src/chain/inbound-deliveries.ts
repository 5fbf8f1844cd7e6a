// Replay protection for forge webhooks, in the database so that every replica refuses a delivery any of them
// already accepted. Ids are kept for a day, then forgotten.
import { lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { inboundWebhookDeliveries } from '../db/schema.ts';
import type { DeliveryLog } from '../integrations/webhooks/delivery-log.ts';

const ttlMs = 24 * 60 * 60 * 1000;

export function databaseDeliveryLog(db: Db): DeliveryLog {
  return {
    async remember(id, now = new Date()) {
      await db.delete(inboundWebhookDeliveries).where(lt(inboundWebhookDeliveries.expiresAt, now));
      const inserted = await db
        .insert(inboundWebhookDeliveries)
        .values({ id: id.slice(0, 300), expiresAt: new Date(now.getTime() + ttlMs) })
        .onConflictDoNothing()
        .returning({ id: inboundWebhookDeliveries.id });
      return inserted.length > 0 ? 'new' : 'seen';
    },
  };
}
