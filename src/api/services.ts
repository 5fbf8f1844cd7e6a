// The services every route and worker receives (nothing reaches for a global).
// Owned by the foundation core; fields are filled in by src/api/compose.ts (the composition root).
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';

export interface Services {
  config: Config;
  db: Db;
  logger: Logger;
  /** Current time; tests replace it. */
  now(): Date;
  /** Ask for a (coalesced, asynchronous) reconcile of a project's desired state. Never waits for it. */
  requestReconcile(target: { kind: 'project' | 'environment' | 'repository'; id: string; projectId: string }): Promise<void>;
  /** Symmetric encryption of secrets at rest (AES-256-GCM, key from DSO_ENCRYPTION_KEY). */
  secretBox: { seal(plaintext: string): string; open(sealed: string): string };
}
