// Configuration comes only from the environment. Every variable is listed once in `configReference`
// (name, default, description) so the README table can be checked against the code.
import path from 'node:path';
import { defaultConformityPolicy, type ConformityPolicy } from './catalogue/policy.ts';

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
  reconcileConcurrency: number;
  webDir: string;
  allowUnsafe: boolean;
  /** The secondary chain (runs, mirrors, registry, notifications). */
  chain: ChainConfig;
  /** Longest derogation a team may request, in days from the request. */
  derogationMaxDays: number;
  /** The GitOps repository and the ArgoCD status read-back (issue 6). */
  gitops: GitopsConfig;
  /** `database`: git repositories are recorded in PostgreSQL so replicas need no shared disk; `local`: the data folder is their only copy. */
  gitReplication: 'database' | 'local';
  /** Thresholds and approved lists machine evidence is judged against (continuous homologation). */
  conformity: ConformityPolicy;
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
}

export interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

export const configReference: readonly ConfigVariable[] = [
  { name: 'PORT', default: '8080', description: 'HTTP port of the console, API and built-in identity provider.' },
  { name: 'DSO_HOST', default: '0.0.0.0', description: 'Interface the HTTP server listens on.' },
  { name: 'DSO_PUBLIC_URL', default: 'http://localhost:$PORT', description: 'URL users reach the console at; used for OIDC redirects and links. When unset, sign-in cookies and redirects follow the address the browser used (localhost, 127.0.0.1 or this machine\'s address).' },
  { name: 'NODE_ENV', default: 'development', description: '`production` refuses unsafe defaults (built-in identity provider, no DSO_ENCRYPTION_KEY).' },
  { name: 'DSO_DATA_DIR', default: './data', description: 'Folder of the embedded database (pg/), the generated encryption key and other local state.' },
  { name: 'DATABASE_URL', default: '(none: embedded PGlite)', description: 'PostgreSQL connection string; when set, the embedded database is not used.' },
  { name: 'DSO_LOG_LEVEL', default: 'info', description: 'Log level: fatal, error, warn, info, debug, trace or silent. Logs are JSON lines on stdout.' },
  { name: 'DSO_ENCRYPTION_KEY', default: '(generated key file in DSO_DATA_DIR)', description: 'Base64 of 32 random bytes; encrypts repository credentials and other secrets at rest (AES-256-GCM). Required in production.' },
  { name: 'DSO_ADMIN_TOKEN', default: '(none)', description: 'Bootstrap API token with platform-admin rights, for automation (`Authorization: Bearer …`). At least 24 characters.' },
  { name: 'DSO_OIDC_ISSUER', default: '(none: built-in provider)', description: 'Issuer URL of an external OpenID Connect provider (e.g. Keycloak); disables the built-in provider.' },
  { name: 'DSO_OIDC_CLIENT_ID', default: '(none)', description: 'Client id registered at the external OIDC provider (required with DSO_OIDC_ISSUER).' },
  { name: 'DSO_OIDC_CLIENT_SECRET', default: '(none)', description: 'Client secret at the external OIDC provider (omit for a public client).' },
  { name: 'DSO_OIDC_SCOPES', default: 'openid profile email groups', description: 'Scopes requested at login (space separated).' },
  { name: 'DSO_OIDC_ADMIN_GROUPS', default: '(none)', description: 'OIDC groups mapped to admin roles, e.g. `platform-admin=dso-admins,security-officer=rssi|ssi` (`|` separates several groups).' },
  { name: 'DSO_SESSION_TTL_HOURS', default: '12', description: 'Lifetime of a browser session.' },
  { name: 'DSO_WORKERS', default: 'true', description: 'Run the background reconcilers in this process (`false` for API-only replicas).' },
  { name: 'DSO_RECONCILE_CONCURRENCY', default: '4', description: 'Projects reconciled in parallel by this process.' },
  { name: 'DSO_WEB_DIR', default: './web/dist', description: 'Built console (served at /).' },
  { name: 'DSO_GIT_ALLOWED_HOSTS', default: '(none)', description: 'Comma-separated hosts, addresses or CIDR ranges that repository and webhook URLs may point to although they are loopback, link-local or cloud-metadata addresses (refused otherwise).' },
  { name: 'DSO_RUN_MAX_ATTEMPTS', default: '3', description: 'Attempts of a chain run interrupted by a crash or a transient failure before it is marked failed.' },
  { name: 'DSO_RUN_RETRY_DELAY_SECONDS', default: '5', description: 'First retry delay of a chain run; doubles at each attempt.' },
  { name: 'DSO_RUN_CONCURRENCY', default: '2', description: 'Chain runs executed in parallel by this process.' },
  { name: 'DSO_RUN_GLOBAL_LIMIT', default: '8', description: 'Chain runs executing at once across all processes.' },
  { name: 'DSO_RUN_PROJECT_LIMIT', default: '2', description: 'Chain runs of one project executing at once.' },
  { name: 'DSO_RUN_STALE_SECONDS', default: '30', description: 'A running chain run whose process gave no sign of life for this long is resumed by another one.' },
  { name: 'DSO_RUN_LOG_MAX_KIB', default: '5120', description: 'Log kept per chain run (KiB); the rest is cut with a notice.' },
  { name: 'DSO_REGISTRY_URL', default: '(embedded: OCI layout in DSO_DATA_DIR/registry)', description: 'OCI registry (distribution API) the chain publishes images to, e.g. https://registry.example.' },
  { name: 'DSO_REGISTRY_USERNAME', default: '(none)', description: 'User name at DSO_REGISTRY_URL.' },
  { name: 'DSO_REGISTRY_PASSWORD', default: '(none)', description: 'Password or token at DSO_REGISTRY_URL.' },
  { name: 'DSO_CHAIN_REQUIRE_IMAGE', default: 'false', description: 'Refuse certification when no image could be built because no builder (buildah) is installed.' },
  { name: 'DSO_SMTP_URL', default: '(none: no e-mail)', description: 'SMTP server for run verdict e-mails (smtp://user:pass@mail.example:587, STARTTLS when offered; smtps:// for implicit TLS on 465). Each certified, refused or failed run mails the project members allowed to start runs (owner, devops, developer) who have an address, in French then English, with the reasons and a link to the run in the console (DSO_PUBLIC_URL). Three attempts; a failure marks the notify step failed, never the verdict; the credentials never appear in logs.' },
  { name: 'DSO_SMTP_FROM', default: 'dso@localhost', description: 'Sender address (From) of run verdict e-mails, e.g. "DSO π <dso@ministere.example>".' },
  { name: 'DSO_NIGHTLY_RESCAN_CRON', default: '0 2 * * *', description: 'When the last certified revision of every repository is scanned again (cron, UTC).' },
  { name: 'DSO_DEROGATION_MAX_DAYS', default: '365', description: 'Longest derogation a team may request or a security officer may grant, in days from the request.' },
  { name: 'DSO_COVERAGE_MINIMUM', default: '100', description: 'Minimum back-end line coverage (percent) for EX10 and EX27; without a coverage report they are "awaiting evidence".' },
  { name: 'DSO_ADVISORY_MAX_AGE_DAYS', default: '7', description: 'Dependencies must have been evaluated against an advisory database younger than this (EX12, EX58); older, they are "awaiting evidence" until the next run.' },
  { name: 'DSO_FORGE_PUSH_MAX_AGE_DAYS', default: '30', description: 'A push webhook from the team\'s forge must have started a run within this many days (EX5).' },
  { name: 'DSO_FEEDBACK_MAX_AGE_DAYS', default: '30', description: 'A notification webhook delivery must have succeeded within this many days, and the last one must not have failed (EX16).' },
  { name: 'DSO_DELIVERY_WINDOW_DAYS', default: '90', description: 'Window of the delivery measures (DORA: deployments, lead time) shown on the project page and judged for EX17.' },
  { name: 'DSO_DELIVERY_MIN_DEPLOYMENTS', default: '3', description: 'Fewest deployments in the window for EX17.' },
  { name: 'DSO_DELIVERY_MAX_LEAD_TIME_HOURS', default: '168', description: 'Longest median lead time, first run of a revision → its deployment, for EX17.' },
  { name: 'DSO_START_MAX_SECONDS', default: '60', description: 'Longest start-up the probes of a workload may allow (EX51).' },
  { name: 'DSO_STOP_MAX_SECONDS', default: '30', description: 'Longest terminationGracePeriodSeconds for a declared graceful stop (EX50; a preStop hook also counts).' },
  { name: 'DSO_APPROVED_LANGUAGES', default: 'java,kotlin,typescript,javascript,vue,python,go,php,csharp,rust,shell,sql', description: 'Programming languages the administrators approve (EX24), comma separated; ids as in docs/evidence.md.' },
  { name: 'DSO_OIDC_FEDERATIONS', default: '(none)', description: 'Issuer URLs of the official identity federations applications may use (EX56: staff SSO, FranceConnect…), comma separated.' },
  { name: 'DSO_GATEWAY_CLASSES', default: '(none)', description: 'Ingress classes and Gateway names of the platform\'s API management (EX44), comma separated.' },
  { name: 'DSO_OBJECT_STORAGE_ENDPOINTS', default: '(none)', description: 'URL prefixes of the platform\'s object storage that backups must target (EX7, EX33, EX40), e.g. `s3://backups,https://s3.example`.' },
  { name: 'DSO_ENCRYPTION_KEY_PREVIOUS', default: '(none)', description: 'Old key read by `dso secrets rotate-key` only: every sealed value is re-encrypted from it to DSO_ENCRYPTION_KEY.' },
  { name: 'DSO_GIT_REPLICATION', default: 'database with DATABASE_URL, local otherwise', description: '`database`: mirrors, hosted repositories and the embedded GitOps repository are recorded in PostgreSQL, so any replica serves any repository and resumes any run without a shared disk; `local`: the data folder is their only copy (one replica, or a shared ReadWriteMany volume).' },
  { name: 'DSO_GITOPS_URL', default: '(none: embedded at /git/_platform/gitops.git)', description: 'External GitOps repository (https URL, e.g. on GitLab) the console pushes each GitOps commit to; ArgoCD then pulls from it.' },
  { name: 'DSO_GITOPS_TOKEN', default: '(none)', description: 'Token allowed to push to DSO_GITOPS_URL.' },
  { name: 'DSO_ARGOCD_URL', default: '(none: status is the GitOps commit)', description: 'ArgoCD API URL; with DSO_ARGOCD_TOKEN, the sync and health of each environment\'s Application are read back.' },
  { name: 'DSO_ARGOCD_TOKEN', default: '(none)', description: 'ArgoCD API token (read access to applications).' },
  { name: 'DSO_CHART_REPOSITORY_URL', default: '(none: remote chart dependencies are not evaluated)', description: 'Helm chart repository (https:// or oci:// URL, e.g. a Harbor or Nexus proxy of the public repositories) that remote dependencies of the charts `dso check` renders are fetched from; charts whose remote dependencies are not vendored under charts/ are otherwise not evaluated and refuse certification.' },
  { name: 'DSO_PGLITE_TEMPLATE_DIR', default: './node_modules/.cache/dso-pi', description: 'Where the migrated embedded-database template is cached; new data folders start from it instead of running initdb. Bake it into images by starting once at build time.' },
  { name: 'DSO_SANDBOX', default: 'bubblewrap', description: 'Where repositories\' test commands and image builds run: `bubblewrap` (each in its own bwrap sandbox: its copy of the checkout, a private /tmp, the system read-only, no network, nothing of the data folder or of other runs; when bwrap cannot start, test commands are not run and the run says why) or `none` (host processes seeing the host\'s files: development machines only, a warning at start, refused with NODE_ENV=production).' },
  { name: 'DSO_SANDBOX_TOOLCHAINS', default: '(none: /usr only)', description: 'Comma-separated absolute host folders mounted read-only in the sandbox besides /usr, e.g. `/opt/java/jdk-21,/opt/node-22` (toolchains installed outside /usr). Never /, the data folder, /home, /root, /var, /tmp or /etc.' },
  { name: 'DSO_ALLOW_UNSAFE', default: 'false', description: 'Allow unsafe defaults in production (built-in identity provider, generated encryption key). For demonstrations only.' },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const adminRoleNames = ['platform-admin', 'security-officer', 'admin-read-only'];
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}="${raw}" must be a whole number between ${min} and ${max}.`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}="${raw}" must be true or false.`);
    return fallback;
  };
  const url = (name: string): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      problems.push(`${name}="${raw}" is not an http(s) URL.`);
      return undefined;
    }
  };

  const nodeEnv = str('NODE_ENV') ?? 'development';
  const envKind: Config['env'] = nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development';
  const port = int('PORT', 8080, 0, 65535);
  const host = str('DSO_HOST') ?? '0.0.0.0';
  const configuredPublicUrl = url('DSO_PUBLIC_URL');
  const publicUrl = configuredPublicUrl ?? `http://localhost:${port}`;
  const dataDir = path.resolve(str('DSO_DATA_DIR') ?? './data');

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://.');
  }

  const logLevelRaw = (str('DSO_LOG_LEVEL') ?? 'info').toLowerCase();
  let logLevel: Config['logLevel'] = 'info';
  if ((logLevels as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as Config['logLevel'];
  else problems.push(`DSO_LOG_LEVEL="${logLevelRaw}" must be one of ${logLevels.join(', ')}.`);

  let encryptionKey: Buffer | undefined;
  const keyRaw = str('DSO_ENCRYPTION_KEY');
  if (keyRaw !== undefined) {
    const decoded = Buffer.from(keyRaw, 'base64');
    if (decoded.length !== 32) problems.push(`DSO_ENCRYPTION_KEY must be the base64 of exactly 32 bytes (got ${decoded.length}); generate one with: openssl rand -base64 32`);
    else encryptionKey = decoded;
  }

  const adminToken = str('DSO_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 24) problems.push('DSO_ADMIN_TOKEN must be at least 24 characters long (use: openssl rand -hex 32).');

  const issuer = url('DSO_OIDC_ISSUER');
  const clientId = str('DSO_OIDC_CLIENT_ID');
  const clientSecret = str('DSO_OIDC_CLIENT_SECRET');
  const scopes = (str('DSO_OIDC_SCOPES') ?? 'openid profile email groups').split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) problems.push('DSO_OIDC_SCOPES must include "openid".');
  let oidc: Config['oidc'] = { kind: 'builtin' };
  if (issuer) {
    if (!clientId) problems.push('DSO_OIDC_CLIENT_ID is required when DSO_OIDC_ISSUER is set.');
    oidc = { kind: 'external', issuer, clientId: clientId ?? '', clientSecret, scopes };
  } else if (clientId || clientSecret) {
    problems.push('DSO_OIDC_CLIENT_ID/DSO_OIDC_CLIENT_SECRET are set but DSO_OIDC_ISSUER is not.');
  }

  const oidcAdminGroups: Record<string, string[]> = {};
  const groupsRaw = str('DSO_OIDC_ADMIN_GROUPS');
  if (groupsRaw) {
    for (const pair of groupsRaw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [role, groups] = pair.split('=').map((s) => s.trim());
      if (!role || !groups || !adminRoleNames.includes(role)) {
        problems.push(`DSO_OIDC_ADMIN_GROUPS entry "${pair}" must look like <role>=<group>[|<group>…] with role one of ${adminRoleNames.join(', ')}.`);
        continue;
      }
      oidcAdminGroups[role] = groups.split('|').map((g) => g.trim()).filter(Boolean);
    }
  }

  const sandboxMode = (str('DSO_SANDBOX') ?? 'bubblewrap').toLowerCase();
  if (sandboxMode !== 'bubblewrap' && sandboxMode !== 'none') problems.push(`DSO_SANDBOX="${sandboxMode}" must be bubblewrap or none.`);
  if (sandboxMode === 'none' && envKind === 'production') {
    problems.push('NODE_ENV=production refuses DSO_SANDBOX=none: test commands and image builds would see the host\'s files (the data folder, other projects). Install bubblewrap (apt-get install bubblewrap) and remove DSO_SANDBOX.');
  }
  const toolchains = (str('DSO_SANDBOX_TOOLCHAINS') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  for (const dir of toolchains) {
    const clean = path.resolve(dir);
    const forbidden = ['/', '/home', '/root', '/var', '/tmp', '/etc', '/proc', '/sys', '/dev', '/run'];
    const inside = (parent: string, child: string) => child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`) ;
    if (!path.isAbsolute(dir) || clean !== dir.replace(/\/+$/, '') || forbidden.some((f) => (f === '/' ? clean === '/' : inside(f, clean))) || inside(clean, dataDir) || inside(dataDir, clean)) {
      problems.push(`DSO_SANDBOX_TOOLCHAINS entry "${dir}" must be an absolute folder outside /, /home, /root, /var, /tmp, /etc and the data folder (e.g. /opt/java/jdk-21).`);
    }
  }

  // Read by the check engine itself (dso check runs without this configuration); validated here for the server.
  const chartRepository = str('DSO_CHART_REPOSITORY_URL');
  if (chartRepository !== undefined && !/^(https?|oci):\/\/[^\s/]+/.test(chartRepository)) {
    problems.push(`DSO_CHART_REPOSITORY_URL="${chartRepository}" must be an https://, http:// or oci:// chart repository URL.`);
  }
  const allowUnsafe = bool('DSO_ALLOW_UNSAFE', false);
  if (envKind === 'production' && !allowUnsafe) {
    if (oidc.kind === 'builtin') problems.push('NODE_ENV=production refuses the built-in identity provider: set DSO_OIDC_ISSUER, DSO_OIDC_CLIENT_ID and DSO_OIDC_CLIENT_SECRET (or DSO_ALLOW_UNSAFE=true for a demonstration).');
    if (!encryptionKey) problems.push('NODE_ENV=production requires DSO_ENCRYPTION_KEY (openssl rand -base64 32), or DSO_ALLOW_UNSAFE=true for a demonstration.');
  }

  const config: Config = {
    env: envKind,
    port,
    host,
    publicUrl,
    publicUrlConfigured: configuredPublicUrl !== undefined,
    dataDir,
    databaseUrl,
    logLevel,
    encryptionKey,
    adminToken,
    oidc,
    oidcAdminGroups,
    sessionTtlHours: int('DSO_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    workers: bool('DSO_WORKERS', true),
    reconcileConcurrency: int('DSO_RECONCILE_CONCURRENCY', 4, 1, 64),
    webDir: path.resolve(str('DSO_WEB_DIR') ?? './web/dist'),
    allowUnsafe,
    chain: {
      gitAllowedHosts: (str('DSO_GIT_ALLOWED_HOSTS') ?? '').split(',').map((h) => h.trim()).filter(Boolean),
      maxAttempts: int('DSO_RUN_MAX_ATTEMPTS', 3, 1, 20),
      retryDelaySeconds: int('DSO_RUN_RETRY_DELAY_SECONDS', 5, 0, 3600),
      concurrency: int('DSO_RUN_CONCURRENCY', 2, 1, 64),
      globalLimit: int('DSO_RUN_GLOBAL_LIMIT', 8, 1, 1000),
      projectLimit: int('DSO_RUN_PROJECT_LIMIT', 2, 1, 1000),
      staleSeconds: int('DSO_RUN_STALE_SECONDS', 30, 1, 3600),
      logMaxBytes: int('DSO_RUN_LOG_MAX_KIB', 5120, 16, 1024 * 1024) * 1024,
      registry: (() => {
        const registryUrl = url('DSO_REGISTRY_URL');
        return registryUrl ? { url: registryUrl, username: str('DSO_REGISTRY_USERNAME'), password: str('DSO_REGISTRY_PASSWORD') } : undefined;
      })(),
      requireImage: bool('DSO_CHAIN_REQUIRE_IMAGE', false),
      smtpUrl: str('DSO_SMTP_URL'),
      smtpFrom: str('DSO_SMTP_FROM') ?? 'dso@localhost',
      nightlyCron: str('DSO_NIGHTLY_RESCAN_CRON') ?? '0 2 * * *',
      sandbox: { mode: sandboxMode === 'none' ? 'none' : 'bubblewrap', toolchains },
    },
    derogationMaxDays: int('DSO_DEROGATION_MAX_DAYS', 365, 1, 3650),
    gitReplication: (() => {
      const value = str('DSO_GIT_REPLICATION') ?? (databaseUrl ? 'database' : 'local');
      if (value === 'database' || value === 'local') return value;
      problems.push(`DSO_GIT_REPLICATION="${value}" must be database or local.`);
      return 'local';
    })(),
    conformity: conformityPolicyOf(str, int, url('DSO_REGISTRY_URL') ?? publicUrl),
    gitops: (() => {
      const remoteUrl = url('DSO_GITOPS_URL');
      const argocdUrl = url('DSO_ARGOCD_URL');
      const argocdToken = str('DSO_ARGOCD_TOKEN');
      return {
        remote: remoteUrl ? { url: remoteUrl, token: str('DSO_GITOPS_TOKEN') } : undefined,
        pullUrl: remoteUrl ?? `${publicUrl}/git/_platform/gitops.git`,
        argocd: argocdUrl && argocdToken ? { url: argocdUrl, token: argocdToken } : undefined,
      };
    })(),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function conformityPolicyOf(
  str: (name: string) => string | undefined,
  int: (name: string, fallback: number, min: number, max: number) => number,
  registryUrl: string,
): ConformityPolicy {
  const list = (name: string, fallback: readonly string[]): string[] => {
    const raw = str(name);
    return raw === undefined ? [...fallback] : raw.split(',').map((v) => v.trim()).filter(Boolean).slice(0, 200);
  };
  const d = defaultConformityPolicy;
  return {
    coverageMinimumPercent: int('DSO_COVERAGE_MINIMUM', d.coverageMinimumPercent, 0, 100),
    advisoryMaxAgeDays: int('DSO_ADVISORY_MAX_AGE_DAYS', d.advisoryMaxAgeDays, 1, 365),
    forgePushMaxAgeDays: int('DSO_FORGE_PUSH_MAX_AGE_DAYS', d.forgePushMaxAgeDays, 1, 365),
    feedbackMaxAgeDays: int('DSO_FEEDBACK_MAX_AGE_DAYS', d.feedbackMaxAgeDays, 1, 365),
    delivery: {
      windowDays: int('DSO_DELIVERY_WINDOW_DAYS', d.delivery.windowDays, 7, 365),
      minDeployments: int('DSO_DELIVERY_MIN_DEPLOYMENTS', d.delivery.minDeployments, 0, 10_000),
      maxLeadTimeHours: int('DSO_DELIVERY_MAX_LEAD_TIME_HOURS', d.delivery.maxLeadTimeHours, 1, 24 * 365),
    },
    startMaxSeconds: int('DSO_START_MAX_SECONDS', d.startMaxSeconds, 1, 3600),
    stopMaxSeconds: int('DSO_STOP_MAX_SECONDS', d.stopMaxSeconds, 1, 3600),
    approvedLanguages: list('DSO_APPROVED_LANGUAGES', d.approvedLanguages).map((l) => l.toLowerCase()),
    oidcIssuers: list('DSO_OIDC_FEDERATIONS', d.oidcIssuers),
    gatewayClasses: list('DSO_GATEWAY_CLASSES', d.gatewayClasses),
    // Images the chain publishes live on the configured registry, or on the console's own host when embedded.
    registryHosts: [new URL(registryUrl).host],
    objectStorageEndpoints: list('DSO_OBJECT_STORAGE_ENDPOINTS', d.objectStorageEndpoints),
  };
}
