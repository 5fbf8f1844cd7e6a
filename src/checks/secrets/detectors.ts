// Provider-specific secret formats. Each detector names the literal keywords (token prefixes, provider labels) that
// a match starts with; the scan finds those keywords first (keywords.ts) and tries the detector's pattern only where
// one occurs, so most files cost a few character searches however many providers are known. Formats are those
// published by the providers and listed by the common open-source scanners' default rule sets (gitleaks,
// secretlint); the patterns here are our own.
import type { Rule } from '../model.ts';
import { characterClasses, shannonEntropy } from './entropy.ts';
import { isPlaceholder } from './placeholder.ts';
import { secretRules as r } from './rules.ts';

export interface Detector {
  rule: Rule;
  /** What the user sees before the masked value. */
  label: string;
  /** Case-sensitive literals (two ASCII characters at least); the pattern runs only where one of them occurs. */
  keywords: readonly string[];
  /** Global (g) pattern; `secretGroup` is the capture holding the secret itself. */
  pattern: RegExp;
  secretGroup: number;
  /**
   * Every match starts with one of the keywords: the pattern is then tried only where a keyword occurs. Otherwise
   * it runs once over the whole text when a keyword is in it.
   */
  anchored: boolean;
  /** Report at the start of the match (the PEM header line) rather than at the secret itself. */
  locateAtMatch?: boolean;
  accept?(secret: string, match: RegExpExecArray): boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** Not inside a longer word (a token prefix glued to letters is some other identifier). */
const left = '(?<![A-Za-z0-9_-])';
const right = '(?![A-Za-z0-9_-])';

function looksRandom(value: string, minEntropy: number): boolean {
  return !isPlaceholder(value) && shannonEntropy(value) >= minEntropy;
}

/** The random part of a token: what follows the prefix it starts with. */
function bodyOf(token: string, prefixes: readonly string[]): string {
  const prefix = prefixes.find((p) => token.startsWith(p)) ?? '';
  return token.slice(prefix.length);
}

interface Options {
  /** Shannon entropy the random part must reach (bits per character); 3 by default. */
  minEntropy?: number;
  /** What must follow the token (default: no token character). */
  after?: string;
  accept?(secret: string, match: RegExpExecArray): boolean;
}

/** A token made of a fixed prefix and a random body. */
function prefixed(
  rule: Rule,
  label: string,
  prefixes: readonly string[],
  body: string,
  options: Options = {},
): Detector {
  const minEntropy = options.minEntropy ?? 3;
  return {
    rule,
    label,
    keywords: prefixes,
    pattern: new RegExp(`${left}((?:${prefixes.map(escape).join('|')})${body})${options.after ?? right}`, 'g'),
    secretGroup: 1,
    anchored: true,
    accept: options.accept ?? ((s) => looksRandom(bodyOf(s, prefixes), minEntropy)),
  };
}

/**
 * A value of a given shape assigned to a secret-like name that also holds the provider's label (DATADOG_API_KEY=…,
 * "mailgun_api_key": "…", twilio.auth-token: …). The shape alone would be too common (32 hex digits are also
 * checksums); the name is found by the secret-like names' pass (assignments.ts), so labels cost no search of their own.
 */
export interface LabelledValue {
  rule: Rule;
  label: string;
  /** Tested on the whole name (case-insensitive). */
  name: RegExp;
  /** Tested on the whole value. */
  value: RegExp;
  minEntropy: number;
}

function labelled(
  rule: Rule,
  label: string,
  words: readonly string[],
  value: string,
  options: { minEntropy?: number } = {},
): LabelledValue {
  return {
    rule,
    label,
    name: new RegExp(words.map(escape).join('|'), 'i'),
    value: new RegExp(`^(?:${value})$`),
    minEntropy: options.minEntropy ?? 3,
  };
}

/** Whether a literal assigned to `name` is one of a provider's labelled secrets, and which. */
export function labelledValueOf(name: string, value: string): LabelledValue | undefined {
  for (const l of labelledValues)
    if (l.name.test(name) && l.value.test(value) && looksRandom(value, l.minEntropy)) return l;
  return undefined;
}

/** Found anywhere once a keyword is in the text (the keyword is inside the match, not at its start). */
function unanchored(rule: Rule, label: string, keywords: readonly string[], pattern: RegExp, secretGroup: number, accept?: Detector['accept']): Detector {
  const detector: Detector = { rule, label, keywords, pattern, secretGroup, anchored: false };
  if (accept) detector.accept = accept;
  return detector;
}

function jwtIsSigned(token: string): boolean {
  const [header] = token.split('.');
  try {
    const decoded = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof decoded.alg === 'string' && decoded.alg.toLowerCase() !== 'none';
  } catch {
    return false;
  }
}

/** The 500 characters before a match mention `word` (case-insensitive): a label not on the value's own line. */
function mentionedBefore(word: RegExp): (secret: string, m: RegExpExecArray) => boolean {
  return (_s, m) => word.test(m.input.slice(Math.max(0, m.index - 500), m.index));
}

const hex32 = '[a-f0-9]{32}';
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const alnum = (n: string) => `[A-Za-z0-9]{${n}}`;
/** A password in a URL that is the name of what goes there (db_password, PASSWORD, pass, mypassword). */
const passwordWordInUrl = /^[A-Za-z_-]*(?:pass(?:word|wd)?|pwd|secret|token|mdp)[A-Za-z_-]*$/i;

export const detectors: readonly Detector[] = [
  // ── Keys ─────────────────────────────────────────────────────────────────────────────────────────────────────
  {
    rule: r.privateKey,
    label: 'Private key',
    keywords: ['-----BEGIN'],
    // The body must follow (a long base64 run), so a lone "BEGIN … PRIVATE KEY" header in docs is not a finding.
    pattern: /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,2}PRIVATE KEY(?: BLOCK)?)-----(?:\\n|\\r|[\s]|[A-Za-z-]+:[^\n]{0,200}\n){1,12}?([A-Za-z0-9+/=]{40,})/g,
    secretGroup: 2,
    anchored: true,
    locateAtMatch: true,
  },
  {
    rule: r.privateKey,
    label: 'PuTTY private key',
    keywords: ['PuTTY-User-Key-File-'],
    pattern: /PuTTY-User-Key-File-\d: [^\r\n]{1,100}\r?\n(?:[^\r\n]{0,200}\r?\n){0,40}?Private-Lines: \d+\r?\n([A-Za-z0-9+/=]{40,})/g,
    secretGroup: 1,
    anchored: true,
    locateAtMatch: true,
  },
  prefixed(r.privateKey, 'age secret key', ['AGE-SECRET-KEY-1'], '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'),
  // ── Cloud ────────────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.awsAccessKeyId, 'AWS access key id', ['AKIA', 'ASIA', 'ABIA', 'A3T'], '[A-Z0-9]{16}', {
    after: '(?![A-Za-z0-9])',
    accept: (s) => !s.endsWith('EXAMPLE') && looksRandom(s, 3),
  }),
  {
    rule: r.awsSecretAccessKey,
    label: 'AWS secret access key',
    keywords: ['aws', 'AWS', 'Aws'],
    pattern: /(?:aws|AWS|Aws)[A-Za-z0-9_.-]{0,40}["'\]]?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => characterClasses(s) >= 3 && looksRandom(s, 4) && !s.endsWith('EXAMPLEKEY'),
  },
  prefixed(r.awsSecretAccessKey, 'Amazon Bedrock API key', ['ABSK'], '[A-Za-z0-9+/]{109,269}={0,2}', { after: '(?![A-Za-z0-9+/=])' }),
  unanchored(r.gcpServiceAccountKey, 'Google Cloud service-account key', ['"service_account"'], /"private_key_id"\s{0,20}:\s{0,20}"([a-f0-9]{40})"/g, 1, (s, m) =>
    /"private_key"\s{0,20}:\s{0,20}"-----BEGIN/.test(m.input),
  ),
  prefixed(r.googleApiKey, 'Google API key', ['AIza'], '[0-9A-Za-z_-]{35}'),
  prefixed(r.googleOauthClientSecret, 'Google OAuth client secret', ['GOCSPX-'], '[A-Za-z0-9_-]{28}'),
  prefixed(r.azureStorageKey, 'Azure storage account key', ['AccountKey='], '[A-Za-z0-9+/]{86}==', {
    after: '',
    accept: (s) => looksRandom(s.slice('AccountKey='.length), 4),
  }),
  prefixed(r.azureStorageKey, 'Azure shared access key', ['SharedAccessKey='], '[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=', {
    after: '',
    accept: (s) => looksRandom(s.slice('SharedAccessKey='.length), 4),
  }),
  {
    rule: r.azureClientSecret,
    label: 'Azure AD client secret',
    keywords: ['Q~'],
    pattern: /(?:^|[\\'"`\s>=:(,)])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?=$|[\\'"`\s<),;])/gm,
    secretGroup: 1,
    anchored: false,
    accept: (s) => looksRandom(s, 3.5),
  },
  // ── Forges ───────────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.githubToken, 'GitHub token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], alnum('36')),
  prefixed(r.githubToken, 'GitHub fine-grained token', ['github_pat_'], '[A-Za-z0-9_]{82}'),
  prefixed(r.gitlabToken, 'GitLab token', ['glpat-', 'gldt-', 'glrt-', 'glsoat-', 'glft-', 'glffct-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-'], '[A-Za-z0-9_.-]{20,300}'),
  prefixed(r.gitlabToken, 'GitLab pipeline trigger token', ['glptt-'], '[0-9a-f]{40}'),
  prefixed(r.gitlabToken, 'GitLab runner registration token', ['GR1348941'], '[A-Za-z0-9_-]{20}'),
  {
    rule: r.gitlabToken,
    label: 'GitLab session cookie',
    keywords: ['_gitlab_session='],
    pattern: /_gitlab_session=([0-9a-z]{32})(?![0-9a-z])/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3),
  },
  prefixed(r.bitbucketToken, 'Bitbucket app password', ['ATBB'], '[A-Za-z0-9_=.-]{28,40}'),
  prefixed(r.atlassianApiToken, 'Atlassian API token', ['ATATT3', 'ATCTT3'], '[A-Za-z0-9_=-]{100,300}'),
  // ── Messaging ────────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.slackToken, 'Slack token', ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.xox', 'xapp-'], '[A-Za-z0-9.-]{10,250}', {
    accept: (s) => /\d/.test(s) && looksRandom(s, 3),
  }),
  prefixed(r.slackToken, 'Slack webhook URL', ['hooks.slack.com/'], '(?:services|workflows|triggers)/[A-Za-z0-9+/]{20,80}', {
    accept: (s) => looksRandom(s.slice(s.indexOf('/') + 1), 3.5),
    after: '(?![A-Za-z0-9+/])',
  }),
  {
    rule: r.discordToken,
    label: 'Discord webhook URL',
    keywords: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern: /discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/([A-Za-z0-9_-]{60,80})/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3.5),
  },
  {
    rule: r.teamsWebhook,
    label: 'Microsoft Teams webhook URL',
    keywords: ['.webhook.office.com/webhookb2/', 'outlook.office.com/webhook/'],
    pattern: /(?:\.webhook|outlook)\.office\.com\/webhook(?:b2)?\/([0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}(?:\/[A-Za-z0-9_-]{20,80})?)/gi,
    secretGroup: 1,
    anchored: true,
  },
  // ── Payment ──────────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.stripeKey, 'Stripe live key', ['sk_live_', 'rk_live_'], alnum('24,247')),
  prefixed(r.stripeKey, 'Stripe webhook signing secret', ['whsec_'], alnum('32,64'), { minEntropy: 3.5 }),
  // ── AI ───────────────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.openaiApiKey, 'OpenAI API key', ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'], '[A-Za-z0-9_-]{40,200}', {
    accept: (s) => looksRandom(bodyOf(s, ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-']), 3.5) && (s.includes('T3BlbkFJ') || s.length >= 90),
  }),
  unanchored(r.openaiApiKey, 'OpenAI API key', ['T3BlbkFJ'], /(?<![A-Za-z0-9_-])(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/g, 1),
  prefixed(r.anthropicApiKey, 'Anthropic API key', ['sk-ant-api0', 'sk-ant-admin0', 'sk-ant-oat0'], '\\d-[A-Za-z0-9_-]{80,130}'),
  prefixed(r.huggingfaceToken, 'Hugging Face token', ['hf_', 'api_org_'], '[A-Za-z]{34}', { minEntropy: 3.5, accept: (s) => /[A-Z]/.test(s) && /[a-z]/.test(bodyOf(s, ['hf_', 'api_org_'])) && looksRandom(bodyOf(s, ['hf_', 'api_org_']), 3.5) }),
  prefixed(r.aiApiKey, 'Groq API key', ['gsk_'], alnum('52')),
  prefixed(r.aiApiKey, 'Perplexity API key', ['pplx-'], alnum('48')),
  prefixed(r.aiApiKey, 'Replicate API token', ['r8_'], alnum('37')),
  // ── Package registries ───────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.npmToken, 'npm token', ['npm_'], alnum('36'), { accept: (s) => characterClasses(s) >= 3 && looksRandom(s, 3.5) }),
  {
    rule: r.npmToken,
    label: 'npm registry token in .npmrc',
    keywords: [':_authToken=', '_authToken='],
    pattern: /_authToken=([^\s$"'{}][^\s"'{}]{15,300})/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3),
  },
  prefixed(r.pypiToken, 'PyPI upload token', ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], '[A-Za-z0-9_-]{50,1000}'),
  prefixed(r.dockerHubToken, 'Docker Hub access token', ['dckr_pat_', 'dckr_oat_'], '[A-Za-z0-9_-]{27,36}'),
  prefixed(r.nugetApiKey, 'NuGet API key', ['oy2'], '[a-z0-9]{43}', { minEntropy: 3.5 }),
  {
    rule: r.nugetApiKey,
    label: 'NuGet feed password',
    keywords: ['key="ClearTextPassword"', 'key="Password"'],
    pattern: /key="(?:ClearText)?Password"\s{1,20}value="([^"]{6,300})"/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => !isPlaceholder(s),
  },
  prefixed(r.packageRegistryToken, 'RubyGems API key', ['rubygems_'], '[a-f0-9]{48}'),
  prefixed(r.packageRegistryToken, 'Clojars token', ['CLOJARS_'], '[a-z0-9]{60}'),
  prefixed(r.packageRegistryToken, 'JFrog Artifactory API key', ['AKCp'], alnum('69'), { minEntropy: 3.5 }),
  prefixed(r.packageRegistryToken, 'JFrog Artifactory reference token', ['cmVmd'], alnum('59'), { minEntropy: 3.5 }),
  // ── Observability ────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.grafanaToken, 'Grafana Cloud token', ['glc_'], '[A-Za-z0-9+/]{32,400}={0,3}', { after: '(?![A-Za-z0-9+/=_-])' }),
  prefixed(r.grafanaToken, 'Grafana service-account token', ['glsa_'], `${alnum('32')}_[A-Fa-f0-9]{8}`),
  prefixed(r.grafanaToken, 'Grafana API key', ['eyJrIjoi'], '[A-Za-z0-9]{70,400}={0,3}', { after: '(?![A-Za-z0-9+/=_-])' }),
  prefixed(r.sentryToken, 'Sentry user token', ['sntryu_'], '[a-f0-9]{64}'),
  prefixed(r.sentryToken, 'Sentry organisation token', ['sntrys_eyJ'], '[A-Za-z0-9+/=_]{60,500}', { after: '(?![A-Za-z0-9+/=_-])' }),
  prefixed(r.newRelicKey, 'New Relic key', ['NRAK-'], '[A-Z0-9]{27}'),
  prefixed(r.newRelicKey, 'New Relic insert key', ['NRII-'], '[A-Za-z0-9_-]{32}'),
  prefixed(r.newRelicKey, 'New Relic browser key', ['NRJS-'], '[a-f0-9]{19}'),
  // ── Other SaaS ───────────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.shopifyToken, 'Shopify token', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], '[a-fA-F0-9]{32}'),
  prefixed(r.linearApiKey, 'Linear API key', ['lin_api_', 'lin_oauth_'], '[A-Za-z0-9]{40,64}'),
  prefixed(r.figmaToken, 'Figma token', ['figd_', 'figo_', 'figu_'], '[A-Za-z0-9_-]{40,200}'),
  prefixed(r.vercelToken, 'Vercel token', ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'], alnum('24,60')),
  prefixed(r.cloudflareApiToken, 'Cloudflare origin CA key', ['v1.0-'], '[a-f0-9]{24}-[a-f0-9]{146}'),
  prefixed(r.onePasswordToken, '1Password service-account token', ['ops_eyJ'], '[A-Za-z0-9+/]{100,1300}={0,3}', { after: '(?![A-Za-z0-9+/=])' }),
  prefixed(r.onePasswordToken, '1Password secret key', ['A3-'], '[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}', {
    minEntropy: 3.2,
  }),
  prefixed(r.tailscaleKey, 'Tailscale key', ['tskey-'], '(?:auth|api|client|webhook|scim)-[A-Za-z0-9]{6,30}-[A-Za-z0-9]{20,70}'),
  prefixed(r.twilioKey, 'Twilio API key', ['SK'], '[0-9a-f]{32}', { after: '(?![A-Za-z0-9])', accept: (s) => looksRandom(s.slice(2), 3) }),
  prefixed(r.sendgridKey, 'SendGrid API key', ['SG.'], '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', { minEntropy: 3.5 }),
  {
    rule: r.mailgunKey,
    label: 'Mailgun API key',
    keywords: ['key-'],
    pattern: /(?<![A-Za-z0-9_-])(key-[0-9a-f]{32})(?![A-Za-z0-9_-])/g,
    secretGroup: 1,
    anchored: true,
    accept: (s, m) => looksRandom(s.slice(4), 3.2) && mentionedBefore(/mailgun|\bmg_|MG_/i)(s, m),
  },
  prefixed(r.saasToken, 'HashiCorp Vault token', ['hvs.', 'hvb.', 'hvr.'], '[A-Za-z0-9_-]{90,300}'),
  unanchored(r.saasToken, 'Terraform Cloud token', ['.atlasv1.'], /(?<![A-Za-z0-9])([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/g, 1),
  prefixed(r.saasToken, 'DigitalOcean token', ['dop_v1_', 'doo_v1_', 'dor_v1_'], '[a-f0-9]{64}'),
  prefixed(r.saasToken, 'Heroku API key', ['HRKU-AA'], '[0-9A-Za-z_-]{58}'),
  prefixed(r.saasToken, 'Postman API key', ['PMAK-'], '[a-f0-9]{24}-[a-f0-9]{34}'),
  prefixed(r.saasToken, 'Notion token', ['ntn_'], '[0-9]{11}[A-Za-z0-9]{35}'),
  prefixed(r.saasToken, 'PlanetScale token', ['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_'], '[A-Za-z0-9_=.-]{32,64}'),
  prefixed(r.saasToken, 'Prefect token', ['pnu_'], alnum('36')),
  prefixed(r.saasToken, 'ReadMe token', ['rdme_'], '[a-z0-9]{70}'),
  prefixed(r.saasToken, 'Brevo (Sendinblue) key', ['xkeysib-'], '[a-f0-9]{64}-[A-Za-z0-9]{16}'),
  prefixed(r.saasToken, 'Shippo token', ['shippo_live_'], '[a-fA-F0-9]{40}'),
  prefixed(r.saasToken, 'Flutterwave key', ['FLWSECK-', 'FLWSECK_TEST-'], '[a-h0-9]{12,32}(?:-X)?', { minEntropy: 3.2, after: '(?![A-Za-z0-9_])' }),
  prefixed(r.saasToken, 'Duffel token', ['duffel_live_'], '[A-Za-z0-9_=-]{43}'),
  prefixed(r.saasToken, 'EasyPost key', ['EZAK'], '[A-Za-z0-9]{54}'),
  prefixed(r.saasToken, 'Typeform token', ['tfp_'], '[A-Za-z0-9_.=-]{59}'),
  prefixed(r.saasToken, 'Mapbox secret token', ['sk.eyJ'], '[A-Za-z0-9_-]{50,120}\\.[A-Za-z0-9_-]{20,30}'),
  prefixed(r.saasToken, 'Sourcegraph token', ['sgp_'], '(?:[a-fA-F0-9]{16}_)?[a-fA-F0-9]{40}'),
  prefixed(r.saasToken, 'SonarQube token', ['squ_', 'sqp_', 'sqa_'], '[a-f0-9]{40}'),
  prefixed(r.saasToken, 'Alibaba Cloud access key id', ['LTAI'], alnum('20'), { minEntropy: 3.5 }),
  prefixed(r.saasToken, 'Adobe client secret', ['p8e-'], alnum('32'), { minEntropy: 3.5 }),
  prefixed(r.saasToken, 'Fly.io token', ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'], '[A-Za-z0-9_+/-]{43,400}={0,3}', { after: '(?![A-Za-z0-9+/=_-])' }),
  prefixed(r.saasToken, 'Scalingo token', ['tk-us-'], '[A-Za-z0-9_-]{48}'),
  prefixed(r.saasToken, 'OpenShift user token', ['sha256~'], '[A-Za-z0-9_-]{43}', { minEntropy: 3.5 }),
  prefixed(r.saasToken, 'Yandex Cloud API key', ['AQVN'], '[A-Za-z0-9_-]{35,38}', { minEntropy: 3.5 }),
  prefixed(r.saasToken, 'Facebook access token', ['EAACEdEose0cBA'], '[A-Za-z0-9]{100,}', { minEntropy: 3.5 }),
  prefixed(r.saasToken, 'Settlemint token', ['sm_pat_', 'sm_aat_', 'sm_sat_'], alnum('16')),
  prefixed(r.saasToken, 'Octopus Deploy key', ['API-'], '[A-Z0-9]{26}', { minEntropy: 3.5, after: '(?![A-Za-z0-9_-])' }),
  // ── Generic formats ──────────────────────────────────────────────────────────────────────────────────────────
  prefixed(r.jwt, 'JSON Web Token', ['eyJ'], '[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}', {
    after: '',
    accept: (s) => jwtIsSigned(s),
  }),
  {
    rule: r.connectionString,
    label: 'Password in URL',
    keywords: ['://'],
    pattern: /:\/\/([^\s:@/'"`<>()[\]{}]{1,128}):([^\s@/'"`<>()[\]{}]{1,256})@([A-Za-z0-9][A-Za-z0-9.-]{0,254})/g,
    secretGroup: 2,
    anchored: true,
    // A password that names what goes there (user:password@, db_user:db_password@) is documentation, not a secret.
    // A password equal to the user name is a development default (postgres:postgres), which the configuration
    // checker reports as such (configuration.credentials-in-url).
    accept: (s, m) => s.length >= 4 && !isPlaceholder(s) && !/^\*+$/.test(s) && !/^\d+$/.test(s) && !passwordWordInUrl.test(s) && s !== m[1],
  },
  {
    rule: r.connectionString,
    label: 'Password in JDBC URL',
    keywords: ['jdbc:'],
    pattern: /jdbc:[a-z0-9]+:[^\s'"`]{0,300}?[;?&:]password=([^;&\s'"`]{1,256})/gi,
    secretGroup: 1,
    anchored: true,
    accept: (s) => !isPlaceholder(s),
  },
  {
    rule: r.connectionString,
    label: 'Password in connection string',
    keywords: ['Password=', 'password=', 'PASSWORD=', 'Pwd=', 'pwd=', 'PWD='],
    pattern: /(?:Password|Pwd)=([^;'"\n]{1,256})/gi,
    secretGroup: 1,
    anchored: true,
    // ADO.NET / ODBC style: the password follows a server or database key on the same string.
    accept: (s, m) =>
      !isPlaceholder(s.trim()) &&
      /(?:Server|Data Source|Host|Database|Initial Catalog|User ID|Uid)=[^;'"\n]{1,200};[^'"\n]*$/i.test(m.input.slice(Math.max(0, m.index - 500), m.index)),
  },
];

export const labelledValues: readonly LabelledValue[] = [
  labelled(r.rawPrivateKey, 'Raw private key', ['private_key', 'privateKey', 'private-key', 'private.key', 'privkey', 'priv_key', 'signer', 'wallet'], '(?:0x)?[a-fA-F0-9]{64}', {
    minEntropy: 3.2,
  }),
  labelled(r.bitbucketToken, 'Bitbucket client secret', ['bitbucket'], '[A-Za-z0-9=_-]{32}(?:[A-Za-z0-9=_-]{32})?', { minEntropy: 3.5 }),
  labelled(r.atlassianApiToken, 'Atlassian API token', ['atlassian', 'confluence', 'jira'], '[A-Za-z0-9]{24}', { minEntropy: 3.5 }),
  labelled(r.discordToken, 'Discord bot token', ['discord'], '[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}|[a-f0-9]{64}', { minEntropy: 3.5 }),
  labelled(r.telegramBotToken, 'Telegram bot token', ['telegram', 'telegr'], '[0-9]{5,16}:A[A-Za-z0-9_-]{34}'),
  labelled(r.aiApiKey, 'Cohere or Mistral API key', ['cohere', 'co_api_key', 'mistral'], alnum('32,40'), { minEntropy: 3.5 }),
  labelled(r.datadogApiKey, 'Datadog API or application key', ['datadog', 'dd_api', 'dd_app', 'ddApi', 'ddApp'], '[a-f0-9]{32}(?:[a-f0-9]{8})?', {
    minEntropy: 3.2,
  }),
  labelled(r.newRelicKey, 'New Relic license key', ['newrelic', 'new_relic', 'new-relic', 'nr_license'], '[a-f0-9]{36}NRAL|[a-f0-9]{40}', { minEntropy: 3.2 }),
  labelled(r.cloudflareApiToken, 'Cloudflare API token', ['cloudflare', 'cf_api'], '[A-Za-z0-9_-]{40}|[a-f0-9]{37}', { minEntropy: 3.5 }),
  labelled(r.twilioKey, 'Twilio auth token', ['twilio'], hex32, { minEntropy: 3.2 }),
  labelled(r.mailgunKey, 'Mailgun API key', ['mailgun'], `key-${hex32}`, { minEntropy: 3.2 }),
  labelled(r.mailgunKey, 'Mailgun signing key', ['mailgun'], '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}', { minEntropy: 3.2 }),
  labelled(r.saasToken, 'Databricks token', ['databricks'], '(?:dapi)?[a-f0-9]{32}(?:-\\d)?', { minEntropy: 3.2 }),
  labelled(r.saasToken, 'Doppler token', ['doppler'], `dp\\.(?:pt|st|sa|ct)\\.${alnum('40,44')}`),
  labelled(r.saasToken, 'Pulumi token', ['pulumi'], 'pul-[a-f0-9]{40}'),
  labelled(r.saasToken, 'Frame.io token', ['frameio', 'frame_io'], 'fio-u-[A-Za-z0-9_=-]{64}'),
  labelled(r.saasToken, 'Infracost token', ['infracost'], `ico-${alnum('32')}`, { minEntropy: 3.5 }),
  labelled(r.saasToken, 'Dynatrace token', ['dynatrace', 'dt_api', 'dt_token'], 'dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}'),
  labelled(r.saasToken, 'Square token', ['square'], '(?:sq0atp-|sq0csp-|EAAA)[A-Za-z0-9_-]{22,60}', { minEntropy: 3.5 }),
  labelled(r.saasToken, 'Heroku API key', ['heroku'], uuid, { minEntropy: 3 }),
];

/** Detectors run on some files only, whatever their content: Docker's credential files hold base64 user:password. */
export const dockerConfigFile = /(?:^|\/)(?:\.docker\/config\.json|\.dockercfg|config\.json)$/;
export const dockerConfigDetector: Detector = {
  rule: r.dockerHubToken,
  label: 'Registry credentials in Docker config.json',
  keywords: [],
  pattern: /"auth"\s{0,20}:\s{0,20}"([A-Za-z0-9+/]{8,400}={0,2})"/g,
  secretGroup: 1,
  anchored: false,
  accept: (s) => {
    const decoded = Buffer.from(s, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && colon < decoded.length - 3 && /^[\x20-\x7e]+$/.test(decoded) && !isPlaceholder(decoded.slice(colon + 1));
  },
};
