// Re-encrypts every sealed value in the database from one key to another, in one transaction: either every
// secret moves to the new key or none does. A value already sealed with the new key is left as is, so an
// interrupted or repeated rotation is harmless. Every sealed column of the schema is listed here.
import { eq, isNotNull } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { notificationWebhooks, projectSecrets, repositories, repositoryChainSettings } from '../../db/schema.ts';
import { SecretBoxError, type SecretBox } from './secret-box.ts';

interface SealedColumn {
  label: string;
  table: PgTable;
  key: AnyPgColumn;
  column: AnyPgColumn;
  field: string;
}

/** Every column holding a secret-box envelope. Add new ones here (the rotation test checks each). */
export const sealedColumns: readonly SealedColumn[] = [
  { label: 'repositories.credentials_encrypted', table: repositories, key: repositories.id, column: repositories.credentialsEncrypted, field: 'credentialsEncrypted' },
  { label: 'repository_chain_settings.webhook_secret_sealed', table: repositoryChainSettings, key: repositoryChainSettings.repositoryId, column: repositoryChainSettings.webhookSecretSealed, field: 'webhookSecretSealed' },
  { label: 'repository_chain_settings.status_token_sealed', table: repositoryChainSettings, key: repositoryChainSettings.repositoryId, column: repositoryChainSettings.statusTokenSealed, field: 'statusTokenSealed' },
  { label: 'notification_webhooks.secret_sealed', table: notificationWebhooks, key: notificationWebhooks.id, column: notificationWebhooks.secretSealed, field: 'secretSealed' },
  { label: 'project_secrets.values_sealed', table: projectSecrets, key: projectSecrets.id, column: projectSecrets.valuesSealed, field: 'valuesSealed' },
];

export interface RotationReport {
  /** Values re-encrypted, per column. */
  rotated: Record<string, number>;
  /** Values that were already sealed with the new key. */
  alreadyRotated: number;
}

export class KeyRotationError extends Error {}

export async function rotateEncryptionKey(db: Db, from: SecretBox, to: SecretBox): Promise<RotationReport> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const report: RotationReport = { rotated: {}, alreadyRotated: 0 };
    for (const sealed of sealedColumns) {
      const rows = (await tx
        .select({ key: sealed.key, value: sealed.column })
        .from(sealed.table)
        .where(isNotNull(sealed.column))) as { key: string; value: string | null }[];
      let count = 0;
      for (const row of rows) {
        if (row.value === null) continue;
        let plaintext: string;
        try {
          plaintext = from.open(row.value);
        } catch (error) {
          if (!(error instanceof SecretBoxError)) throw error;
          try {
            to.open(row.value);
            report.alreadyRotated++;
            continue;
          } catch {
            // Rolls the whole transaction back: nothing is half-rotated.
            throw new KeyRotationError(`A value of ${sealed.label} (${row.key}) opens with neither the old nor the new key; nothing was changed.`);
          }
        }
        await tx.update(sealed.table).set({ [sealed.field]: to.seal(plaintext) }).where(eq(sealed.key, row.key));
        count++;
      }
      report.rotated[sealed.label] = count;
    }
    return report;
  });
}
