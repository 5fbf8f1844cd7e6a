// Synthetic credentials in the published formats of each provider, and look-alikes of each (placeholders, test
// keys, truncated or repetitive values, references to variables, hashes): what bench:planted plants in realistic
// files, and what the secret rules' pages show as examples. Everything is generated from a seeded random source, so
// no real credential is ever involved and a run can be replayed. Written from the providers' documented formats,
// independently of the detectors (a shared mistake would hide itself).

export type Random = () => number;

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = LOWER + UPPER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

function draw(r: Random, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}
const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const between = (r: Random, low: number, high: number) => low + Math.floor(r() * (high - low + 1));
const uuid = (r: Random) => `${draw(r, HEX, 8)}-${draw(r, HEX, 4)}-4${draw(r, HEX, 3)}-a${draw(r, HEX, 3)}-${draw(r, HEX, 12)}`;
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

export interface SecretFormat {
  /** The rule that must find it. */
  rule: string;
  /** Provider family, for the per-family figures. */
  family: 'keys' | 'cloud' | 'forges' | 'messaging' | 'payment' | 'ai' | 'registries' | 'observability' | 'saas' | 'generic';
  provider: string;
  /** The variable name it is assigned to in generated files (labelled formats need the provider's name here). */
  name: string;
  make(r: Random): string;
  /** Something that looks like it and is not a live secret. */
  lookAlike(r: Random): string;
  /** The value is a whole file or block (PEM, JSON key file), planted as it is. */
  block?: boolean;
}

/** The usual look-alikes of a prefixed token: documentation filler, a truncated copy, a variable reference. */
function prefixedLookAlike(prefix: string, length: number, name: string): (r: Random) => string {
  return (r) =>
    pick(r, [
      () => prefix + 'x'.repeat(length),
      () => prefix + draw(r, ALNUM, 4) + '*'.repeat(length - 4), // masked, as in logs and screenshots
      () => `\${${name}}`,
      () => prefix + '<your-token>',
      () => prefix + '0123456789abcdefghijklmnopqrstuvwxyz'.repeat(4).slice(0, length),
    ])();
}

function prefixed(rule: string, family: SecretFormat['family'], provider: string, name: string, prefix: string | string[], body: (r: Random) => string, bodyLength: number): SecretFormat {
  const prefixes = typeof prefix === 'string' ? [prefix] : prefix;
  return {
    rule,
    family,
    provider,
    name,
    make: (r) => pick(r, prefixes) + body(r),
    lookAlike: (r) => prefixedLookAlike(pick(r, prefixes), bodyLength, name)(r),
  };
}

function pem(r: Random, kind: string): string {
  const lines = Array.from({ length: between(r, 6, 12) }, () => draw(r, B64, 64));
  return `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n${draw(r, B64, 20)}==\n-----END ${kind}PRIVATE KEY-----`;
}

export const secretFormats: readonly SecretFormat[] = [
  // Keys
  {
    rule: 'secrets.private-key', family: 'keys', provider: 'PEM private key', name: 'TLS_KEY', block: true,
    make: (r) => pem(r, pick(r, ['RSA ', 'EC ', '', 'OPENSSH ', 'DSA ', 'ENCRYPTED '])),
    lookAlike: (r) => pick(r, ['-----BEGIN PUBLIC KEY-----\n' + draw(r, B64, 64) + '\n-----END PUBLIC KEY-----', 'Paste your key after -----BEGIN RSA PRIVATE KEY----- and keep the END line.', '-----BEGIN CERTIFICATE-----\n' + draw(r, B64, 64) + '\n-----END CERTIFICATE-----']),
  },
  {
    rule: 'secrets.private-key', family: 'keys', provider: 'PuTTY private key', name: 'PPK', block: true,
    make: (r) => `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy@ci\nPublic-Lines: 2\n${draw(r, B64, 64)}\n${draw(r, B64, 20)}\nPrivate-Lines: 1\n${draw(r, B64, 44)}\nPrivate-MAC: ${draw(r, HEX, 64)}`,
    lookAlike: () => 'Save the key with PuTTYgen as a .ppk file (PuTTY-User-Key-File-3 format).',
  },
  {
    rule: 'secrets.private-key', family: 'keys', provider: 'age secret key', name: 'AGE_KEY',
    make: (r) => `AGE-SECRET-KEY-1${draw(r, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`,
    lookAlike: (r) => `age1${draw(r, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}`, // the public recipient
  },
  {
    rule: 'secrets.raw-private-key', family: 'keys', provider: 'secp256k1 private key', name: 'DEPLOYER_PRIVATE_KEY',
    make: (r) => `0x${draw(r, HEX, 64)}`,
    lookAlike: (r) => pick(r, [`0x${'0'.repeat(64)}`, 'your-private-key-here', '${DEPLOYER_PRIVATE_KEY}', `0x${draw(r, HEX, 8)}...`]),
  },
  // Cloud
  {
    rule: 'secrets.aws-access-key-id', family: 'cloud', provider: 'AWS', name: 'AWS_ACCESS_KEY_ID',
    make: (r) => pick(r, ['AKIA', 'ASIA']) + draw(r, UPPER + '234567', 16),
    lookAlike: (r) => pick(r, ['AKIAIOSFODNN7EXAMPLE', `AKIA${draw(r, UPPER, 10)}`, '${AWS_ACCESS_KEY_ID}', `AIDA${draw(r, UPPER + '234567', 16).toLowerCase()}`]),
  },
  {
    rule: 'secrets.aws-secret-access-key', family: 'cloud', provider: 'AWS', name: 'AWS_SECRET_ACCESS_KEY',
    make: (r) => draw(r, ALNUM + '/+', 40),
    lookAlike: (r) => pick(r, ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '${AWS_SECRET_ACCESS_KEY}', 'x'.repeat(40), draw(r, LOWER, 40)]),
  },
  {
    rule: 'secrets.gcp-service-account-key', family: 'cloud', provider: 'Google Cloud', name: 'GOOGLE_CREDENTIALS', block: true,
    make: (r) =>
      JSON.stringify(
        {
          type: 'service_account', project_id: `demo-${draw(r, LOWER, 6)}`, private_key_id: draw(r, HEX, 40),
          private_key: `-----BEGIN PRIVATE KEY-----\n${draw(r, B64, 64)}\n${draw(r, B64, 64)}\n-----END PRIVATE KEY-----\n`,
          client_email: `ci@demo.iam.gserviceaccount.com`, client_id: draw(r, DIGITS, 21),
        },
        null,
        2,
      ),
    lookAlike: () => JSON.stringify({ type: 'service_account', project_id: 'demo', private_key_id: '', private_key: '', client_email: 'ci@demo.iam.gserviceaccount.com' }, null, 2),
  },
  prefixed('secrets.google-api-key', 'cloud', 'Google', 'GOOGLE_MAPS_API_KEY', 'AIza', (r) => draw(r, URLSAFE, 35), 35),
  prefixed('secrets.google-oauth-client-secret', 'cloud', 'Google', 'GOOGLE_CLIENT_SECRET', 'GOCSPX-', (r) => draw(r, URLSAFE, 28), 28),
  {
    rule: 'secrets.azure-storage-key', family: 'cloud', provider: 'Azure', name: 'AZURE_STORAGE_CONNECTION_STRING',
    make: (r) => `DefaultEndpointsProtocol=https;AccountName=${draw(r, LOWER, 10)};AccountKey=${draw(r, B64, 86)}==;EndpointSuffix=core.windows.net`,
    lookAlike: () => 'DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=<account-key>;EndpointSuffix=core.windows.net',
  },
  {
    rule: 'secrets.azure-storage-key', family: 'cloud', provider: 'Azure', name: 'SERVICEBUS_CONNECTION',
    make: (r) => `Endpoint=sb://${draw(r, LOWER, 8)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${draw(r, B64, 42)}${pick(r, ['A', 'E', 'Q', 'g', 'w', '0'])}=`,
    lookAlike: () => 'Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${SB_KEY}',
  },
  {
    rule: 'secrets.azure-client-secret', family: 'cloud', provider: 'Azure', name: 'AZURE_CLIENT_SECRET',
    make: (r) => `${draw(r, ALNUM, 3)}${draw(r, DIGITS, 1)}Q~${draw(r, ALNUM + '_~.-', 34)}`,
    lookAlike: (r) => pick(r, ['${AZURE_CLIENT_SECRET}', `${draw(r, ALNUM, 3)}8Q~`, '<client-secret-value>']),
  },
  // Forges
  prefixed('secrets.github-token', 'forges', 'GitHub', 'GITHUB_TOKEN', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], (r) => draw(r, ALNUM, 36), 36),
  prefixed('secrets.github-token', 'forges', 'GitHub', 'GH_PAT', 'github_pat_', (r) => `${draw(r, ALNUM, 22)}_${draw(r, ALNUM, 59)}`, 82),
  prefixed('secrets.gitlab-token', 'forges', 'GitLab', 'GITLAB_TOKEN', ['glpat-', 'gldt-', 'glrt-', 'glsoat-', 'glft-', 'glcbt-1_', 'glimt-', 'gloas-'], (r) => draw(r, URLSAFE, 20), 20),
  prefixed('secrets.gitlab-token', 'forges', 'GitLab', 'CI_TRIGGER_TOKEN', 'glptt-', (r) => draw(r, HEX, 40), 40),
  prefixed('secrets.gitlab-token', 'forges', 'GitLab', 'RUNNER_REGISTRATION_TOKEN', 'GR1348941', (r) => draw(r, URLSAFE, 20), 20),
  prefixed('secrets.bitbucket-token', 'forges', 'Bitbucket', 'BITBUCKET_APP_PASSWORD', 'ATBB', (r) => draw(r, ALNUM, 32), 32),
  prefixed('secrets.atlassian-api-token', 'forges', 'Atlassian', 'JIRA_API_TOKEN', 'ATATT3xFfGF0', (r) => `${draw(r, URLSAFE, 170)}=${draw(r, HEX.toUpperCase(), 8)}`, 170),
  // Messaging
  prefixed('secrets.slack-token', 'messaging', 'Slack', 'SLACK_BOT_TOKEN', ['xoxb-', 'xoxp-'], (r) => `${draw(r, DIGITS, 12)}-${draw(r, DIGITS, 12)}-${draw(r, ALNUM, 24)}`, 50),
  prefixed('secrets.slack-token', 'messaging', 'Slack', 'SLACK_APP_TOKEN', 'xapp-', (r) => `1-A${draw(r, UPPER + DIGITS, 10)}-${draw(r, DIGITS, 13)}-${draw(r, HEX, 64)}`, 80),
  {
    rule: 'secrets.slack-token', family: 'messaging', provider: 'Slack', name: 'SLACK_WEBHOOK_URL',
    make: (r) => `https://hooks.slack.com/services/T${draw(r, UPPER + DIGITS, 8)}/B${draw(r, UPPER + DIGITS, 10)}/${draw(r, ALNUM, 24)}`,
    lookAlike: () => 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  },
  {
    rule: 'secrets.discord-token', family: 'messaging', provider: 'Discord', name: 'DISCORD_WEBHOOK_URL',
    make: (r) => `https://discord.com/api/webhooks/${draw(r, DIGITS, 18)}/${draw(r, URLSAFE, 68)}`,
    lookAlike: (r) => `https://discord.com/api/webhooks/${draw(r, DIGITS, 18)}/<token>`,
  },
  {
    rule: 'secrets.discord-token', family: 'messaging', provider: 'Discord', name: 'DISCORD_BOT_TOKEN',
    make: (r) => `M${draw(r, ALNUM, 25)}.${draw(r, URLSAFE, 6)}.${draw(r, URLSAFE, 38)}`,
    lookAlike: () => '${DISCORD_BOT_TOKEN}',
  },
  {
    rule: 'secrets.teams-webhook', family: 'messaging', provider: 'Microsoft Teams', name: 'TEAMS_WEBHOOK_URL',
    make: (r) => `https://contoso.webhook.office.com/webhookb2/${uuid(r)}@${uuid(r)}/IncomingWebhook/${draw(r, HEX, 32)}/${uuid(r)}`,
    lookAlike: () => 'https://contoso.webhook.office.com/webhookb2/<group-id>@<tenant-id>/IncomingWebhook/<id>/<connector>',
  },
  {
    rule: 'secrets.telegram-bot-token', family: 'messaging', provider: 'Telegram', name: 'TELEGRAM_BOT_TOKEN',
    make: (r) => `${draw(r, DIGITS, 10)}:AA${draw(r, URLSAFE, 33)}`,
    lookAlike: () => '123456789:your-telegram-bot-token',
  },
  // Payment
  {
    rule: 'secrets.stripe-secret-key', family: 'payment', provider: 'Stripe', name: 'STRIPE_SECRET_KEY',
    make: (r) => pick(r, ['sk_live_', 'rk_live_']) + draw(r, ALNUM, 99),
    lookAlike: (r) => pick(r, [`sk_test_${draw(r, ALNUM, 99)}`, `pk_live_${draw(r, ALNUM, 99)}`, 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', '${STRIPE_SECRET_KEY}']),
  },
  prefixed('secrets.stripe-secret-key', 'payment', 'Stripe', 'STRIPE_WEBHOOK_SECRET', 'whsec_', (r) => draw(r, ALNUM, 32), 32),
  // AI
  {
    rule: 'secrets.openai-api-key', family: 'ai', provider: 'OpenAI', name: 'OPENAI_API_KEY',
    make: (r) => `${pick(r, ['sk-proj-', 'sk-svcacct-', 'sk-admin-'])}${draw(r, URLSAFE, 74)}T3BlbkFJ${draw(r, URLSAFE, 74)}`,
    lookAlike: (r) => pick(r, ['sk-proj-...', '${OPENAI_API_KEY}', 'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', `sk-${draw(r, LOWER, 10)}`]),
  },
  prefixed('secrets.openai-api-key', 'ai', 'OpenAI', 'OPENAI_KEY', 'sk-', (r) => `${draw(r, ALNUM, 20)}T3BlbkFJ${draw(r, ALNUM, 20)}`, 48),
  prefixed('secrets.anthropic-api-key', 'ai', 'Anthropic', 'ANTHROPIC_API_KEY', ['sk-ant-api03-', 'sk-ant-admin01-'], (r) => `${draw(r, URLSAFE, 93)}AA`, 95),
  prefixed('secrets.huggingface-token', 'ai', 'Hugging Face', 'HF_TOKEN', 'hf_', (r) => draw(r, LOWER + UPPER, 34), 34),
  prefixed('secrets.ai-api-key', 'ai', 'Groq', 'GROQ_API_KEY', 'gsk_', (r) => draw(r, ALNUM, 52), 52),
  prefixed('secrets.ai-api-key', 'ai', 'Perplexity', 'PPLX_API_KEY', 'pplx-', (r) => draw(r, ALNUM, 48), 48),
  // Package registries
  prefixed('secrets.npm-token', 'registries', 'npm', 'NPM_TOKEN', 'npm_', (r) => draw(r, ALNUM, 36), 36),
  {
    rule: 'secrets.npm-token', family: 'registries', provider: 'npm', name: 'NPMRC', block: true,
    make: (r) => `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${uuid(r)}`,
    lookAlike: () => 'registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
  },
  prefixed('secrets.pypi-token', 'registries', 'PyPI', 'PYPI_TOKEN', 'pypi-AgEIcHlwaS5vcmc', (r) => draw(r, URLSAFE, 140), 140),
  prefixed('secrets.docker-hub-token', 'registries', 'Docker Hub', 'DOCKERHUB_TOKEN', 'dckr_pat_', (r) => draw(r, URLSAFE, 27), 27),
  prefixed('secrets.nuget-api-key', 'registries', 'NuGet', 'NUGET_API_KEY', 'oy2', (r) => draw(r, LOWER + DIGITS, 43), 43),
  prefixed('secrets.package-registry-token', 'registries', 'RubyGems', 'GEM_HOST_API_KEY', 'rubygems_', (r) => draw(r, HEX, 48), 48),
  // Observability
  prefixed('secrets.grafana-token', 'observability', 'Grafana', 'GRAFANA_SA_TOKEN', 'glsa_', (r) => `${draw(r, ALNUM, 32)}_${draw(r, HEX, 8)}`, 41),
  prefixed('secrets.grafana-token', 'observability', 'Grafana', 'GRAFANA_CLOUD_TOKEN', 'glc_', (r) => draw(r, ALNUM, 120), 120),
  {
    rule: 'secrets.datadog-api-key', family: 'observability', provider: 'Datadog', name: 'DD_API_KEY',
    make: (r) => draw(r, HEX, 32),
    lookAlike: (r) => pick(r, ['${DD_API_KEY}', '<DATADOG_API_KEY>', '0'.repeat(32)]),
  },
  {
    rule: 'secrets.datadog-api-key', family: 'observability', provider: 'Datadog', name: 'DATADOG_APP_KEY',
    make: (r) => draw(r, HEX, 40),
    lookAlike: () => 'your_datadog_app_key',
  },
  prefixed('secrets.sentry-token', 'observability', 'Sentry', 'SENTRY_AUTH_TOKEN', 'sntryu_', (r) => draw(r, HEX, 64), 64),
  prefixed('secrets.new-relic-key', 'observability', 'New Relic', 'NEW_RELIC_API_KEY', 'NRAK-', (r) => draw(r, UPPER + DIGITS, 27), 27),
  {
    rule: 'secrets.new-relic-key', family: 'observability', provider: 'New Relic', name: 'NEW_RELIC_LICENSE_KEY',
    make: (r) => `${draw(r, HEX, 36)}NRAL`,
    lookAlike: () => '${NEW_RELIC_LICENSE_KEY}',
  },
  // Other SaaS
  prefixed('secrets.shopify-token', 'saas', 'Shopify', 'SHOPIFY_ACCESS_TOKEN', ['shpat_', 'shpss_', 'shpca_'], (r) => draw(r, HEX, 32), 32),
  prefixed('secrets.linear-api-key', 'saas', 'Linear', 'LINEAR_API_KEY', 'lin_api_', (r) => draw(r, ALNUM, 40), 40),
  prefixed('secrets.figma-token', 'saas', 'Figma', 'FIGMA_TOKEN', 'figd_', (r) => draw(r, URLSAFE, 40), 40),
  prefixed('secrets.vercel-token', 'saas', 'Vercel', 'VERCEL_TOKEN', ['vcp_', 'vci_'], (r) => draw(r, ALNUM, 56), 56),
  {
    rule: 'secrets.cloudflare-api-token', family: 'saas', provider: 'Cloudflare', name: 'CLOUDFLARE_API_TOKEN',
    make: (r) => draw(r, URLSAFE, 40),
    lookAlike: () => '${CLOUDFLARE_API_TOKEN}',
  },
  prefixed('secrets.cloudflare-api-token', 'saas', 'Cloudflare', 'ORIGIN_CA_KEY', 'v1.0-', (r) => `${draw(r, HEX, 24)}-${draw(r, HEX, 146)}`, 171),
  {
    rule: 'secrets.1password-token', family: 'saas', provider: '1Password', name: 'OP_SERVICE_ACCOUNT_TOKEN',
    make: (r) => `ops_${b64url({ signInAddress: 'my.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: draw(r, URLSAFE, 22) }, email: `${draw(r, LOWER, 13)}@1passwordserviceaccounts.com`, srpX: draw(r, HEX, 64), muk: { alg: 'A256GCM', ext: true, k: draw(r, URLSAFE, 43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: `A3-${draw(r, UPPER + DIGITS, 6)}` }).replace(/=+$/, '')}`,
    lookAlike: () => 'ops_${OP_TOKEN}',
  },
  prefixed('secrets.tailscale-key', 'saas', 'Tailscale', 'TS_AUTHKEY', ['tskey-auth-', 'tskey-api-'], (r) => `k${draw(r, ALNUM, 11)}CNTRL-${draw(r, ALNUM, 33)}`, 46),
  prefixed('secrets.twilio-api-key', 'saas', 'Twilio', 'TWILIO_API_KEY', 'SK', (r) => draw(r, HEX, 32), 32),
  {
    rule: 'secrets.twilio-api-key', family: 'saas', provider: 'Twilio', name: 'TWILIO_AUTH_TOKEN',
    make: (r) => draw(r, HEX, 32),
    lookAlike: () => 'your_auth_token',
  },
  prefixed('secrets.sendgrid-api-key', 'saas', 'SendGrid', 'SENDGRID_API_KEY', 'SG.', (r) => `${draw(r, URLSAFE, 22)}.${draw(r, URLSAFE, 43)}`, 66),
  {
    rule: 'secrets.mailgun-api-key', family: 'saas', provider: 'Mailgun', name: 'MAILGUN_API_KEY',
    make: (r) => `key-${draw(r, HEX, 32)}`,
    lookAlike: () => 'key-your-mailgun-key',
  },
  prefixed('secrets.saas-token', 'saas', 'HashiCorp Vault', 'VAULT_TOKEN', 'hvs.', (r) => draw(r, URLSAFE, 92), 92),
  prefixed('secrets.saas-token', 'saas', 'DigitalOcean', 'DIGITALOCEAN_TOKEN', 'dop_v1_', (r) => draw(r, HEX, 64), 64),
  prefixed('secrets.saas-token', 'saas', 'Postman', 'POSTMAN_API_KEY', 'PMAK-', (r) => `${draw(r, HEX, 24)}-${draw(r, HEX, 34)}`, 59),
  prefixed('secrets.saas-token', 'saas', 'Notion', 'NOTION_TOKEN', 'ntn_', (r) => `${draw(r, DIGITS, 11)}${draw(r, ALNUM, 35)}`, 46),
  // Generic
  {
    rule: 'secrets.jwt', family: 'generic', provider: 'JWT', name: 'SERVICE_JWT',
    make: (r) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: draw(r, DIGITS, 8), name: draw(r, LOWER, 6), iat: 1700000000 + between(r, 0, 9999999) })}.${draw(r, URLSAFE, 43)}`,
    lookAlike: (r) => `${b64url({ alg: 'none' })}.${b64url({ sub: draw(r, DIGITS, 8) })}.`,
  },
  {
    rule: 'secrets.connection-string', family: 'generic', provider: 'URL credentials', name: 'DATABASE_URL',
    make: (r) => `${pick(r, ['postgres', 'mysql', 'mongodb+srv', 'redis', 'amqp', 'https', 'ftp', 'ftps'])}://${draw(r, LOWER, 6)}:${draw(r, ALNUM, 8)}${pick(r, ['!', '_', '.', '9'])}${draw(r, ALNUM, 4)}@${draw(r, LOWER, 5)}.internal:5432/app`,
    lookAlike: (r) => pick(r, ['postgres://db_user:db_password@db_service:5432/app', 'postgres://app:${DB_PASSWORD}@db:5432/app', 'https://user:pass@example.com/', 'mysql://root:<password>@localhost/app', 'https://github.com/org/app.git']),
  },
  {
    rule: 'secrets.password', family: 'generic', provider: 'Password', name: 'postgresPassword',
    make: (r) => `${pick(r, ['Password', 'Winter', 'MySupEr', 'Admin', 'Tr0ub4dor', ''])}${draw(r, ALNUM, between(r, 6, 10))}${pick(r, ['!', '#', '', '?', '2024'])}`,
    lookAlike: (r) => pick(r, ['changeme', '${POSTGRES_PASSWORD}', '{{ randAlphaNum 16 }}', '$2b$12$KIXQJm1h6pY0x5YwZ7FQ4eN8p2kq9yW1fV3cT6rL0sB4dH7jG2mOa', 'pbkdf2_sha256$260000$kGc8yPqX2cJ9$Zr3Q4hJ0v1Z7hZ4Lq2hA8n0Qd1Zk3bVf6y9Wc2Xx8Tg=', '<password>', 'Passwort', 'xxxxxxxx']),
  },
  {
    rule: 'secrets.generic-secret', family: 'generic', provider: 'Generic secret', name: 'API_SECRET',
    make: (r) => draw(r, ALNUM, between(r, 24, 48)),
    lookAlike: (r) => pick(r, ['openid-configuration:', 'app.session.secret', '${API_SECRET}', 'my-secret-name', 'your-api-secret-here']),
  },
];
