// The secret rules: one per provider or kind of credential, so a finding says what leaked and where to revoke it.
// Providers whose tokens have no rule of their own share `secrets.saas-token`; the finding's label names them.
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { secretsCatalogue } from './messages.ts';

const requirements = ['EX47', 'EX58'];

function secretRule(kind: string, severity: 'critical' | 'high', description: string): Rule {
  return { id: `secrets.${kind}`, kind: 'secret', severity, requirements, description };
}

/** Private keys and live-format cloud credentials: usable wherever they were committed, so they block everywhere. */
function blockingEverywhere(rule: Rule): Rule {
  return { ...rule, blocksEverywhere: true };
}

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const secretRules = withDescriptions({
  // Keys
  privateKey: blockingEverywhere(secretRule('private-key', 'critical', 'A private key (PEM: RSA, EC, DSA, PKCS#8, OpenSSH, PGP; PuTTY; age) is written in the code.')),
  rawPrivateKey: blockingEverywhere(secretRule('raw-private-key', 'critical', 'A raw 256-bit private key (secp256k1/Ethereum-style, 64 hex digits) is assigned to a private-key name.')),
  // Cloud
  awsAccessKeyId: blockingEverywhere(secretRule('aws-access-key-id', 'critical', 'An AWS access key id (AKIA…/ASIA…) is written in the code.')),
  awsSecretAccessKey: blockingEverywhere(secretRule('aws-secret-access-key', 'critical', 'An AWS secret access key (labelled) or a long-lived Amazon Bedrock API key is written in the code.')),
  gcpServiceAccountKey: blockingEverywhere(secretRule('gcp-service-account-key', 'critical', 'A Google Cloud service-account key file (JSON with its private key) is in the code.')),
  googleApiKey: secretRule('google-api-key', 'high', 'A Google API key (AIza…) is written in the code.'),
  googleOauthClientSecret: secretRule('google-oauth-client-secret', 'high', 'A Google OAuth client secret (GOCSPX-…) is written in the code.'),
  azureStorageKey: blockingEverywhere(secretRule('azure-storage-key', 'critical', 'An Azure storage account key or Service Bus / Event Hubs shared access key (AccountKey=…, SharedAccessKey=…) is written in the code.')),
  azureClientSecret: blockingEverywhere(secretRule('azure-client-secret', 'critical', 'A Microsoft Entra ID (Azure AD) application client secret (…Q~…) is written in the code.')),
  // Forges
  githubToken: secretRule('github-token', 'critical', 'A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) is written in the code.'),
  gitlabToken: secretRule('gitlab-token', 'critical', 'A GitLab token (glpat-, gldt-, glrt-, glptt-, glsoat-, glcbt-, GR1348941… and the other GitLab prefixes) is written in the code.'),
  bitbucketToken: secretRule('bitbucket-token', 'critical', 'A Bitbucket app password (ATBB…) or a labelled Bitbucket client secret is written in the code.'),
  atlassianApiToken: secretRule('atlassian-api-token', 'high', 'An Atlassian (Jira, Confluence) API token is written in the code.'),
  // Messaging
  slackToken: secretRule('slack-token', 'high', 'A Slack token (xoxb-, xoxp-, xoxa-, xoxe-, xapp-…) or webhook URL is written in the code.'),
  discordToken: secretRule('discord-token', 'high', 'A Discord webhook URL or a labelled Discord bot token is written in the code.'),
  teamsWebhook: secretRule('teams-webhook', 'high', 'A Microsoft Teams incoming-webhook URL is written in the code.'),
  telegramBotToken: secretRule('telegram-bot-token', 'high', 'A Telegram bot token is written in the code.'),
  // Payment
  stripeKey: secretRule('stripe-secret-key', 'critical', 'A live Stripe secret or restricted key (sk_live_, rk_live_) or a webhook signing secret (whsec_) is written in the code.'),
  // AI
  openaiApiKey: secretRule('openai-api-key', 'high', 'An OpenAI API key (sk-proj-…, sk-svcacct-…, sk-admin-…, legacy sk-…T3BlbkFJ…) is written in the code.'),
  anthropicApiKey: secretRule('anthropic-api-key', 'high', 'An Anthropic API key (sk-ant-api03-…, sk-ant-admin01-…) is written in the code.'),
  huggingfaceToken: secretRule('huggingface-token', 'high', 'A Hugging Face access token (hf_…, api_org_…) is written in the code.'),
  aiApiKey: secretRule('ai-api-key', 'high', 'An API key of an AI provider (Groq gsk_, Perplexity pplx-, Replicate r8_, labelled Cohere or Mistral keys) is written in the code.'),
  // Package registries
  npmToken: secretRule('npm-token', 'critical', 'An npm access token (npm_…) or a literal _authToken in .npmrc is written in the code.'),
  pypiToken: secretRule('pypi-token', 'critical', 'A PyPI upload token (pypi-AgEI…) is written in the code.'),
  dockerHubToken: secretRule('docker-hub-token', 'critical', 'A Docker Hub access token (dckr_pat_, dckr_oat_) or a registry password in a Docker config.json is written in the code.'),
  nugetApiKey: secretRule('nuget-api-key', 'critical', 'A NuGet API key (oy2…) or a clear-text NuGet feed password is written in the code.'),
  packageRegistryToken: secretRule('package-registry-token', 'critical', 'A token of another package registry (RubyGems, Clojars, JFrog Artifactory) is written in the code.'),
  // Observability
  grafanaToken: secretRule('grafana-token', 'high', 'A Grafana token (glc_, glsa_, eyJrIjoi…) is written in the code.'),
  datadogApiKey: secretRule('datadog-api-key', 'high', 'A labelled Datadog API or application key is written in the code.'),
  sentryToken: secretRule('sentry-token', 'high', 'A Sentry auth token (sntrys_, sntryu_) is written in the code.'),
  newRelicKey: secretRule('new-relic-key', 'high', 'A New Relic key (NRAK-, NRII-, NRJS-, labelled license key) is written in the code.'),
  // Other SaaS
  shopifyToken: secretRule('shopify-token', 'high', 'A Shopify access token or shared secret (shpat_, shpca_, shppa_, shpss_) is written in the code.'),
  linearApiKey: secretRule('linear-api-key', 'high', 'A Linear API key (lin_api_…) is written in the code.'),
  figmaToken: secretRule('figma-token', 'high', 'A Figma personal access token (figd_…) is written in the code.'),
  vercelToken: secretRule('vercel-token', 'high', 'A Vercel token (vcp_, vci_, vca_, vcr_, vck_) is written in the code.'),
  cloudflareApiToken: secretRule('cloudflare-api-token', 'high', 'A Cloudflare origin CA key or a labelled Cloudflare API token or global API key is written in the code.'),
  onePasswordToken: secretRule('1password-token', 'critical', 'A 1Password service-account token (ops_eyJ…) or account secret key (A3-…) is written in the code.'),
  tailscaleKey: secretRule('tailscale-key', 'high', 'A Tailscale key (tskey-auth-, tskey-api-, tskey-client-…) is written in the code.'),
  twilioKey: secretRule('twilio-api-key', 'high', 'A Twilio API key (SK + 32 hex digits) or a labelled Twilio auth token is written in the code.'),
  sendgridKey: secretRule('sendgrid-api-key', 'high', 'A SendGrid API key (SG.…) is written in the code.'),
  mailgunKey: secretRule('mailgun-api-key', 'high', 'A Mailgun API or signing key (key-…, labelled) is written in the code.'),
  saasToken: secretRule('saas-token', 'high', 'A token of another service with a recognisable format (HashiCorp Vault, Terraform Cloud, DigitalOcean, Heroku, Databricks, Doppler, Postman, Notion, Dynatrace…) is written in the code.'),
  // Generic
  jwt: secretRule('jwt', 'high', 'A signed JSON Web Token is written in the code.'),
  connectionString: secretRule('connection-string', 'high', 'A URL or connection string carries a literal password (scheme://user:password@host, JDBC, ADO.NET password=…).'),
  password: secretRule('password', 'high', 'A literal password is assigned to a password-like name in code or configuration (YAML, JSON, .properties, .env, TOML, XML, INI).'),
  genericSecret: secretRule('generic-secret', 'high', 'A high-entropy literal is assigned to a secret-like name (secret, token, api key…).'),
} as const satisfies Record<string, Rule>, secretsCatalogue);

export const allSecretRules: readonly Rule[] = Object.values(secretRules);
