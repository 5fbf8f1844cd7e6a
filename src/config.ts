// Configuration comes only from the environment, and this module is the only one that reads it (an ESLint rule
// says so). Each variable is declared once in src/config/variables.ts (name, default, description, parser); this
// loader reads them all, adds the rules that tie several together (production refusals, OIDC coherence) and shapes
// the typed Config the composition root hands out.
import path from 'node:path';
import type { ConformityPolicy } from './catalogue/policy.ts';
import type { EvaluationPolicy } from './checks/unevaluated.ts';
import type { Variable } from './config/variable.ts';
import { variables } from './config/variables.ts';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Base URL users reach the console at (OIDC redirect URIs, links). */
  publicUrl: string;
  /** DSO_PUBLIC_URL was set: links and logins always use it. Otherwise browser logins follow the address reached. */
  publicUrlConfigured: boolean;
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in dataDir/pg is used. */
  databaseUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 32 bytes (base64) or undefined → a key file generated in the data dir (embedded mode only). */
  encryptionKey: Buffer | undefined;
  adminToken: string | undefined;
  oidc:
    | { kind: 'builtin' }
    | { kind: 'external'; issuer: string; clientId: string; clientSecret: string | undefined; scopes: string[] };
  /** admin role → OIDC groups granting it. */
  oidcAdminGroups: Record<string, string[]>;
  sessionTtlHours: number;
  /** Run the reconcile workers in this process (false for API-only replicas). */
  workers: boolean;
  /** Seed the component catalogue shipped with the product at start (worker processes). */
  catalogueDefault: boolean;
  reconcileConcurrency: number;
  webDir: string;
  allowUnsafe: boolean;
  /** Where the migrated embedded-database template is cached (DSO_PGLITE_TEMPLATE_DIR); undefined = the package's cache
   * folder. */
  pgliteTemplateDir: string | undefined;
  /** The secondary chain (runs, mirrors, registry, notifications). */
  chain: ChainConfig;
  /** Longest derogation a team may request, in days from the request. */
  derogationMaxDays: number;
  /** The GitOps repository and the ArgoCD status read-back (issue 6). */
  gitops: GitopsConfig;
  /** `database`: git repositories are recorded in PostgreSQL so replicas need no shared disk; `local`: the data folder
   * is their only copy. */
  gitReplication: 'database' | 'local';
  /** Thresholds and approved lists machine evidence is judged against (continuous homologation). */
  conformity: ConformityPolicy;
  /** What criteria the checks could not fully evaluate do to the gate (DSO_EVALUATION_POLICY). */
  evaluationPolicy: EvaluationPolicy;
  /** The OSV mirror the workers sync advisories from (DSO_ADVISORIES_URL); url undefined = no sync. */
  advisories: { url: string | undefined; cron: string; ecosystems: string[] };
  /** Maven parents and BOMs: the local repository read (DSO_MAVEN_REPOSITORY) and whether `mvn` may go online. */
  maven: { repository: string | undefined; online: boolean; command: string | null };
}

export interface GitopsConfig {
  /** External GitOps repository (pushed to after each commit); undefined = embedded only. */
  remote: { url: string; token: string | undefined } | undefined;
  /** URL ArgoCD pulls the GitOps repository from (root applications); default the embedded endpoint. */
  pullUrl: string;
  argocd: { url: string; token: string } | undefined;
}

export interface ChainConfig {
  /** Hosts, addresses or CIDR ranges allowed even though they are loopback/link-local/metadata (SSRF guard). */
  gitAllowedHosts: string[];
  maxAttempts: number;
  retryDelaySeconds: number;
  /** Runs executed in parallel by this process. */
  concurrency: number;
  /** Runs executing at once across all processes, and per project. */
  globalLimit: number;
  projectLimit: number;
  /** A running run whose process has been silent this long is taken over (crash, kill -9). */
  staleSeconds: number;
  logMaxBytes: number;
  registry: { url: string; username: string | undefined; password: string | undefined } | undefined;
  /** Fail the gate when no image could be built (no builder installed). */
  requireImage: boolean;
  smtpUrl: string | undefined;
  smtpFrom: string;
  nightlyCron: string;
  /** Where test commands and image builds run (DSO_SANDBOX), and the toolchains they see. */
  sandbox: { mode: 'bubblewrap' | 'none'; toolchains: string[] };
  /** Helm chart repository remote chart dependencies are fetched from (DSO_CHART_REPOSITORY_URL). */
  chartRepository: string | undefined;
}

/** One documented variable (README table row). */
export interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

export const configReference: readonly ConfigVariable[] = Object.values(variables).map((v) => ({
  name: v.name,
  default: v.defaultText,
  description: v.description,
}));

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Values = { [K in keyof typeof variables]: ReturnType<(typeof variables)[K]['read']> };

/** Every declared variable read from `env` (blank = unset); invalid values are named in `problems`. */
function readVariables(env: NodeJS.ProcessEnv, problems: string[]): Values {
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(variables)) {
    const raw = env[variable.name]?.trim();
    values[key] = (variable as Variable<unknown>).read(raw ? raw : undefined, problems);
  }
  return values as Values;
}

/** Reads the configuration; `env` is process.env unless a test or a caller passes its own. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const v = readVariables(env, problems);

  const envKind: Config['env'] = v.nodeEnv === 'production' ? 'production' : v.nodeEnv === 'test' ? 'test' : 'development';
  const publicUrl = v.publicUrl ?? `http://localhost:${v.port}`;
  const dataDir = path.resolve(v.dataDir);

  if (!v.oidcScopes.includes('openid')) problems.push('DSO_OIDC_SCOPES must include "openid".');
  let oidc: Config['oidc'] = { kind: 'builtin' };
  if (v.oidcIssuer) {
    if (!v.oidcClientId) problems.push('DSO_OIDC_CLIENT_ID is required when DSO_OIDC_ISSUER is set.');
    oidc = { kind: 'external', issuer: v.oidcIssuer, clientId: v.oidcClientId ?? '', clientSecret: v.oidcClientSecret, scopes: v.oidcScopes };
  } else if (v.oidcClientId || v.oidcClientSecret) {
    problems.push('DSO_OIDC_CLIENT_ID/DSO_OIDC_CLIENT_SECRET are set but DSO_OIDC_ISSUER is not.');
  }

  if (v.sandbox === 'none' && envKind === 'production') {
    problems.push('NODE_ENV=production refuses DSO_SANDBOX=none: test commands and image builds would see the host\'s files (the data folder, other projects). Install bubblewrap (apt-get install bubblewrap) and remove DSO_SANDBOX.');
  }
  for (const dir of v.sandboxToolchains) {
    const clean = path.resolve(dir);
    const forbidden = ['/', '/home', '/root', '/var', '/tmp', '/etc', '/proc', '/sys', '/dev', '/run'];
    const inside = (parent: string, child: string) => child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);
    if (!path.isAbsolute(dir) || clean !== dir.replace(/\/+$/, '') || forbidden.some((f) => (f === '/' ? clean === '/' : inside(f, clean))) || inside(clean, dataDir) || inside(dataDir, clean)) {
      problems.push(`DSO_SANDBOX_TOOLCHAINS entry "${dir}" must be an absolute folder outside /, /home, /root, /var, /tmp, /etc and the data folder (e.g. /opt/java/jdk-21).`);
    }
  }

  if (envKind === 'production' && !v.allowUnsafe) {
    if (oidc.kind === 'builtin') problems.push('NODE_ENV=production refuses the built-in identity provider: set DSO_OIDC_ISSUER, DSO_OIDC_CLIENT_ID and DSO_OIDC_CLIENT_SECRET (or DSO_ALLOW_UNSAFE=true for a demonstration).');
    if (!v.encryptionKey) problems.push('NODE_ENV=production requires DSO_ENCRYPTION_KEY (openssl rand -base64 32), or DSO_ALLOW_UNSAFE=true for a demonstration.');
  }

  const config: Config = {
    env: envKind,
    port: v.port,
    host: v.host,
    publicUrl,
    publicUrlConfigured: v.publicUrl !== undefined,
    dataDir,
    databaseUrl: v.databaseUrl,
    logLevel: v.logLevel,
    encryptionKey: v.encryptionKey,
    adminToken: v.adminToken,
    oidc,
    oidcAdminGroups: v.oidcAdminGroups,
    sessionTtlHours: v.sessionTtlHours,
    workers: v.workers,
    catalogueDefault: v.catalogueDefault,
    reconcileConcurrency: v.reconcileConcurrency,
    webDir: path.resolve(v.webDir),
    allowUnsafe: v.allowUnsafe,
    pgliteTemplateDir: v.pgliteTemplateDir,
    chain: {
      gitAllowedHosts: v.gitAllowedHosts,
      maxAttempts: v.runMaxAttempts,
      retryDelaySeconds: v.runRetryDelaySeconds,
      concurrency: v.runConcurrency,
      globalLimit: v.runGlobalLimit,
      projectLimit: v.runProjectLimit,
      staleSeconds: v.runStaleSeconds,
      logMaxBytes: v.runLogMaxKib * 1024,
      registry: v.registryUrl
        ? { url: v.registryUrl, username: v.registryUsername, password: v.registryPassword }
        : undefined,
      requireImage: v.chainRequireImage,
      smtpUrl: v.smtpUrl,
      smtpFrom: v.smtpFrom,
      nightlyCron: v.nightlyRescanCron,
      sandbox: { mode: v.sandbox, toolchains: v.sandboxToolchains },
      chartRepository: v.chartRepositoryUrl,
    },
    derogationMaxDays: v.derogationMaxDays,
    gitReplication: v.gitReplication ?? (v.databaseUrl ? 'database' : 'local'),
    conformity: {
      coverageMinimumPercent: v.coverageMinimum,
      // DSO_ADVISORY_MAX_AGE_DAYS was the first spelling: still read when the issue's name is not set.
      advisoryMaxAgeDays: env.DSO_ADVISORIES_MAX_AGE_DAYS?.trim()
        ? v.advisoryMaxAgeDays
        : (v.advisoryMaxAgeDaysDeprecated ?? v.advisoryMaxAgeDays),
      forgePushMaxAgeDays: v.forgePushMaxAgeDays,
      feedbackMaxAgeDays: v.feedbackMaxAgeDays,
      delivery: {
        windowDays: v.deliveryWindowDays,
        minDeployments: v.deliveryMinDeployments,
        maxLeadTimeHours: v.deliveryMaxLeadTimeHours,
        maxChangeLines: v.deliveryMaxChangeLines,
      },
      startMaxSeconds: v.startMaxSeconds,
      stopMaxSeconds: v.stopMaxSeconds,
      approvedLanguages: v.approvedLanguages.map((l) => l.toLowerCase()),
      oidcIssuers: v.oidcFederations,
      gatewayClasses: v.gatewayClasses,
      // Images the chain publishes live on the configured registry, or on the console's own host when embedded.
      registryHosts: [new URL(v.registryUrl ?? publicUrl).host],
      objectStorageEndpoints: v.objectStorageEndpoints,
    },
    evaluationPolicy: v.evaluationPolicy,
    advisories: { url: v.advisoriesUrl, cron: v.advisoriesCron, ecosystems: v.advisoriesEcosystems },
    maven: {
      repository: v.mavenRepository,
      online: v.mavenOnline,
      command: v.mavenCommand === 'none' ? null : v.mavenCommand,
    },
    gitops: {
      remote: v.gitopsUrl ? { url: v.gitopsUrl, token: v.gitopsToken } : undefined,
      pullUrl: v.gitopsUrl ?? `${publicUrl}/git/_platform/gitops.git`,
      argocd: v.argocdUrl && v.argocdToken ? { url: v.argocdUrl, token: v.argocdToken } : undefined,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
