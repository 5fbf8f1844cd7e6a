// Demo accounts of the built-in identity provider: created at the first start with random passwords, which are
// shown once (the caller prints them) and stored only as scrypt hashes.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { builtinAccounts } from '../../db/schema.ts';
import { hashPassword, maxPasswordLength, verifyPassword } from './passwords.ts';
import { randomPassword } from './passwords.ts';

export interface DemoAccount {
  username: string;
  displayName: string;
  email: string;
  groups: string[];
  description: { fr: string; en: string };
}

/** Groups the built-in provider puts in tokens; mapped to admin roles unless DSO_OIDC_ADMIN_GROUPS says otherwise. */
export const builtinAdminGroups: Record<string, string[]> = {
  'platform-admin': ['dso-admins'],
  'security-officer': ['dso-rssi'],
};

export const demoAccounts: readonly DemoAccount[] = [
  { username: 'admin', displayName: 'Administratrice Plateforme', email: 'admin@dso.localhost', groups: ['dso-admins'], description: { fr: 'administration de la plateforme', en: 'platform administrator' } },
  { username: 'rssi', displayName: 'Responsable Sécurité', email: 'rssi@dso.localhost', groups: ['dso-rssi'], description: { fr: 'responsable de la sécurité (RSSI)', en: 'security officer' } },
  { username: 'owner', displayName: 'Propriétaire Projet', email: 'owner@dso.localhost', groups: [], description: { fr: 'propriétaire de projet', en: 'project owner' } },
  { username: 'dev', displayName: 'Développeur', email: 'dev@dso.localhost', groups: [], description: { fr: 'développeur', en: 'developer' } },
];

/** Creates the missing demo accounts; returns the clear-text passwords of those just created (to print once). */
export async function seedDemoAccounts(db: Db): Promise<{ account: DemoAccount; password: string }[]> {
  const existing = new Set(
    (await db.select({ username: builtinAccounts.username }).from(builtinAccounts)).map((a) => a.username),
  );
  // scrypt runs on the libuv thread pool: hash the missing accounts in parallel.
  const missing = await Promise.all(
    demoAccounts
      .filter((account) => !existing.has(account.username))
      .map(async (account) => {
        const password = randomPassword();
        return { account, password, passwordHash: await hashPassword(password) };
      }),
  );
  const created: { account: DemoAccount; password: string }[] = [];
  for (const { account, password, passwordHash } of missing) {
    const inserted = await db
      .insert(builtinAccounts)
      .values({
        username: account.username,
        passwordHash,
        email: account.email,
        displayName: account.displayName,
        groups: account.groups,
      })
      .onConflictDoNothing()
      .returning({ username: builtinAccounts.username });
    if (inserted.length > 0) created.push({ account, password });
  }
  return created;
}

export type BuiltinAccount = typeof builtinAccounts.$inferSelect;

export async function findBuiltinAccount(db: Db, username: string): Promise<BuiltinAccount | undefined> {
  if (username.length > 100) return undefined;
  const [account] = await db.select().from(builtinAccounts).where(eq(builtinAccounts.username, username)).limit(1);
  return account;
}

// A real hash to compare against when the user does not exist, so both cases take the same time.
let decoyHash: Promise<string> | undefined;

export async function authenticateBuiltin(
  db: Db,
  username: string,
  password: string,
): Promise<BuiltinAccount | undefined> {
  if (password.length > maxPasswordLength) return undefined;
  const account = await findBuiltinAccount(db, username.trim().toLowerCase());
  decoyHash ??= hashPassword(randomPassword());
  const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash));
  return account && ok ? account : undefined;
}

export function formatDemoPasswords(created: { account: DemoAccount; password: string }[], loginUrl: string): string {
  const lines = [
    '',
    '================ DSO π — comptes de démonstration / demo accounts ================',
    'Mots de passe affichés une seule fois / passwords shown only once:',
    ...created.map(({ account, password }) => `  ${account.username.padEnd(6)} ${password}   (${account.description.fr} / ${account.description.en})`),
    `Connexion / login: ${loginUrl}`,
    '==================================================================================',
    '',
  ];
  return lines.join('\n');
}
