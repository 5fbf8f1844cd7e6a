// Key rotation: every sealed value of the database moves from the old key to the new one in one transaction;
// running it again changes nothing; a value that opens with neither key stops it with nothing changed.
import { randomBytes } from 'node:crypto';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { expect, it } from 'vitest';
import * as schema from '../src/db/schema.ts';
import { notificationWebhooks, projectSecrets, projects, repositories, repositoryChainSettings, users } from '../src/db/schema.ts';
import { KeyRotationError, rotateEncryptionKey, sealedColumns } from '../src/integrations/secrets/key-rotation.ts';
import { openProjectSecret, putProjectSecret } from '../src/integrations/secrets/project-secrets.ts';
import { createSecretBox } from '../src/integrations/secrets/secret-box.ts';
import { describeOnDatabases } from './support/db.ts';

it('knows every sealed column of the schema', () => {
  const listed = new Set(sealedColumns.map((c) => c.label));
  const found: string[] = [];
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    for (const column of Object.values(getTableColumns(value))) {
      if (/(sealed|encrypted)$/.test(column.name)) found.push(`${getTableName(value)}.${column.name}`);
    }
  }
  expect(found.filter((c) => !listed.has(c))).toEqual([]);
});

describeOnDatabases('encryption key rotation', (ctx) => {
  const oldBox = createSecretBox(randomBytes(32));
  const newBox = createSecretBox(randomBytes(32));

  it('re-encrypts secrets, repository credentials and webhook secrets; a second run changes nothing', async () => {
    const db = ctx.db;
    const [owner] = await db.insert(users).values({ displayName: 'Owner' }).returning();
    const [project] = await db.insert(projects).values({ slug: 'rotation', name: 'rotation', ownerId: owner!.id }).returning();
    const [repo] = await db.insert(repositories).values({ projectId: project!.id, name: 'app', externalUrl: 'https://git.example/a.git', credentialsEncrypted: oldBox.seal('{"token":"repo-token"}') }).returning();
    await db.insert(repositoryChainSettings).values({ repositoryId: repo!.id, webhookSecretSealed: oldBox.seal('hook-secret'), statusTokenSealed: oldBox.seal('status-token') });
    await db.insert(notificationWebhooks).values({ projectId: project!.id, url: 'https://hooks.example/x', secretSealed: oldBox.seal('notify-secret') });
    await putProjectSecret(db, oldBox, project!.id, 'database', { values: { password: 'pw-1' } }, null, new Date());

    const report = await rotateEncryptionKey(db, oldBox, newBox);
    expect(Object.values(report.rotated).reduce((a, b) => a + b, 0)).toBe(5);

    const [r] = await db.select().from(repositories);
    expect(newBox.open(r!.credentialsEncrypted!)).toBe('{"token":"repo-token"}');
    expect(() => oldBox.open(r!.credentialsEncrypted!)).toThrow();
    const [settings] = await db.select().from(repositoryChainSettings);
    expect([newBox.open(settings!.webhookSecretSealed!), newBox.open(settings!.statusTokenSealed!)]).toEqual(['hook-secret', 'status-token']);
    const [hook] = await db.select().from(notificationWebhooks);
    expect(newBox.open(hook!.secretSealed)).toBe('notify-secret');
    const [secret] = await db.select().from(projectSecrets);
    expect(openProjectSecret(newBox, secret!)).toEqual({ password: 'pw-1' });

    const again = await rotateEncryptionKey(db, oldBox, newBox);
    expect(Object.values(again.rotated).reduce((a, b) => a + b, 0)).toBe(0);
    expect(again.alreadyRotated).toBe(5);
  });

  it('stops with nothing changed when a value opens with neither key', async () => {
    const db = ctx.db;
    const [project] = await db.select().from(projects).limit(1);
    const stranger = createSecretBox(randomBytes(32));
    await putProjectSecret(db, stranger, project!.id, 'foreign', { values: { k: 'v' } }, null, new Date());
    const third = createSecretBox(randomBytes(32));
    const before = await db.select().from(repositories);
    await expect(rotateEncryptionKey(db, newBox, third)).rejects.toThrow(KeyRotationError);
    const after = await db.select().from(repositories);
    expect(after[0]!.credentialsEncrypted).toBe(before[0]!.credentialsEncrypted);
    expect(newBox.open(after[0]!.credentialsEncrypted!)).toBe('{"token":"repo-token"}');
  });
});
