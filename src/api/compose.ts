// The composition root: the whole system in one place, built in this order: configuration → database →
// application context → queues with the reconcile steps (an explicit ordered list) → chain runtime → identity →
// HTTP server → workers, sweepers and schedules (chain, conformity sweep, advisory sync). Workers start last, once
// everything they call exists, so a job left by a previous process is handled by the real steps. Everything else
// receives what it needs from here (no globals, no background work started by a route module).
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { createSecretBox, loadOrCreateKey } from '../integrations/secrets/secret-box.ts';
import { builtinIdTokenAlg, createBuiltinProvider, loadProvider } from '../integrations/identity/builtin-provider.ts';
import { seedDemoAccounts, type DemoAccount } from '../integrations/identity/builtin-accounts.ts';
import { createRelyingParty } from '../integrations/identity/relying-party.ts';
import { databaseGitReplication, localGitReplication } from '../integrations/git/replication.ts';
import { createReconcileQueue, type ReconcileQueue } from '../reconcile/queue.ts';
import { requeueFailedProjects } from '../reconcile/requeue-failed.ts';
import type { ReconcileSteps } from '../reconcile/steps.ts';
import { reconcileMirrors } from '../chain/mirror-reconcile.ts';
import { createChainRuntime } from '../chain/runtime.ts';
import { executeRun } from '../chain/executor.ts';
import { initialiseGitopsRepository, reconcileGitops, removeProjectFromGitops } from '../deploy/gitops-reconcile.ts';
import { startConformitySweeper } from '../homologation/recompute.ts';
import { seedDefaultCatalogue } from '../component-catalogue/default-catalogue.ts';
import { recordUpgradeProposals, upgradeProposedAudit } from '../component-catalogue/instances/store.ts';
import { inAuditedTransaction } from '../audit/record.ts';
import { startSourceScheduler } from '../component-catalogue/sources.ts';
import { startAdvisorySync } from '../integrations/advisories/sync-schedule.ts';
import { createLogger } from './plugins/logging.ts';
import { createMetrics } from '../system/metrics.ts';
import { buildServer, type App, type ServerOptions } from './server.ts';
import type { ReadinessCheck, Services } from '../system/services.ts';

export interface System {
  services: Services;
  database: Database;
  queue: ReconcileQueue;
  /** The steps the reconcile queue runs, in order (tests run a reconcile directly with them). */
  reconcileSteps: ReconcileSteps;
  app: App;
  /** Demo accounts created by this start (built-in provider, first start only): print them once. */
  demoPasswords: { account: DemoAccount; password: string }[];
  startupPhases: Record<string, number>;
  /** Listen on config.host:config.port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: refuse new requests, finish in-flight ones and jobs, close the database. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface ComposeOptions {
  logger?: Logger;
  /** An already opened (or opening) database; otherwise opened from the configuration. */
  database?: Database | Promise<Database>;
  /** Whether stop() closes the database (default: only when composeSystem opened it). */
  ownsDatabase?: boolean;
  now?: () => Date;
  /** Create the built-in provider's demo accounts (default true; route tests skip the password hashing). */
  seedDemoAccounts?: boolean;
  /** Mount the built-in provider when configured (default true; route tests that log in with tokens skip it). */
  builtinIdentity?: boolean;
  /** Change the reconcile steps (tests add a probe); receives the product's list. */
  reconcileSteps?: (steps: ReconcileSteps) => ReconcileSteps;
}

/** The reconciler's steps, in order: repository mirrors, then the GitOps repository. */
export const productReconcileSteps: ReconcileSteps = {
  converge: [
    { name: 'chain-mirrors', run: reconcileMirrors },
    { name: 'gitops', run: reconcileGitops },
  ],
  removal: [{ name: 'gitops', run: removeProjectFromGitops }],
};

export async function composeSystem(config: Config, options: ComposeOptions = {}): Promise<System> {
  const logger = options.logger ?? createLogger(config);
  // Milliseconds per start-up phase: logged at start, they tell operators where a slow start goes.
  const startupPhases: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    startupPhases[name] = Math.round(t - phaseStart);
    phaseStart = t;
  };
  const wantsBuiltinProvider = config.oidc.kind === 'builtin' && options.builtinIdentity !== false;
  if (wantsBuiltinProvider) void loadProvider().catch(() => {}); // overlaps with opening the database
  const database = await (options.database ??
    openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, templateDir: config.pgliteTemplateDir }));
  phase('database');
  const ownsDatabase = options.ownsDatabase ?? !options.database;
  // Default roles, stages, a first zone and cluster, the first usage policy: idempotent, every start.
  await seedReferenceData(database.db);
  phase('referenceData');
  const metrics = createMetrics({ queueDepth: async () => ({ 'reconcile-project': await reconcileQueue.depth() }) });
  const secretBox = createSecretBox(loadOrCreateKey(config.encryptionKey, config.dataDir));

  const reconcileSteps = options.reconcileSteps ? options.reconcileSteps(productReconcileSteps) : productReconcileSteps;
  const reconcileQueue = createReconcileQueue(database, () => context, reconcileSteps);
  const chain = createChainRuntime({
    db: database.db,
    config,
    logger,
    execute: (runId, execution) => executeRun(context, runId, execution),
  });

  const readinessChecks: (() => Promise<ReadinessCheck>)[] = [
    async () => {
      try {
        await database.db.execute(sql`select 1`);
        return { name: 'database', ok: true };
      } catch (error) {
        return { name: 'database', ok: false, detail: (error as Error).message.slice(0, 200) };
      }
    },
    async () => ({ name: 'queue', ...(await reconcileQueue.check()) }),
    async () => ({ name: 'chain-queue', ...(await chain.check()) }),
  ];

  const context: Services = {
    config,
    db: database.db,
    logger,
    now: options.now ?? (() => new Date()),
    requestReconcile: (target) => reconcileQueue.request(target.projectId),
    secretBox,
    metrics,
    chain,
    readiness: () => Promise.all(readinessChecks.map((check) => check())),
    // Replicas with their own disks rebuild mirrors and the GitOps repository from the database.
    gitReplication: config.gitReplication === 'database' && database.withLock ? databaseGitReplication(database.db, database.withLock.bind(database)) : localGitReplication,
  };
  if (config.gitReplication === 'database' && !database.withLock) logger.warn('DSO_GIT_REPLICATION=database needs PostgreSQL (DATABASE_URL): the data folder stays the only copy of git repositories');

  // The queues install their schema while the server is built (PGlite serialises, PostgreSQL overlaps); one after
  // the other, as both migrate the same pg-boss schema.
  const queuesInstalled = reconcileQueue.install().then(() => chain.install());
  const serverOptions: ServerOptions = { mounts: [] };
  let demoSeeding: Promise<System['demoPasswords']> = Promise.resolve([]);
  let listeningOrigin: string | undefined;
  const redirectUri = `${config.publicUrl}/auth/callback`;
  if (wantsBuiltinProvider) {
    // Hashing the demo passwords overlaps with building the server; awaited below.
    demoSeeding = options.seedDemoAccounts === false ? Promise.resolve([]) : seedDemoAccounts(database.db);
    const provider = await createBuiltinProvider({
      db: database.db,
      publicUrl: config.publicUrl,
      redirectUri,
      postLogoutRedirectUri: `${config.publicUrl}/`,
      ...(config.publicUrlConfigured
        ? {}
        : { followBrowserOrigin: () => [config.port, Number(new URL(listeningOrigin ?? config.publicUrl).port)] }),
    });
    serverOptions.mounts!.push((app) => provider.mount(app));
    context.identity = createRelyingParty({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      scopes: ['openid', 'profile', 'email', 'groups'],
      redirectUri,
      idTokenAlg: builtinIdTokenAlg,
      secretBox,
      internalOrigin: () => listeningOrigin,
      providerFollowsBrowser: true,
      now: context.now,
    });
  } else if (config.oidc.kind === 'external') {
    context.identity = createRelyingParty({ ...config.oidc, redirectUri, secretBox, now: context.now });
  }
  phase('identity');
  const app = await buildServer(context, serverOptions);
  phase('server');
  await queuesInstalled;
  phase('queue');
  // Everything the workers call exists now: start them, the sweepers and the schedules (worker processes only).
  let conformitySweeper: { stop(): Promise<void> } | undefined;
  let catalogueSources: { stop(): Promise<void> } | undefined;
  let catalogueStopped = false;
  if (config.workers) {
    // Each worker process keeps its own advisory store (data folder) current from the OSV mirror, on schedule.
    if (config.advisories.url) {
      context.advisorySync = startAdvisorySync({
        dataDir: config.dataDir,
        url: config.advisories.url,
        cron: config.advisories.cron,
        ecosystems: config.advisories.ecosystems,
        logger,
        now: context.now,
      });
    }
    await reconcileQueue.startWorkers(config.reconcileConcurrency);
    await chain.startWorkers();
    conformitySweeper = startConformitySweeper({ db: database.db, now: context.now, policy: config.conformity, onError: (error) => logger.warn({ err: error }, 'conformity sweep failed') });
    // Failed projects are retried with this start's configuration (an allow-list changed since, a forge back up).
    void requeueFailedProjects(context).catch((error: unknown) => logger.warn({ err: error }, 'requeue of failed projects failed'));
    // The GitOps repository exists from the first start, with each cluster's root application for ArgoCD.
    void initialiseGitopsRepository(context, context.now()).catch((error: unknown) => logger.warn({ err: error }, 'GitOps repository initialisation failed'));
    // The component catalogue shipped with the product (checked and published on first start), then the schedule
    // pulling new chart versions from the sources administrators declared.
    void (
      config.catalogueDefault
        ? seedDefaultCatalogue(database.db, context.now)
        : Promise.resolve({ imported: [], failed: [], stale: [], published: [] })
    )
      .then(async ({ imported, failed, stale, published }) => {
        if (imported.length > 0) logger.info({ imported }, 'default component catalogue seeded');
        if (failed.length > 0)
          logger.warn(
            { failed },
            'default catalogue charts that failed their checks or their import were left unpublished',
          );
        // A shipped chart edited without a version bump: loud in development (where someone just edited it), a
        // warning elsewhere; the stored version keeps serving either way.
        for (const { chart, message } of stale)
          logger[config.env === 'development' ? 'error' : 'warn']({ chart, fr: message.fr }, message.en);
        // A newer shipped version is proposed to the services on older ones, as an administrator's publish does; the
        // platform's own automation identity (bootstrap-admin) is the actor of these audit entries.
        for (const version of published) {
          await inAuditedTransaction(
            database.db,
            { kind: 'bootstrap-admin' },
            'default-catalogue-seed',
            async (tx, audit) => {
              for (const proposal of await recordUpgradeProposals(tx, version, context.now()))
                await audit(upgradeProposedAudit(proposal));
            },
          );
        }
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'default component catalogue seeding failed'))
      .finally(() => {
        if (!catalogueStopped)
          catalogueSources = startSourceScheduler({
            db: database.db,
            now: context.now,
            onError: (error) => logger.warn({ err: error }, 'catalogue source pull failed'),
          });
      });
  }
  phase('workers');
  const demoPasswords = await demoSeeding;
  phase('demoAccounts');

  let stopping: Promise<void> | undefined;
  return {
    services: context,
    database,
    queue: reconcileQueue,
    reconcileSteps,
    app,
    demoPasswords,
    startupPhases,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      listeningOrigin = `http://127.0.0.1:${port}`;
      return listeningOrigin;
    },
    stop(timeoutMs = 8000) {
      stopping ??= (async () => {
        const deadline = Date.now() + timeoutMs;
        // Refuse new requests and wait for in-flight ones, then let running reconciles finish.
        await app.close();
        await chain.stop();
        await conformitySweeper?.stop();
        catalogueStopped = true;
        await catalogueSources?.stop();
        await context.advisorySync?.stop();
        await reconcileQueue.stop(Math.max(1000, deadline - Date.now()));
        if (ownsDatabase) await database.close();
      })();
      return stopping;
    },
  };
}
