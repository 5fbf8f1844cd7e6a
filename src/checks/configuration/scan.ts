// The configuration scan of one file: pure, synchronous, run in worker threads by the engine.
import { findingOf, type Finding, type Rule } from '../model.ts';
import { isPlaceholder, isVariableReference } from '../secrets/placeholder.ts';
import { configurationRules } from './rules.ts';

// A literal on the same line as an environment lookup is its default value: the setting is already variabilised.
const readsEnvironment = /process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|Deno\.env|ENV\[|\$\{|\benv\(|Environment\.GetEnvironmentVariable|valueFrom:|env:/;
const commentLine = /^\s*(?:\/\/|#|\*|\/\*|<!--|--|;)/;
const ipv4 = /(?<![\w.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\w.]|\/\d)/g;
const localhostUrl = /\b(?:https?|wss?|postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|amqps?|nats|kafka):\/\/(?:[^\s/@'"`]*@)?(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(?![\w.-])/gi;
const urlHost = /\b[a-z][a-z0-9+.-]{1,20}:\/\/(?:[^\s/@'"`]*@)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
const quotedHost = /["'`]([a-z0-9-]+(?:\.[a-z0-9-]+){1,8})(?::\d{1,5})?["'`]/gi;
const credentialsUrl = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:@/'"`<>]{1,128}):([^\s@/'"`<>]{1,256})@[A-Za-z0-9]/gi;
const environmentLabel = /^(?:prod|production|prd|preprod|pre-prod|staging|stage|stg|recette|rec|qualif|qualification|integ|integration|uat|preproduction)$/;
const internalSuffix = /\.(?:internal|intranet|intra|corp|lan|local|minint\.fr|interieur\.gouv\.fr)$/;

export function scanConfiguration(path: string, text: string): Finding[] {
  // Cheap prefilter: nothing to look for in a file without a URL, a dot-quad or a quoted host.
  if (!text.includes('://') && !/\d\.\d+\.\d+\.\d/.test(text) && !/\.(?:gouv\.fr|internal|intranet|corp|lan|local)\b/.test(text) && !/\b(?:prod|preprod|staging|recette)[.-]/i.test(text)) return [];
  const findings: Finding[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.length > 2000 || commentLine.test(line) || readsEnvironment.test(line)) continue;
    scanLine(path, i + 1, line, findings);
  }
  return findings;
}

function scanLine(path: string, lineNumber: number, line: string, findings: Finding[]): void {
  const seen = new Set<string>();
  const report = (rule: Rule, value: string, message: string) => {
    if (seen.has(rule.id + value)) return;
    seen.add(rule.id + value);
    findings.push(findingOf(rule, { file: path, line: lineNumber }, message, value));
  };
  for (const m of line.matchAll(credentialsUrl)) {
    const password = m[2] ?? '';
    // A real-looking password is a secret (secrets.connection-string); a variable is fine; a default is configuration.
    if (!isVariableReference(password) && isPlaceholder(password)) {
      report(configurationRules.credentialsInUrl, `${m[1]}@`, `URL with built-in credentials for user "${m[1]}": take the whole URL from an environment variable.`);
    }
  }
  for (const m of line.matchAll(localhostUrl)) {
    report(configurationRules.localhostUrl, m[0].toLowerCase(), `Hard-coded local URL ${m[0]}: read it from an environment variable (a default is fine next to the lookup).`);
  }
  if (/\d\.\d/.test(line) && !/version/i.test(line)) {
    for (const m of line.matchAll(ipv4)) {
      const ip = m[1] ?? '';
      if (ip === '0.0.0.0' || ip.startsWith('127.') || ip.startsWith('255.') || ip.startsWith('0.')) continue;
      report(configurationRules.hardcodedIp, ip, `Hard-coded IP address ${ip}: use a host name from the environment or from service discovery.`);
    }
  }
  const hosts = new Set<string>();
  for (const m of line.matchAll(urlHost)) hosts.add((m[1] ?? '').toLowerCase());
  for (const m of line.matchAll(quotedHost)) hosts.add((m[1] ?? '').toLowerCase());
  for (const host of hosts) {
    if (environmentSpecific(host)) {
      report(configurationRules.environmentHost, host, `Environment-specific host ${host}: it must come from the environment's configuration.`);
    }
  }
}

/** prod.example.org, api-staging.x.fr, db.recette.internal, sso.projet.interieur.gouv.fr; not public sites like data.gouv.fr. */
export function environmentSpecific(host: string): boolean {
  const labels = host.split('.');
  const tld = labels[labels.length - 1] ?? '';
  // File names (app.config.json, main.prod.ts) look like hosts: require a real top-level domain shape.
  if (!/^[a-z]{2,12}$/.test(tld) || /^(?:js|ts|mjs|cjs|json|ya?ml|md|txt|html|css|vue|py|java|go|xml|lock|sh|env|conf|toml|png|svg)$/.test(tld)) return false;
  if (internalSuffix.test(host) && labels.length >= 3) return true;
  if (host.endsWith('.gouv.fr') && labels.length >= 4 && labels[0] !== 'www') return true;
  return labels.slice(0, -2).some((label) => label.split('-').some((part) => environmentLabel.test(part)));
}
