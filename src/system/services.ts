// The services every route and worker receives (nothing reaches for a global).
// Owned by the foundation core; fields are filled in by src/api/compose.ts (the composition root).
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { ChainRuntime } from '../chain/runtime.ts';
import type { Metrics } from './metrics.ts';

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
  /** Prometheus metrics of this instance (/metrics). */
  metrics: Metrics;
  /** The secondary chain's queue: trigger runs, wake the executor. */
  chain: ChainRuntime;
  /** Readiness of the dependencies (/readyz): database, queue… Each check says ok or why not. */
  readiness(): Promise<ReadinessCheck[]>;
  /** Login with the configured OIDC provider (built-in or external); undefined when identity is not wired (unit
   * tests). */
  identity?: import('../integrations/identity/relying-party.ts').RelyingParty | undefined;
  /** The advisory sync of this worker process (DSO_ADVISORIES_URL); undefined when not configured or no workers. */
  advisorySync?: import('../integrations/advisories/sync-schedule.ts').AdvisorySync | undefined;
  /** Where the platform's git repositories are kept durably (the database for replicas without a shared disk). */
  gitReplication?: import('../integrations/git/replication.ts').GitReplication | undefined;
}

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}
