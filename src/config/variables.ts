// Every environment variable the console reads, declared once: name, default, description and parser. The loader
// (src/config.ts) reads them, `npm run docs:config` writes the README table from them and test/readme.test.ts checks
// the README against them. To add a variable: add an entry here (in the place it belongs in the README table), read
// it in loadConfig, then run `npm run docs:config`.
import { defaultConformityPolicy as policy } from '../catalogue/policy.ts';
import { parsePlatformEvaluationPolicy } from '../checks/evaluation-policy.ts';
import { defaultEvaluationPolicy, type EvaluationPolicy } from '../checks/unevaluated.ts';
import { choice, cron, flag, httpUrl, integer, list, parsed, text } from './variable.ts';

const adminRoleNames = ['platform-admin', 'security-officer', 'admin-read-only'];

export const variables = {
  port: integer('PORT', { default: 8080, min: 0, max: 65535, description: 'HTTP port of the console, API and built-in identity provider.' }),
  host: text('DSO_HOST', { default: '0.0.0.0', description: 'Interface the HTTP server listens on.' }),
  publicUrl: httpUrl('DSO_PUBLIC_URL', { default: undefined, defaultText: 'http://localhost:$PORT', description: 'URL users reach the console at; used for OIDC redirects and links. When unset, sign-in cookies and redirects follow the address the browser used (localhost, 127.0.0.1 or this machine\'s address).' }),
  nodeEnv: text('NODE_ENV', { default: 'development', description: '`production` refuses unsafe defaults (built-in identity provider, no DSO_ENCRYPTION_KEY).' }),
  dataDir: text('DSO_DATA_DIR', { default: './data', description: 'Folder of the embedded database (pg/), the generated encryption key and other local state.' }),
  databaseUrl: text('DATABASE_URL', {
    defaultText: '(none: embedded PGlite)',
    valid: (raw) => (/^postgres(ql)?:\/\//.test(raw) ? undefined : 'DATABASE_URL must start with postgres:// or postgresql://.'),
    description: 'PostgreSQL connection string; when set, the embedded database is not used.',
  }),
  logLevel: choice('DSO_LOG_LEVEL', { values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'Log level: fatal, error, warn, info, debug, trace or silent. Logs are JSON lines on stdout.' }),
  encryptionKey: parsed<Buffer | undefined>('DSO_ENCRYPTION_KEY', {
    default: undefined,
    defaultText: '(generated key file in DSO_DATA_DIR)',
    parse: (raw, problems) => {
      const decoded = Buffer.from(raw, 'base64');
      if (decoded.length === 32) return decoded;
      problems.push(`DSO_ENCRYPTION_KEY must be the base64 of exactly 32 bytes (got ${decoded.length}); generate one with: openssl rand -base64 32`);
      return undefined;
    },
    description: 'Base64 of 32 random bytes; encrypts repository credentials and other secrets at rest (AES-256-GCM). Required in production.',
  }),
  adminToken: text('DSO_ADMIN_TOKEN', {
    valid: (raw) => (raw.length >= 24 ? undefined : 'DSO_ADMIN_TOKEN must be at least 24 characters long (use: openssl rand -hex 32).'),
    description: 'Bootstrap API token with platform-admin rights, for automation (`Authorization: Bearer …`). At least 24 characters.',
  }),
  oidcIssuer: httpUrl('DSO_OIDC_ISSUER', { defaultText: '(none: built-in provider)', description: 'Issuer URL of an external OpenID Connect provider (e.g. Keycloak); disables the built-in provider.' }),
  oidcClientId: text('DSO_OIDC_CLIENT_ID', { description: 'Client id registered at the external OIDC provider (required with DSO_OIDC_ISSUER).' }),
  oidcClientSecret: text('DSO_OIDC_CLIENT_SECRET', { description: 'Client secret at the external OIDC provider (omit for a public client).' }),
  oidcScopes: list('DSO_OIDC_SCOPES', { default: ['openid', 'profile', 'email', 'groups'], separator: /\s+/, description: 'Scopes requested at login (space separated).' }),
  oidcAdminGroups: parsed('DSO_OIDC_ADMIN_GROUPS', {
    default: {} as Record<string, string[]>,
    defaultText: '(none)',
    parse: (raw, problems) => {
      const groupsOf: Record<string, string[]> = {};
      for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
        const [role, groups] = pair.split('=').map((s) => s.trim());
        if (!role || !groups || !adminRoleNames.includes(role)) {
          problems.push(`DSO_OIDC_ADMIN_GROUPS entry "${pair}" must look like <role>=<group>[|<group>…] with role one of ${adminRoleNames.join(', ')}.`);
          continue;
        }
        groupsOf[role] = groups.split('|').map((g) => g.trim()).filter(Boolean);
      }
      return groupsOf;
    },
    description: 'OIDC groups mapped to admin roles, e.g. `platform-admin=dso-admins,security-officer=rssi|ssi` (`|` separates several groups).',
  }),
  sessionTtlHours: integer('DSO_SESSION_TTL_HOURS', { default: 12, min: 1, max: 24 * 30, description: 'Lifetime of a browser session.' }),
  workers: flag('DSO_WORKERS', { default: true, description: 'Run the background reconcilers in this process (`false` for API-only replicas).' }),
  catalogueDefault: flag('DSO_CATALOGUE_DEFAULT', { default: true, description: 'Seed the component catalogue shipped with the product (PostgreSQL, Redis as a chart and through the Redis operator, static site, S3 bucket) at start, checked and published; `false` leaves the catalogue to administrators.' }),
  reconcileConcurrency: integer('DSO_RECONCILE_CONCURRENCY', { default: 4, min: 1, max: 64, description: 'Projects reconciled in parallel by this process.' }),
  webDir: text('DSO_WEB_DIR', { default: './web/dist', description: 'Built console (served at /).' }),
  gitAllowedHosts: list('DSO_GIT_ALLOWED_HOSTS', { default: [], description: 'Comma-separated hosts, addresses or CIDR ranges that repository and webhook URLs may point to although they are loopback, link-local or cloud-metadata addresses (refused otherwise).' }),
  runMaxAttempts: integer('DSO_RUN_MAX_ATTEMPTS', { default: 3, min: 1, max: 20, description: 'Attempts of a chain run interrupted by a crash or a transient failure before it is marked failed.' }),
  runRetryDelaySeconds: integer('DSO_RUN_RETRY_DELAY_SECONDS', { default: 5, min: 0, max: 3600, description: 'First retry delay of a chain run; doubles at each attempt.' }),
  runConcurrency: integer('DSO_RUN_CONCURRENCY', { default: 2, min: 1, max: 64, description: 'Chain runs executed in parallel by this process.' }),
  runGlobalLimit: integer('DSO_RUN_GLOBAL_LIMIT', { default: 8, min: 1, max: 1000, description: 'Chain runs executing at once across all processes.' }),
  runProjectLimit: integer('DSO_RUN_PROJECT_LIMIT', { default: 2, min: 1, max: 1000, description: 'Chain runs of one project executing at once.' }),
  runStaleSeconds: integer('DSO_RUN_STALE_SECONDS', { default: 30, min: 1, max: 3600, description: 'A running chain run whose process gave no sign of life for this long is resumed by another one.' }),
  runLogMaxKib: integer('DSO_RUN_LOG_MAX_KIB', { default: 5120, min: 16, max: 1024 * 1024, description: 'Log kept per chain run (KiB); the rest is cut with a notice.' }),
  registryUrl: httpUrl('DSO_REGISTRY_URL', { defaultText: '(embedded: OCI layout in DSO_DATA_DIR/registry)', description: 'OCI registry (distribution API) the chain publishes images to, e.g. https://registry.example.' }),
  registryUsername: text('DSO_REGISTRY_USERNAME', { description: 'User name at DSO_REGISTRY_URL.' }),
  registryPassword: text('DSO_REGISTRY_PASSWORD', { description: 'Password or token at DSO_REGISTRY_URL.' }),
  chainRequireImage: flag('DSO_CHAIN_REQUIRE_IMAGE', { default: false, description: 'Refuse certification when no image could be built because no builder (buildah) is installed.' }),
  smtpUrl: text('DSO_SMTP_URL', { default: undefined, defaultText: '(none: no e-mail)', description: 'SMTP server for run verdict e-mails (smtp://user:pass@mail.example:587, STARTTLS when offered; smtps:// for implicit TLS on 465). Each certified, refused or failed run mails the project members allowed to start runs (owner, devops, developer) who have an address, in French then English, with the reasons and a link to the run in the console (DSO_PUBLIC_URL). Three attempts; a failure marks the notify step failed, never the verdict; the credentials never appear in logs.' }),
  smtpFrom: text('DSO_SMTP_FROM', { default: 'dso@localhost', description: 'Sender address (From) of run verdict e-mails, e.g. "DSO π <dso@ministere.example>".' }),
  nightlyRescanCron: cron('DSO_NIGHTLY_RESCAN_CRON', { default: '0 2 * * *', description: 'When the last certified revision of every repository is scanned again (cron, UTC).' }),
  derogationMaxDays: integer('DSO_DEROGATION_MAX_DAYS', { default: 365, min: 1, max: 3650, description: 'Longest derogation a team may request or a security officer may grant, in days from the request.' }),
  coverageMinimum: integer('DSO_COVERAGE_MINIMUM', { default: policy.coverageMinimumPercent, min: 0, max: 100, description: 'Minimum back-end line coverage (percent) for EX10 and EX27; without a coverage report they are "awaiting evidence".' }),
  advisoryMaxAgeDays: integer('DSO_ADVISORIES_MAX_AGE_DAYS', { default: policy.advisoryMaxAgeDays, min: 1, max: 365, description: 'Advisory data older than this (days since its last sync or import; the shipped default set counts from its snapshot date) is a gate reason: vulnerabilities are "not evaluated" (`advisories-stale`, warns unless DSO_EVALUATION_POLICY says advisories=block), and EX12/EX58 are "awaiting evidence" until a run against fresher data. Also read by `dso check`.' }),
  advisoryMaxAgeDaysDeprecated: parsed<number | undefined>('DSO_ADVISORY_MAX_AGE_DAYS', {
    default: undefined,
    defaultText: '(none)',
    parse: (raw, problems) => {
      const n = Number(raw);
      if (Number.isInteger(n) && n >= 1 && n <= 365) return n;
      problems.push(`DSO_ADVISORY_MAX_AGE_DAYS="${raw}" must be a whole number between 1 and 365.`);
      return undefined;
    },
    description: 'Deprecated spelling of DSO_ADVISORIES_MAX_AGE_DAYS, still read when the new name is not set.',
  }),
  advisoriesUrl: httpUrl('DSO_ADVISORIES_URL', { defaultText: '(none: no sync)', description: 'OSV mirror the server syncs advisories from, in osv.dev\'s bucket layout (`<ecosystem>/all.zip`, and `<ecosystem>/modified_id.csv` with `<ecosystem>/<id>.json` for record-by-record updates), e.g. `https://osv-vulnerabilities.storage.googleapis.com` or an internal mirror. Operator configuration: trusted, not subject to the URL policy. See docs/advisories.md.' }),
  advisoriesCron: cron('DSO_ADVISORIES_CRON', { default: '30 * * * *', description: 'When worker processes sync DSO_ADVISORIES_URL (cron, UTC); a worker whose data is behind the schedule also syncs at start.' }),
  advisoriesEcosystems: list('DSO_ADVISORIES_ECOSYSTEMS', { default: ['npm', 'PyPI', 'Go', 'Maven', 'NuGet', 'crates.io', 'Packagist', 'RubyGems'], max: 100, description: 'OSV ecosystems synced from DSO_ADVISORIES_URL, comma separated, as osv.dev names them (folder names of the bucket).' }),
  evaluationPolicy: parsed<EvaluationPolicy>('DSO_EVALUATION_POLICY', {
    default: defaultEvaluationPolicy,
    defaultText: 'manifest=block,chart=block,overlay=block,dependency=warn,advisories=warn,unknown-severity=block',
    parse: (raw, problems) => {
      const parsedPolicy = parsePlatformEvaluationPolicy(raw);
      problems.push(...parsedPolicy.problems);
      return parsedPolicy.policy;
    },
    description: 'What a criterion that could not be fully evaluated does to the gate, per kind (`block` or `warn`; `unknown-severity` also takes `ignore`). Projects may change an entry in `.dso.yml` (`evaluation:`) unless it ends with `!` (e.g. `chart=block!`), which the platform enforces. Unlisted kinds keep their default. Also read by `dso check`.',
  }),
  mavenRepository: text('DSO_MAVEN_REPOSITORY', { defaultText: '~/.m2/repository', description: 'Local Maven repository read for parent POMs and BOMs when a pom.xml is checked (by the chain and `dso check`). When `mvn` is installed, what stays unresolved is asked of it (offline; online too with DSO_MAVEN_ONLINE=true).' }),
  mavenCommand: text('DSO_MAVEN_COMMAND', { default: 'mvn', description: 'The `mvn` asked for Maven parents and BOMs the local repository lacks (a name looked up in PATH, or a path); `none` never runs it. Not installed: those stay unresolved, and are said. Also read by `dso check`.' }),
  mavenOnline: flag('DSO_MAVEN_ONLINE', { default: false, description: '`true` lets `mvn` fetch parent POMs and BOMs missing from the local repository from its configured repositories (a ministry\'s Nexus/Artifactory mirror in ~/.m2/settings.xml); offline otherwise. Also read by `dso check`.' }),
  forgePushMaxAgeDays: integer('DSO_FORGE_PUSH_MAX_AGE_DAYS', { default: policy.forgePushMaxAgeDays, min: 1, max: 365, description: 'A push webhook from the team\'s forge must have started a run within this many days (EX5).' }),
  feedbackMaxAgeDays: integer('DSO_FEEDBACK_MAX_AGE_DAYS', { default: policy.feedbackMaxAgeDays, min: 1, max: 365, description: 'A notification webhook delivery must have succeeded within this many days, and the last one must not have failed (EX16).' }),
  deliveryWindowDays: integer('DSO_DELIVERY_WINDOW_DAYS', { default: policy.delivery.windowDays, min: 7, max: 365, description: 'Window of the delivery measures (DORA: deployments, lead time) shown on the project page and judged for EX17.' }),
  deliveryMinDeployments: integer('DSO_DELIVERY_MIN_DEPLOYMENTS', { default: policy.delivery.minDeployments, min: 0, max: 10_000, description: 'Fewest deployments in the window for EX17.' }),
  deliveryMaxLeadTimeHours: integer('DSO_DELIVERY_MAX_LEAD_TIME_HOURS', { default: policy.delivery.maxLeadTimeHours, min: 1, max: 24 * 365, description: 'Longest median lead time, first run of a revision → its deployment, for EX17.' }),
  deliveryMaxChangeLines: integer('DSO_DELIVERY_MAX_CHANGE_LINES', { default: policy.delivery.maxChangeLines, min: 1, max: 10_000_000, description: 'Largest median change size (lines added and deleted since the revision the environment ran before) of the deployments in the window, for EX17.' }),
  startMaxSeconds: integer('DSO_START_MAX_SECONDS', { default: policy.startMaxSeconds, min: 1, max: 3600, description: 'Longest time from start to ready (the port or readiness path answers) of the image the chain built and started in the sandbox (EX51).' }),
  stopMaxSeconds: integer('DSO_STOP_MAX_SECONDS', { default: policy.stopMaxSeconds, min: 1, max: 3600, description: 'Longest time from SIGTERM to a clean exit of the image the chain built and started in the sandbox (EX50).' }),
  approvedLanguages: list('DSO_APPROVED_LANGUAGES', { default: policy.approvedLanguages, max: 200, description: 'Programming languages the administrators approve (EX24), comma separated; ids as in docs/evidence.md.' }),
  oidcFederations: list('DSO_OIDC_FEDERATIONS', { default: policy.oidcIssuers, max: 200, description: 'Issuer URLs of the official identity federations applications may use (EX56: staff SSO, FranceConnect…), comma separated.' }),
  gatewayClasses: list('DSO_GATEWAY_CLASSES', { default: policy.gatewayClasses, max: 200, description: 'Ingress classes and Gateway names of the platform\'s API management (EX44), comma separated.' }),
  objectStorageEndpoints: list('DSO_OBJECT_STORAGE_ENDPOINTS', { default: policy.objectStorageEndpoints, max: 200, description: 'URL prefixes of the platform\'s object storage that backups must target (EX7, EX33, EX40), e.g. `s3://backups,https://s3.example`.' }),
  encryptionKeyPrevious: text('DSO_ENCRYPTION_KEY_PREVIOUS', { description: 'Old key read by `dso secrets rotate-key` only: every sealed value is re-encrypted from it to DSO_ENCRYPTION_KEY.' }),
  gitReplication: parsed<'database' | 'local' | undefined>('DSO_GIT_REPLICATION', {
    default: undefined,
    defaultText: 'database with DATABASE_URL, local otherwise',
    parse: (raw, problems) => {
      if (raw === 'database' || raw === 'local') return raw;
      problems.push(`DSO_GIT_REPLICATION="${raw}" must be database or local.`);
      return 'local';
    },
    description: '`database`: mirrors, hosted repositories and the embedded GitOps repository are recorded in PostgreSQL, so any replica serves any repository and resumes any run without a shared disk; `local`: the data folder is their only copy (one replica, or a shared ReadWriteMany volume).',
  }),
  gitopsUrl: httpUrl('DSO_GITOPS_URL', { defaultText: '(none: embedded at /git/_platform/gitops.git)', description: 'External GitOps repository (https URL, e.g. on GitLab) the console pushes each GitOps commit to; ArgoCD then pulls from it.' }),
  gitopsToken: text('DSO_GITOPS_TOKEN', { description: 'Token allowed to push to DSO_GITOPS_URL.' }),
  argocdUrl: httpUrl('DSO_ARGOCD_URL', { defaultText: '(none: status is the GitOps commit)', description: 'ArgoCD API URL; with DSO_ARGOCD_TOKEN, the sync and health of each environment\'s Application are read back.' }),
  argocdToken: text('DSO_ARGOCD_TOKEN', { description: 'ArgoCD API token (read access to applications).' }),
  chartRepositoryUrl: text('DSO_CHART_REPOSITORY_URL', {
    defaultText: '(none: remote chart dependencies are not evaluated)',
    valid: (raw) => (/^(https?|oci):\/\/[^\s/]+/.test(raw) ? undefined : `DSO_CHART_REPOSITORY_URL="${raw}" must be an https://, http:// or oci:// chart repository URL.`),
    description: 'Helm chart repository (https:// or oci:// URL, e.g. a Harbor or Nexus proxy of the public repositories) that remote dependencies of the charts `dso check` renders are fetched from; charts whose remote dependencies are not vendored under charts/ are otherwise not evaluated and refuse certification.',
  }),
  pgliteTemplateDir: text('DSO_PGLITE_TEMPLATE_DIR', { defaultText: './node_modules/.cache/dso-pi', description: 'Where the migrated embedded-database template is cached; new data folders start from it instead of running initdb. Bake it into images by starting once at build time.' }),
  sandbox: choice('DSO_SANDBOX', { values: ['bubblewrap', 'none'], default: 'bubblewrap', description: 'Where repositories\' test commands and image builds run: `bubblewrap` (each in its own bwrap sandbox: its copy of the checkout, a private /tmp, the system read-only, no network, nothing of the data folder or of other runs; when bwrap cannot start, test commands are not run and the run says why) or `none` (host processes seeing the host\'s files: development machines only, a warning at start, refused with NODE_ENV=production).' }),
  sandboxToolchains: list('DSO_SANDBOX_TOOLCHAINS', { default: [], defaultText: '(none: /usr only)', description: 'Comma-separated absolute host folders mounted read-only in the sandbox besides /usr, e.g. `/opt/java/jdk-21,/opt/node-22` (toolchains installed outside /usr). Never /, the data folder, /home, /root, /var, /tmp or /etc.' }),
  allowUnsafe: flag('DSO_ALLOW_UNSAFE', { default: false, description: 'Allow unsafe defaults in production (built-in identity provider, generated encryption key). For demonstrations only.' }),
};
