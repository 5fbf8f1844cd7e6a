// Literals assigned to secret-looking names (password = "…", API_TOKEN=…, secret: …) in code, .env, YAML, JSON,
// properties. Found by locating the name first (one cheap case-insensitive search), then parsing only around it.
import { characterClasses, shannonEntropy } from './entropy.ts';
import { isPlaceholder } from './placeholder.ts';

export interface AssignmentHit {
  kind: 'password' | 'generic';
  name: string;
  value: string;
  /** Offset of the value in the text. */
  start: number;
  end: number;
}

// Case variants spelled out (camelCase, snake_case, UPPER_CASE): a case-sensitive pattern is much faster to search.
const secretName = /[Pp]assw(?:or)?d|PASSW(?:OR)?D|[Pp]wd|PWD|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[_.-]?[Kk]ey|API[_.-]?KEY|[Aa]pikey|APIKEY|[Aa]ccess[_.-]?[Kk]ey|ACCESS[_.-]?KEY|[Pp]rivate[_.-]?[Kk]ey|PRIVATE[_.-]?KEY|[Cc]lient[_.-]?[Kk]ey|CLIENT[_.-]?KEY|[Aa]uth[_.-]?[Kk]ey|AUTH[_.-]?KEY|[Cc]redential|CREDENTIAL/g;
const nameChar = /[A-Za-z0-9_.-]/;
// After the name: optional closing quote or bracket, an assignment or comparison operator, then a quoted or bare value.
const valueAfterName = /["'\]]?[ \t]*(?:!?===?|:=|=>|=|:)[ \t]*(?:(["'`])([^"'`\r\n]{1,300}?)\1|([^\s"'`,;#)}\]<>]{1,300}))/y;
// Names that hold something about a secret (its type, field, url…) rather than the secret itself.
const notASecretName = /(?:type|field|label|placeholder|input|name|names|id|ids|length|len|min|max|policy|pattern|regex|url|uri|endpoint|path|file|filename|dir|header|prefix|suffix|ref|mode|count|expiry|expires|expiresat|expiration|ttl|timeout|hint|message|msg|text|title|error|format|kind|enabled|required|hash|hashed|salt|schema|storage|store|provider|strategy|reset|forgot|visible|icon|class|key_?ref|location|source|env|var|variable|size|index|list|map|set|status|state|version|scope|scopes|usage|endpoint|getter|setter|cache|ttl|algorithm|alg|encoding|manager|service|handler|validator|check|confirm|confirmation|_?mask|rules?)$/i;
const bareValueFiles = /(?:^|\/)\.env(?:\.[^/]*)?$|\.(?:env|properties|ini|conf|cfg|toml|ya?ml)$/i;
const codeLikeValue = /^(?:true|false|null|nil|none|undefined)$|^[A-Za-z_$][A-Za-z0-9_$]*\(|^(?:\.{0,2}\/|~\/)|:\/\//i;

export function findAssignments(path: string, text: string): AssignmentHit[] {
  const hits: AssignmentHit[] = [];
  const bareAllowed = bareValueFiles.test(path);
  secretName.lastIndex = 0;
  let lastValueEnd = -1;
  for (let m = secretName.exec(text); m !== null; m = secretName.exec(text)) {
    let nameStart = m.index;
    let nameEnd = m.index + m[0].length;
    while (nameStart > 0 && nameStart > m.index - 64 && nameChar.test(text[nameStart - 1] ?? '')) nameStart--;
    while (nameEnd < text.length && nameEnd < m.index + 64 && nameChar.test(text[nameEnd] ?? '')) nameEnd++;
    secretName.lastIndex = nameEnd;
    if (nameEnd <= lastValueEnd) continue;
    const name = text.slice(nameStart, nameEnd);
    if (notASecretName.test(name)) continue;
    valueAfterName.lastIndex = nameEnd;
    const v = valueAfterName.exec(text);
    if (!v) continue;
    const quoted = v[2] !== undefined;
    if (!quoted && !bareAllowed) continue;
    const value = (v[2] ?? v[3] ?? '').trim();
    const end = v.index + v[0].length;
    const start = text.indexOf(value, nameEnd);
    lastValueEnd = end;
    const kind = /passw(?:or)?d|pwd/i.test(name) ? 'password' : 'generic';
    if (!acceptValue(kind, value)) continue;
    hits.push({ kind, name, value, start, end: start + value.length });
  }
  return hits;
}

function acceptValue(kind: 'password' | 'generic', value: string): boolean {
  if (value.length < 6 || value.length > 256) return false;
  if (/\s/.test(value) || codeLikeValue.test(value) || isPlaceholder(value)) return false;
  if (/passw|secret|token/i.test(value)) return false;
  if (kind === 'password') return characterClasses(value) >= 2 || value.length >= 12;
  return value.length >= 12 && characterClasses(value) >= 2 && shannonEntropy(value) >= 3.3 && !/^[a-z]+(?:[._-][a-z]+)+$/i.test(value);
}
