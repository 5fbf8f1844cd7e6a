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
// The secrets scan finds these through the rare characters they hold (locate.ts): a name added here needs its anchor
// there, and locate.test.ts fails until it has one.
export const secretName = /[Pp]assw(?:or)?d|PASSW(?:OR)?D|[Pp]wd|PWD|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[_.-]?[Kk]ey|API[_.-]?KEY|[Aa]pikey|APIKEY|[Aa]ccess[_.-]?[Kk]ey|ACCESS[_.-]?KEY|[Pp]rivate[_.-]?[Kk]ey|PRIVATE[_.-]?KEY|[Cc]lient[_.-]?[Kk]ey|CLIENT[_.-]?KEY|[Aa]uth[_.-]?[Kk]ey|AUTH[_.-]?KEY|[Cc]redential|CREDENTIAL/g;
/** A character of a name: letter, digit, `_`, `.` or `-` (by char code: this runs around every name hit). */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 46 || code === 45;
}
// After the name: optional closing quote or bracket, an assignment or comparison operator, then a quoted or bare value.
const valueAfterName = /["'\]]?[ \t]*(?:!?===?|:=|=>|=|:)[ \t]*(?:(["'`])([^"'`\r\n]{1,300}?)\1|([^\s"'`,;#)}\]<>]{1,300}))/y;
// Names that hold something about a secret (its type, field, url…) rather than the secret itself.
const notASecretName = /(?:type|field|label|placeholder|input|name|names|id|ids|length|len|min|max|policy|pattern|regex|url|uri|endpoint|path|file|filename|dir|header|prefix|suffix|ref|mode|count|expiry|expires|expiresat|expiration|ttl|timeout|hint|message|msg|text|title|error|format|kind|enabled|required|hash|hashed|salt|schema|storage|store|provider|strategy|reset|forgot|visible|icon|class|key_?ref|location|source|env|var|variable|size|index|list|map|set|status|state|version|scope|scopes|usage|endpoint|getter|setter|cache|ttl|algorithm|alg|encoding|manager|service|handler|validator|check|confirm|confirmation|_?mask|rules?)$/i;
const bareValueFiles = /(?:^|\/)\.env(?:\.[^/]*)?$|\.(?:env|properties|ini|conf|cfg|toml|ya?ml)$/i;
const codeLikeValue = /^(?:true|false|null|nil|none|undefined)$|^[A-Za-z_$][A-Za-z0-9_$]*\(|^(?:\.{0,2}\/|~\/)|:\/\//i;

/** Files where a bare (unquoted) value counts: .env, properties, YAML, INI, TOML. */
export function bareValuesAllowed(path: string): boolean {
  return bareValueFiles.test(path);
}

/**
 * The assignment around a secret-like name found at `index` (length `length`), if its value looks like a secret.
 * `after` is the end of the previous assignment, so one value is never reported twice.
 */
export function assignmentAt(text: string, index: number, length: number, bareAllowed: boolean): (AssignmentHit & { valueEnd: number }) | { skipTo: number } | undefined {
  let nameStart = index;
  let nameEnd = index + length;
  while (nameStart > 0 && nameStart > index - 64 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
  while (nameEnd < text.length && nameEnd < index + 64 && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  // The value first: most names in code (token.type, getSecret(…)) are followed by no assignment at all, and the
  // sticky pattern rejects them at their first character.
  valueAfterName.lastIndex = nameEnd;
  const v = valueAfterName.exec(text);
  if (!v) return { skipTo: nameEnd };
  const name = text.slice(nameStart, nameEnd);
  if (notASecretName.test(name)) return { skipTo: nameEnd };
  const quoted = v[2] !== undefined;
  const end = v.index + v[0].length;
  if (!quoted && !bareAllowed) return { skipTo: nameEnd };
  const value = (v[2] ?? v[3] ?? '').trim();
  const kind = /passw(?:or)?d|pwd/i.test(name) ? 'password' : 'generic';
  if (!acceptValue(kind, value)) return { skipTo: end };
  const start = text.indexOf(value, nameEnd);
  return { kind, name, value, start, end: start + value.length, valueEnd: end };
}

function acceptValue(kind: 'password' | 'generic', value: string): boolean {
  if (value.length < 6 || value.length > 256) return false;
  if (/\s/.test(value) || codeLikeValue.test(value) || isPlaceholder(value)) return false;
  if (/passw|secret|token/i.test(value)) return false;
  if (kind === 'password') return characterClasses(value) >= 2 || value.length >= 12;
  return value.length >= 12 && characterClasses(value) >= 2 && shannonEntropy(value) >= 3.3 && !/^[a-z]+(?:[._-][a-z]+)+$/i.test(value);
}
