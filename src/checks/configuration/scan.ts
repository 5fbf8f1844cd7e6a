// The configuration scan of one file: pure, synchronous, run in worker threads by the engine.
import { findingOf, type CataloguedMessage, type Finding, type Rule } from '../model.ts';
import { isPlaceholder, isVariableReference } from '../secrets/placeholder.ts';
import { LineIndex } from '../worker/line-index.ts';
import { say } from './messages.ts';
import { configurationRules } from './rules.ts';

// A literal on the same line as an environment lookup is its default value: the setting is already variabilised.
const readsEnvironment = /\|\s*default\b|\?\?|\|\||\bor\s+["']|^\s*[A-Z][A-Z0-9_]*\s*=\s*\(\s*(?:str|int|bool|list|dict|float)\s*,|^\s*[A-Z][A-Z0-9_]*\s*:\s*[A-Za-z_][\w[\], |.]*=\s*["']|process\.env|\benv\.[A-Z][A-Z0-9_]*|\benv\[|import\.meta\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|Deno\.env|ENV\[|\$\{|\benv\(|Environment\.GetEnvironmentVariable|valueFrom:|env:|\bdefaults?\s*[:=(]|\bfallback|new URL\(/;
const commentLine = /^\s*(?:\/\/|#|\*|\/\*|<!--|--|;|\{\{-?\s*\/\*)/;
const ipv4 = /(?<![\w.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\w.]|\/\d)/g;
const localhostUrl = /\b(?:https?|wss?|postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|amqps?|nats|kafka):\/\/(?:[^\s/@'"`]*@)?(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(?![\w.-])/gi;
const urlHost = /\b[a-z][a-z0-9+.-]{1,20}:\/\/(?:[^\s/@'"`]*@)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
const quotedHost = /["'`]([a-z0-9-]+(?:\.[a-z0-9-]+){1,8})(?::\d{1,5})?["'`]/gi;
const credentialsUrl = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:@/'"`<>]{1,128}):([^\s@/'"`<>]{1,256})@[A-Za-z0-9]/gi;
const environmentLabel = /^(?:prod|production|prd|preprod|pre-prod|staging|stage|stg|recette|rec|qualif|qualification|integ|integration|uat|preproduction)$/;
const internalSuffix = /\.(?:internal|intranet|intra|corp|lan|local|minint\.fr|interieur\.gouv\.fr)$/;

// Where something worth a closer look may be: a URL, a dot-quad, an environment label or an internal suffix.
const candidate = /:\/\/|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|(?:prod|preprod|staging|stage|stg|prd|recette|qualif|integ|uat)[.-]|\.(?:gouv\.fr|internal|intranet|intra|corp|lan|local)\b/gi;

/**
 * A reverse proxy forwarding to its own host (`proxy_pass http://127.0.0.1:8080`, Apache `ProxyPass`), or a pattern
 * that matches URLs (`pattern = …`, JSON `"pattern": "Local:.*(http://localhost:[0-9]+)"` in an editor's launch settings).
 */
const proxyDirective = /\b(?:proxy_pass|ProxyPass(?:Reverse)?|uwsgi_pass|fastcgi_pass)\b|\b(?:regex|pattern|matcher)["']?\s*[:=]/i;

/**
 * Files where `localhost` is the container's or the pod's own loopback (probes, sidecars, health checks), or the
 * developer's machine (local and development settings, editor launch settings, CI jobs): a local URL there is right,
 * not hard-coded configuration. IP addresses and environment hosts are still checked there.
 */
const loopbackIsLocal = /(?:^|\/)(?:templates\/[^/]+\.(?:ya?ml|tpl)|(?:docker-)?compose[^/]*\.ya?ml|[^/]*\.(?:dockerfile|containerfile)|Dockerfile[^/]*|\.env(?:\.[^/]*)?|\.github\/[^/]+\/[^/]+|\.vscode\/[^/]+|\.gitlab-ci\.ya?ml|Jenkinsfile|vagrant\/[^/]+|[^/]*[.-](?:dev|development|local)\.[a-z]+|environments\/environment(?:\.(?:dev|development|local))?\.ts)$/i;

export function scanConfiguration(path: string, text: string): Finding[] {
  const findings: Finding[] = [];
  // Worked out on the first candidate line only: most files have none.
  let localIsFine: boolean | undefined;
  let docstrings: TripleQuoted | undefined;
  let lines: LineIndex | undefined;
  let lastLineStart = -1;
  candidate.lastIndex = 0;
  // Only the lines holding a candidate are examined, each once.
  for (let m = candidate.exec(text); m !== null; m = candidate.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (lineStart === lastLineStart) continue;
    lastLineStart = lineStart;
    let lineEnd = text.indexOf('\n', m.index);
    if (lineEnd === -1) lineEnd = text.length;
    candidate.lastIndex = lineEnd;
    if (lineEnd - lineStart > 2000) continue; // minified or generated: not hand-written configuration
    const line = text.slice(lineStart, lineEnd);
    if (commentLine.test(line) || readsEnvironment.test(line) || proxyDirective.test(line)) continue;
    if (path.endsWith('.py') && (docstrings ??= new TripleQuoted(text)).contains(lineStart)) continue;
    localIsFine ??= loopbackIsLocal.test(path) || isKubernetesManifest(path, text);
    lines ??= new LineIndex(text);
    scanLine(path, lines.lineOf(lineStart), stripTrailingComment(line), findings, localIsFine);
  }
  return findings;
}

/** `host = "10.0.0.1" // old address`: the comment part is documentation, not configuration. */
function stripTrailingComment(line: string): string {
  return line.replace(/\s(?:\/\/|#)\s.*$/, '');
}

function scanLine(path: string, lineNumber: number, line: string, findings: Finding[], localIsFine: boolean): void {
  const seen = new Set<string>();
  const report = (rule: Rule, value: string, message: CataloguedMessage) => {
    if (seen.has(rule.id + value)) return;
    seen.add(rule.id + value);
    findings.push(findingOf(rule, { file: path, line: lineNumber }, message, value));
  };
  for (const m of line.matchAll(credentialsUrl)) {
    // `scheme://user:password@host` written as a pattern in prose or a rule description is no URL.
    if (/^(?:scheme|protocol|proto)(?:s)?:\/\//i.test(m[0])) continue;
    const password = m[2] ?? '';
    // A real-looking password is a secret (secrets.connection-string); a variable is fine; a default is configuration.
    if (!isVariableReference(password) && isPlaceholder(password)) {
      report(configurationRules.credentialsInUrl, `${m[1]}@`, say['configuration.credentials-in-url'].credentials({ user: (m[1] ?? '').slice(0, 100) }));
    }
  }
  for (const m of localIsFine ? [] : line.matchAll(localhostUrl)) {
    report(configurationRules.localhostUrl, m[0].toLowerCase(), say['configuration.localhost-url'].url({ url: m[0] }));
  }
  if (/\d\.\d/.test(line) && !/version/i.test(line)) {
    for (const m of line.matchAll(ipv4)) {
      const ip = m[1] ?? '';
      if (!environmentSpecificIp(ip)) continue;
      report(configurationRules.hardcodedIp, ip, say['configuration.hardcoded-ip'].ip({ ip }));
    }
  }
  const hosts = new Set<string>();
  for (const m of line.matchAll(urlHost)) hosts.add((m[1] ?? '').toLowerCase());
  for (const m of line.matchAll(quotedHost)) hosts.add((m[1] ?? '').toLowerCase());
  for (const host of hosts) {
    if (environmentSpecific(host)) {
      report(configurationRules.environmentHost, host, say['configuration.environment-host'].host({ host }));
    }
  }
}

/** prod.example.org, api-staging.x.fr, db.recette.internal, sso.projet.interieur.gouv.fr; not public sites like
 * data.gouv.fr. */
export function environmentSpecific(host: string): boolean {
  const labels = host.split('.');
  // Reserved for documentation (RFC 2606, RFC 6761).
  if (labels.some((l) => l === 'example' || l === 'localhost') || /\.(?:test|invalid|example)$/.test(host)) return false;
  // The same in every environment: in-cluster service names, Docker's host alias, cloud metadata servers.
  if (/\.svc(?:\.cluster\.local)?$|\.cluster\.local$|^host\.docker\.internal$|^metadata\.google\.internal$|^host\.containers\.internal$/.test(host)) return false;
  const tld = labels[labels.length - 1] ?? '';
  // File names (app.config.json, main.prod.ts) look like hosts: require a real top-level domain shape.
  if (!/^[a-z]{2,12}$/.test(tld) || /^(?:js|ts|mjs|cjs|json|ya?ml|md|txt|html|css|vue|py|java|go|xml|lock|sh|env|conf|toml|png|svg)$/.test(tld)) return false;
  if (internalSuffix.test(host) && labels.length >= 3) return true;
  if (host.endsWith('.gouv.fr') && labels.length >= 4 && labels[0] !== 'www') return true;
  return labels.slice(0, -2).some((label) => label.split('-').some((part) => environmentLabel.test(part)));
}

// The same on every environment, so not configuration: unspecified, loopback, masks, network addresses (x.y.z.0),
// link-local and cloud metadata endpoints, documentation ranges (TEST-NET, RFC 5737).
const wellKnownIp = /^(?:0\.|127\.|255\.|169\.254\.|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|224\.0\.0\.)|\.0$|^(?:100\.100\.100\.200|168\.63\.129\.16|8\.8\.8\.8|8\.8\.4\.4|1\.1\.1\.1|1\.0\.0\.1|9\.9\.9\.9|208\.67\.222\.222)$/;

export function environmentSpecificIp(ip: string): boolean {
  return !wellKnownIp.test(ip);
}

/** A YAML file that declares Kubernetes objects: its `localhost` is the pod's own. */
function isKubernetesManifest(path: string, text: string): boolean {
  return /\.ya?ml$/i.test(path) && /^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text);
}

/** The triple-quoted strings of a Python file (docstrings): prose and examples, not configuration. Built once. */
class TripleQuoted {
  private readonly ranges: [number, number][] = [];

  constructor(text: string) {
    const quote = /"""|'''/g;
    let open: { at: number; mark: string } | undefined;
    for (let m = quote.exec(text); m !== null; m = quote.exec(text)) {
      if (!open) open = { at: m.index, mark: m[0] };
      else if (m[0] === open.mark) {
        this.ranges.push([open.at, m.index + 3]);
        open = undefined;
      }
    }
  }

  contains(offset: number): boolean {
    let low = 0;
    let high = this.ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const [start, end] = this.ranges[mid]!;
      if (offset < start) high = mid - 1;
      else if (offset >= end) low = mid + 1;
      else return true;
    }
    return false;
  }
}
