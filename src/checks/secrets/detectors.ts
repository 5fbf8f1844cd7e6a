// Provider-specific secret patterns. Each detector names the cheap literal keywords that must appear in a file
// before its regular expression runs at all: most files contain none, so most files cost a few substring searches.
import type { Rule } from '../model.ts';
import { characterClasses, shannonEntropy } from './entropy.ts';
import { isPlaceholder } from './placeholder.ts';
import { secretRules } from './rules.ts';

export interface Detector {
  rule: Rule;
  /** What the user sees before the masked value. */
  label: string;
  /** Case-sensitive substrings; the pattern runs only when one of them is in the text. Each needs an anchor in
   * locate.ts (locate.test.ts fails until it has one). */
  keywords: readonly string[];
  /** Global (g) pattern; `secretGroup` is the capture holding the secret itself. */
  pattern: RegExp;
  secretGroup: number;
  /**
   * Every match starts with one of the keywords: the pattern is then tried only where a keyword occurs (found with
   * indexOf, much faster than letting the regular expression engine walk the whole text).
   */
  anchored?: boolean;
  /** Report at the start of the match (the PEM header line) rather than at the secret itself. */
  locateAtMatch?: boolean;
  accept?(secret: string, match: RegExpExecArray): boolean;
}

function looksRandom(value: string, minEntropy: number): boolean {
  return !isPlaceholder(value) && shannonEntropy(value) >= minEntropy;
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

export const detectors: readonly Detector[] = [
  {
    rule: secretRules.privateKey,
    label: 'Private key',
    keywords: ['PRIVATE KEY'],
    // The body must follow (a long base64 run), so a lone "BEGIN … PRIVATE KEY" header in docs is not a finding.
    pattern: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?:\\n|\\r|[\s]|[A-Za-z-]+:[^\n]*\n){1,12}?([A-Za-z0-9+/=]{40,})/g,
    secretGroup: 2,
    locateAtMatch: true,
  },
  {
    rule: secretRules.awsAccessKeyId,
    label: 'AWS access key id',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: /(?<![A-Za-z0-9])(A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16})(?![A-Za-z0-9])/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => !/EXAMPLE$/.test(s) && looksRandom(s, 3),
  },
  {
    rule: secretRules.awsSecretAccessKey,
    label: 'AWS secret access key',
    keywords: ['aws', 'AWS', 'Aws'],
    pattern: /(?:aws|AWS|Aws)[A-Za-z0-9_.-]{0,40}["'\]]?[ \t]*(?::=|=>|=|:)[ \t]*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    secretGroup: 1,
    anchored: true,
    accept: (s) => characterClasses(s) >= 3 && looksRandom(s, 4) && !/EXAMPLEKEY$/.test(s),
  },
  {
    rule: secretRules.githubToken,
    label: 'GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3),
  },
  {
    rule: secretRules.gitlabToken,
    label: 'GitLab token',
    keywords: ['glpat-'],
    pattern: /\b(glpat-[A-Za-z0-9_-]{20,})\b/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3),
  },
  {
    rule: secretRules.slackToken,
    label: 'Slack token',
    keywords: ['xox'],
    pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,200})\b/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3),
  },
  {
    rule: secretRules.slackToken,
    label: 'Slack webhook URL',
    keywords: ['hooks.slack.com'],
    pattern: /(https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/g,
    secretGroup: 1,
  },
  {
    rule: secretRules.stripeKey,
    label: 'Stripe live key',
    keywords: ['_live_'],
    pattern: /\b((?:sk|rk)_live_[A-Za-z0-9]{24,99})\b/g,
    secretGroup: 1,
    accept: (s) => looksRandom(s, 3),
  },
  {
    rule: secretRules.googleApiKey,
    label: 'Google API key',
    keywords: ['AIza'],
    pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3),
  },
  {
    rule: secretRules.npmToken,
    label: 'npm token',
    keywords: ['npm_'],
    pattern: /\b(npm_[A-Za-z0-9]{36})\b/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => characterClasses(s) >= 3 && looksRandom(s, 3.5),
  },
  {
    rule: secretRules.sendgridKey,
    label: 'SendGrid API key',
    keywords: ['SG.'],
    pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 3.5),
  },
  {
    rule: secretRules.twilioKey,
    label: 'Twilio API key',
    keywords: ['SK'],
    pattern: /\b(SK[0-9a-f]{32})\b/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s.slice(2), 3),
  },
  {
    rule: secretRules.azureStorageKey,
    label: 'Azure storage key',
    keywords: ['AccountKey='],
    pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => looksRandom(s, 4),
  },
  {
    rule: secretRules.jwt,
    label: 'JSON Web Token',
    keywords: ['eyJ'],
    pattern: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})/g,
    secretGroup: 1,
    anchored: true,
    accept: (s) => jwtIsSigned(s),
  },
  {
    rule: secretRules.connectionString,
    label: 'Password in URL',
    keywords: ['://'],
    // Anchored on "://" (a literal the regex engine can skip to) rather than on the scheme.
    pattern: /:\/\/([^\s:@/'"`<>()[\]{}]{1,128}):([^\s@/'"`<>()[\]{}]{1,256})@([A-Za-z0-9][A-Za-z0-9.-]{0,254})/g,
    secretGroup: 2,
    anchored: true,
    accept: (s) => s.length >= 4 && !isPlaceholder(s) && !/^\*+$/.test(s) && !/^\d+$/.test(s),
  },
  {
    rule: secretRules.connectionString,
    label: 'Password in JDBC URL',
    keywords: ['jdbc:'],
    pattern: /\bjdbc:[a-z0-9]+:[^\s'"`]*?[;?&:]password=([^;&\s'"`]{1,256})/gi,
    secretGroup: 1,
    anchored: true,
    accept: (s) => !isPlaceholder(s),
  },
  {
    rule: secretRules.connectionString,
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
