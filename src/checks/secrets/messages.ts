// The secrets checker's message catalogue: each rule's description and its finding message, French and English.
// A finding names what leaked (the detector's label, in both languages) and shows the value masked.
import { message, say, type Catalogue } from '../localise.ts';
import type { CataloguedMessage } from '../model.ts';

/** The one message of every secret rule: what leaked, masked, and what to do. */
const found = message<{ what: string; quoi: string; masked: string }>(
  (p) => `${p.quoi} : ${p.masked}. Révoquez-le, puis lisez-le depuis le coffre de secrets au moment de l’exécution.`,
  (p) => `${p.what}: ${p.masked}. Revoke it, then read it from the secret store at run time.`,
);

const descriptions: Record<string, { fr: string; en: string }> = {
  'secrets.private-key': {
    fr: 'Une clé privée (PEM : RSA, EC, DSA, PKCS#8, OpenSSH, PGP ; PuTTY ; age) est écrite dans le code.',
    en: 'A private key (PEM: RSA, EC, DSA, PKCS#8, OpenSSH, PGP; PuTTY; age) is written in the code.',
  },
  'secrets.raw-private-key': {
    fr: 'Une clé privée brute de 256 bits (secp256k1, style Ethereum, 64 chiffres hexadécimaux) est affectée à un nom de clé privée.',
    en: 'A raw 256-bit private key (secp256k1/Ethereum-style, 64 hex digits) is assigned to a private-key name.',
  },
  'secrets.aws-access-key-id': {
    fr: 'Un identifiant de clé d’accès AWS (AKIA…/ASIA…) est écrit dans le code.',
    en: 'An AWS access key id (AKIA…/ASIA…) is written in the code.',
  },
  'secrets.aws-secret-access-key': {
    fr: 'Une clé d’accès secrète AWS (nommée comme telle) ou une clé d’API Amazon Bedrock longue durée est écrite dans le code.',
    en: 'An AWS secret access key (labelled) or a long-lived Amazon Bedrock API key is written in the code.',
  },
  'secrets.gcp-service-account-key': {
    fr: 'Un fichier de clé de compte de service Google Cloud (JSON avec sa clé privée) est dans le code.',
    en: 'A Google Cloud service-account key file (JSON with its private key) is in the code.',
  },
  'secrets.google-api-key': {
    fr: 'Une clé d’API Google (AIza…) est écrite dans le code.',
    en: 'A Google API key (AIza…) is written in the code.',
  },
  'secrets.google-oauth-client-secret': {
    fr: 'Un secret client OAuth Google (GOCSPX-…) est écrit dans le code.',
    en: 'A Google OAuth client secret (GOCSPX-…) is written in the code.',
  },
  'secrets.azure-storage-key': {
    fr: 'Une clé de compte de stockage Azure ou une clé d’accès partagé Service Bus / Event Hubs (AccountKey=…, SharedAccessKey=…) est écrite dans le code.',
    en: 'An Azure storage account key or Service Bus / Event Hubs shared access key (AccountKey=…, SharedAccessKey=…) is written in the code.',
  },
  'secrets.azure-client-secret': {
    fr: 'Un secret client d’application Microsoft Entra ID (Azure AD) (…Q~…) est écrit dans le code.',
    en: 'A Microsoft Entra ID (Azure AD) application client secret (…Q~…) is written in the code.',
  },
  'secrets.github-token': {
    fr: 'Un jeton GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) est écrit dans le code.',
    en: 'A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) is written in the code.',
  },
  'secrets.gitlab-token': {
    fr: 'Un jeton GitLab (glpat-, gldt-, glrt-, glptt-, glsoat-, glcbt-, GR1348941… et les autres préfixes GitLab) est écrit dans le code.',
    en: 'A GitLab token (glpat-, gldt-, glrt-, glptt-, glsoat-, glcbt-, GR1348941… and the other GitLab prefixes) is written in the code.',
  },
  'secrets.bitbucket-token': {
    fr: 'Un mot de passe d’application Bitbucket (ATBB…) ou un secret client Bitbucket nommé comme tel est écrit dans le code.',
    en: 'A Bitbucket app password (ATBB…) or a labelled Bitbucket client secret is written in the code.',
  },
  'secrets.atlassian-api-token': {
    fr: 'Un jeton d’API Atlassian (Jira, Confluence) est écrit dans le code.',
    en: 'An Atlassian (Jira, Confluence) API token is written in the code.',
  },
  'secrets.slack-token': {
    fr: 'Un jeton Slack (xoxb-, xoxp-, xoxa-, xoxe-, xapp-…) ou une URL de webhook Slack est écrit dans le code.',
    en: 'A Slack token (xoxb-, xoxp-, xoxa-, xoxe-, xapp-…) or webhook URL is written in the code.',
  },
  'secrets.discord-token': {
    fr: 'Une URL de webhook Discord ou un jeton de bot Discord nommé comme tel est écrit dans le code.',
    en: 'A Discord webhook URL or a labelled Discord bot token is written in the code.',
  },
  'secrets.teams-webhook': {
    fr: 'Une URL de webhook entrant Microsoft Teams est écrite dans le code.',
    en: 'A Microsoft Teams incoming-webhook URL is written in the code.',
  },
  'secrets.telegram-bot-token': {
    fr: 'Un jeton de bot Telegram est écrit dans le code.',
    en: 'A Telegram bot token is written in the code.',
  },
  'secrets.stripe-secret-key': {
    fr: 'Une clé secrète ou restreinte Stripe de production (sk_live_, rk_live_) ou un secret de signature de webhook (whsec_) est écrit dans le code.',
    en: 'A live Stripe secret or restricted key (sk_live_, rk_live_) or a webhook signing secret (whsec_) is written in the code.',
  },
  'secrets.openai-api-key': {
    fr: 'Une clé d’API OpenAI (sk-proj-…, sk-svcacct-…, sk-admin-…, ancienne forme sk-…T3BlbkFJ…) est écrite dans le code.',
    en: 'An OpenAI API key (sk-proj-…, sk-svcacct-…, sk-admin-…, legacy sk-…T3BlbkFJ…) is written in the code.',
  },
  'secrets.anthropic-api-key': {
    fr: 'Une clé d’API Anthropic (sk-ant-api03-…, sk-ant-admin01-…) est écrite dans le code.',
    en: 'An Anthropic API key (sk-ant-api03-…, sk-ant-admin01-…) is written in the code.',
  },
  'secrets.huggingface-token': {
    fr: 'Un jeton d’accès Hugging Face (hf_…, api_org_…) est écrit dans le code.',
    en: 'A Hugging Face access token (hf_…, api_org_…) is written in the code.',
  },
  'secrets.ai-api-key': {
    fr: 'Une clé d’API d’un fournisseur d’IA (Groq gsk_, Perplexity pplx-, Replicate r8_, clés Cohere ou Mistral nommées comme telles) est écrite dans le code.',
    en: 'An API key of an AI provider (Groq gsk_, Perplexity pplx-, Replicate r8_, labelled Cohere or Mistral keys) is written in the code.',
  },
  'secrets.npm-token': {
    fr: 'Un jeton d’accès npm (npm_…) ou un _authToken littéral dans .npmrc est écrit dans le code.',
    en: 'An npm access token (npm_…) or a literal _authToken in .npmrc is written in the code.',
  },
  'secrets.pypi-token': {
    fr: 'Un jeton de publication PyPI (pypi-AgEI…) est écrit dans le code.',
    en: 'A PyPI upload token (pypi-AgEI…) is written in the code.',
  },
  'secrets.docker-hub-token': {
    fr: 'Un jeton d’accès Docker Hub (dckr_pat_, dckr_oat_) ou un mot de passe de registre dans un config.json Docker est écrit dans le code.',
    en: 'A Docker Hub access token (dckr_pat_, dckr_oat_) or a registry password in a Docker config.json is written in the code.',
  },
  'secrets.nuget-api-key': {
    fr: 'Une clé d’API NuGet (oy2…) ou un mot de passe de flux NuGet en clair est écrit dans le code.',
    en: 'A NuGet API key (oy2…) or a clear-text NuGet feed password is written in the code.',
  },
  'secrets.package-registry-token': {
    fr: 'Un jeton d’un autre registre de paquets (RubyGems, Clojars, JFrog Artifactory) est écrit dans le code.',
    en: 'A token of another package registry (RubyGems, Clojars, JFrog Artifactory) is written in the code.',
  },
  'secrets.grafana-token': {
    fr: 'Un jeton Grafana (glc_, glsa_, eyJrIjoi…) est écrit dans le code.',
    en: 'A Grafana token (glc_, glsa_, eyJrIjoi…) is written in the code.',
  },
  'secrets.datadog-api-key': {
    fr: 'Une clé d’API ou d’application Datadog nommée comme telle est écrite dans le code.',
    en: 'A labelled Datadog API or application key is written in the code.',
  },
  'secrets.sentry-token': {
    fr: 'Un jeton d’authentification Sentry (sntrys_, sntryu_) est écrit dans le code.',
    en: 'A Sentry auth token (sntrys_, sntryu_) is written in the code.',
  },
  'secrets.new-relic-key': {
    fr: 'Une clé New Relic (NRAK-, NRII-, NRJS-, clé de licence nommée comme telle) est écrite dans le code.',
    en: 'A New Relic key (NRAK-, NRII-, NRJS-, labelled license key) is written in the code.',
  },
  'secrets.shopify-token': {
    fr: 'Un jeton d’accès ou un secret partagé Shopify (shpat_, shpca_, shppa_, shpss_) est écrit dans le code.',
    en: 'A Shopify access token or shared secret (shpat_, shpca_, shppa_, shpss_) is written in the code.',
  },
  'secrets.linear-api-key': {
    fr: 'Une clé d’API Linear (lin_api_…) est écrite dans le code.',
    en: 'A Linear API key (lin_api_…) is written in the code.',
  },
  'secrets.figma-token': {
    fr: 'Un jeton d’accès personnel Figma (figd_…) est écrit dans le code.',
    en: 'A Figma personal access token (figd_…) is written in the code.',
  },
  'secrets.vercel-token': {
    fr: 'Un jeton Vercel (vcp_, vci_, vca_, vcr_, vck_) est écrit dans le code.',
    en: 'A Vercel token (vcp_, vci_, vca_, vcr_, vck_) is written in the code.',
  },
  'secrets.cloudflare-api-token': {
    fr: 'Une clé d’autorité de certification d’origine Cloudflare, ou un jeton d’API ou une clé d’API globale Cloudflare nommés comme tels, est écrit dans le code.',
    en: 'A Cloudflare origin CA key or a labelled Cloudflare API token or global API key is written in the code.',
  },
  'secrets.1password-token': {
    fr: 'Un jeton de compte de service 1Password (ops_eyJ…) ou une clé secrète de compte (A3-…) est écrit dans le code.',
    en: 'A 1Password service-account token (ops_eyJ…) or account secret key (A3-…) is written in the code.',
  },
  'secrets.tailscale-key': {
    fr: 'Une clé Tailscale (tskey-auth-, tskey-api-, tskey-client-…) est écrite dans le code.',
    en: 'A Tailscale key (tskey-auth-, tskey-api-, tskey-client-…) is written in the code.',
  },
  'secrets.twilio-api-key': {
    fr: 'Une clé d’API Twilio (SK + 32 chiffres hexadécimaux) ou un jeton d’authentification Twilio nommé comme tel est écrit dans le code.',
    en: 'A Twilio API key (SK + 32 hex digits) or a labelled Twilio auth token is written in the code.',
  },
  'secrets.sendgrid-api-key': {
    fr: 'Une clé d’API SendGrid (SG.…) est écrite dans le code.',
    en: 'A SendGrid API key (SG.…) is written in the code.',
  },
  'secrets.mailgun-api-key': {
    fr: 'Une clé d’API ou de signature Mailgun (key-…, nommée comme telle) est écrite dans le code.',
    en: 'A Mailgun API or signing key (key-…, labelled) is written in the code.',
  },
  'secrets.saas-token': {
    fr: 'Un jeton d’un autre service au format reconnaissable (HashiCorp Vault, Terraform Cloud, DigitalOcean, Heroku, Databricks, Doppler, Postman, Notion, Dynatrace…) est écrit dans le code.',
    en: 'A token of another service with a recognisable format (HashiCorp Vault, Terraform Cloud, DigitalOcean, Heroku, Databricks, Doppler, Postman, Notion, Dynatrace…) is written in the code.',
  },
  'secrets.jwt': {
    fr: 'Un jeton web JSON (JWT) signé est écrit dans le code.',
    en: 'A signed JSON Web Token is written in the code.',
  },
  'secrets.connection-string': {
    fr: 'Une URL ou une chaîne de connexion contient un mot de passe littéral (schéma://utilisateur:motdepasse@hôte, JDBC, ADO.NET password=…).',
    en: 'A URL or connection string carries a literal password (scheme://user:password@host, JDBC, ADO.NET password=…).',
  },
  'secrets.password': {
    fr: 'Un mot de passe littéral est affecté à un nom de mot de passe dans le code ou la configuration (YAML, JSON, .properties, .env, TOML, XML, INI).',
    en: 'A literal password is assigned to a password-like name in code or configuration (YAML, JSON, .properties, .env, TOML, XML, INI).',
  },
  'secrets.generic-secret': {
    fr: 'Une valeur littérale à forte entropie est affectée à un nom de secret (secret, token, clé d’API…).',
    en: 'A high-entropy literal is assigned to a secret-like name (secret, token, api key…).',
  },
};

export const secretsCatalogue: Catalogue = Object.fromEntries(
  Object.entries(descriptions).map(([id, description]) => [id, { description, messages: { found } }]),
);

/** The finding message of a secret rule: what leaked (English label, translated) and the masked value. */
export function foundMessage(ruleId: string, label: string, masked: string): CataloguedMessage {
  return say(ruleId, 'found', found, { what: label, quoi: labelInFrench(label), masked });
}

// What leaked, in French: detectors are labelled "<provider> <kind of credential>" in English.
const wholeLabels: Record<string, string> = {
  'Private key': 'Clé privée',
  'Raw private key': 'Clé privée brute',
  'PuTTY private key': 'Clé privée PuTTY',
  'Password in URL': 'Mot de passe dans une URL',
  'Password in JDBC URL': 'Mot de passe dans une URL JDBC',
  'Password in connection string': 'Mot de passe dans une chaîne de connexion',
  'NuGet feed password': 'Mot de passe de flux NuGet',
  'Registry credentials in Docker config.json': 'Identifiants de registre dans le config.json de Docker',
  'npm registry token in .npmrc': 'Jeton de registre npm dans .npmrc',
  'JSON Web Token': 'Jeton web JSON (JWT)',
};
const kinds: [string, string][] = [
  ['service-account token', 'jeton de compte de service'],
  ['service-account key', 'clé de compte de service'],
  ['webhook signing secret', 'secret de signature de webhook'],
  ['runner registration token', 'jeton d’enregistrement de runner'],
  ['pipeline trigger token', 'jeton de déclenchement de pipeline'],
  ['secret access key', 'clé d’accès secrète'],
  ['storage account key', 'clé de compte de stockage'],
  ['shared access key', 'clé d’accès partagé'],
  ['API or application key', 'clé d’API ou d’application'],
  ['API or signing key', 'clé d’API ou de signature'],
  ['access key id', 'identifiant de clé d’accès'],
  ['fine-grained token', 'jeton à portée fine'],
  ['organisation token', 'jeton d’organisation'],
  ['reference token', 'jeton de référence'],
  ['session cookie', 'cookie de session'],
  ['client secret', 'secret client'],
  ['origin CA key', 'clé d’autorité de certification d’origine'],
  ['webhook URL', 'URL de webhook'],
  ['app password', 'mot de passe d’application'],
  ['license key', 'clé de licence'],
  ['signing key', 'clé de signature'],
  ['upload token', 'jeton de publication'],
  ['access token', 'jeton d’accès'],
  ['secret token', 'jeton secret'],
  ['user token', 'jeton utilisateur'],
  ['insert key', 'clé d’insertion'],
  ['browser key', 'clé de navigateur'],
  ['auth token', 'jeton d’authentification'],
  ['bot token', 'jeton de bot'],
  ['secret key', 'clé secrète'],
  ['API token', 'jeton d’API'],
  ['API key', 'clé d’API'],
  ['live key', 'clé de production'],
  ['user token', 'jeton utilisateur'],
  ['token', 'jeton'],
  ['key', 'clé'],
];

/** The French for a detector's English label ("GitHub token" → "Jeton GitHub"); unknown shapes stay as they are. */
export function labelInFrench(label: string): string {
  const whole = wholeLabels[label];
  if (whole) return whole;
  const assigned = /^Literal assigned to "(.*)"$/.exec(label);
  if (assigned) return `Valeur littérale affectée à « ${assigned[1]} »`;
  for (const [en, fr] of kinds) {
    if (label.endsWith(` ${en}`)) {
      const provider = label.slice(0, -en.length - 1);
      return `${fr[0]?.toUpperCase()}${fr.slice(1)} ${provider}`;
    }
  }
  return label;
}
