// Literals assigned to secret-looking names (password = "…", API_TOKEN=…, secret: …) in code, .env, YAML, JSON,
// properties. Found by locating the name first (one cheap case-insensitive search), then parsing only around it.
import { characterClasses, shannonEntropy } from './entropy.ts';
import { isPlaceholder } from './placeholder.ts';

export interface AssignmentHit {
  kind: 'password' | 'generic';
  /** Whether the value looks like a secret for its kind (a provider-labelled shape may still make it one). */
  accepted: boolean;
  name: string;
  value: string;
  /** Offset of the value in the text. */
  start: number;
  end: number;
}

// Case variants spelled out (camelCase, snake_case, UPPER_CASE): a case-sensitive pattern is much faster to search.
// The secrets scan finds these through the rare characters they hold (locate.ts): a name added here needs its anchor
// there, and locate.test.ts fails until it has one.
export const secretName = /[Pp]assw(?:or)?d|PASSW(?:OR)?D|[Pp]wd|PWD|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[_.-]?[Kk]ey|API[_.-]?KEY|[Aa]pikey|APIKEY|[Aa]ccess[_.-]?[Kk]ey|ACCESS[_.-]?KEY|[Pp]rivate[_.-]?[Kk]ey|PRIVATE[_.-]?KEY|[Cc]lient[_.-]?[Kk]ey|CLIENT[_.-]?KEY|[Aa]uth[_.-]?[Kk]ey|AUTH[_.-]?KEY|[Aa]pp[_.-]?[Kk]ey|APP[_.-]?KEY|[Ll]icense[_.-]?[Kk]ey|LICENSE[_.-]?KEY|[Cc]redential|CREDENTIAL/g;
/** A character of a name: letter, digit, `_`, `.` or `-` (by char code: this runs around every name hit). */
function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 46 ||
    code === 45
  );
}
// After the name: optional closing quote or bracket (and `value` for XML's name="…password" value="…"), an assignment
// or comparison operator, then a quoted or bare value.
const valueAfterName = /["'\]]?(?:[ \t]+value)?[ \t]*(?:!?===?|:=|=>|=|:)[ \t]*(?:(["'`])([^"'`\r\n]{1,300}?)\1|([^\s"'`,;#)}\]<>]{1,300}))/y;
// XML element: <password>value</password>, <db.password>value</db.password>.
const xmlElementValue = />([^<>\r\n]{1,300})<\//y;
// Names that hold something about a secret (its type, field, url…) rather than the secret itself, or a public
// identifier named after a token (an Ethereum token contract's address).
const notASecretName = /^existing|^hash(?:ed)?[_.-]|csrf|xsrf|(?:passw(?:or)?d|token|secret)[_.-]?(?:key|keys|name)$|(?:type|field|label|placeholder|input|name|names|id|ids|length|len|min|max|policy|pattern|regex|url|uri|endpoint|path|file|filename|dir|header|prefix|suffix|ref|mode|count|expiry|expires|expiresat|expiration|ttl|timeout|hint|message|msg|text|title|error|format|kind|enabled|required|hash|hashed|salt|schema|storage|store|provider|strategy|reset|forgot|visible|icon|class|key_?ref|location|source|env|var|variable|size|index|list|map|set|status|state|version|scope|scopes|usage|endpoint|getter|setter|cache|ttl|algorithm|alg|encoding|manager|service|handler|validator|check|confirm|confirmation|_?mask|rules?|address|addr)$/i;
const bareValueFiles = /(?:^|\/)\.env(?:\.[^/]*)?$|\.(?:env|properties|ini|conf|cfg|toml|ya?ml|sh|bash|zsh|md|markdown)$/i;
/**
 * Translation catalogues (any script): their values are sentences and labels ("Passwort", "パスワード"), never
 * credentials. Folders named for translations, gettext/XLIFF/resx/strings files, and files named for a language.
 */
const translationFile = /(?:^|\/)(?:locales?|i18n|l10n|lang|langs|languages|translations?)\/|\.(?:po|pot|xlf|xliff|resx|strings|arb)$|(?:^|\/)values-[a-z]{2}(?:-r?[A-Z]{2})?\/strings\.xml$|(?:^|\/)(?:messages|strings|translations?)(?:[_.-][a-z]{2}(?:[_-][A-Za-z]{2})?)?\.(?:properties|json|ya?ml|xml)$|(?:^|\/)[a-z]{2}(?:[_-][A-Z]{2})?\.(?:json|ya?ml)$/;
/** Stored password hashes (bcrypt, argon2, scrypt, pbkdf2, crypt, LDAP and Django forms): not usable as passwords. */
const passwordHash = /^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|[1567]|y|gy|sha1|md5|sha256|sha512)\$|^(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|scrypt|sha1|md5|unsalted_md5|crypt)\$|^\{(?:SSHA|SHA|SMD5|MD5|CRYPT|SSHA256|SSHA512|PBKDF2[\w-]*|ARGON2|BCRYPT)\}/i;
/** A content digest (sha256:…, rl-sha256:…, md5=…): identifies a file, gives access to nothing. */
const digest = /^(?:[a-z]+-)?(?:sha(?:1|224|256|384|512)|md5|blake2b?)[:=][0-9a-f]{32,}$/i;
/** A version (1.2.3, ^4.0.1, v2.0.0-rc.1): package manifests and lockfiles name packages like password-validator. */
const version = /^[~^<>=v]{0,2}\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/;
/** A lower-case key or path made of words (openid-configuration:, spring.datasource.password, cache/users/). */
const keyName = /^[a-z]+(?:[._:/-][a-z]+)*[._:/-]?$/i;
/** A label rather than a password: one word spelling "password" in some language (Passwort, contraseña,
 * mot_de_passe). */
const passwordLabel = /^[A-Z]?[a-z0-9_-]*(?:pass|wort|contrase|senha|parol|hasl|losen|salasana|wachtwoord|heslo|jelszo|lozinka|sifre|clave|secret)[a-z0-9_-]*$/;
/** Test and documentation fillers: password1, secret123, the name of another setting (jiraToken, NOT_USED). */
const fillerValue = /^(?:password|pass|secret|test)\d{1,4}$|^[a-z]+(?:[A-Z][a-z]+)*(?:Token|Secret|Password|Pass|Key)$|^[A-Z]+(?:_[A-Z0-9]+)+$/;
/** A regular expression rather than a value (an expected-output pattern in a test): a character class or a count. */
const patternValue = /\[[^\]]{0,40}-[^\]]{0,40}\]|\{\d+(?:,\d*)?\}/;
const codeLikeValue = /^(?:true|false|null|nil|none|undefined)$|^[A-Za-z_$][A-Za-z0-9_$]*\(|^(?:\.{0,2}\/|~\/)|:\/\//i;

/** Files where a bare (unquoted) value counts: .env, properties, YAML, INI, TOML, shell scripts, Markdown (export
 * X=…). */
export function bareValuesAllowed(path: string): boolean {
  return bareValueFiles.test(path);
}

/** Files whose assignments are translations, not configuration. */
export function isTranslationFile(path: string): boolean {
  return translationFile.test(path);
}

/**
 * The assignment around a secret-like name found at `index` (length `length`), if its value looks like a secret.
 * `after` is the end of the previous assignment, so one value is never reported twice.
 */
export function assignmentAt(
  text: string,
  index: number,
  length: number,
  bareAllowed: boolean,
): (AssignmentHit & { valueEnd: number }) | { skipTo: number } | undefined {
  let nameStart = index;
  let nameEnd = index + length;
  while (nameStart > 0 && nameStart > index - 64 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
  while (nameEnd < text.length && nameEnd < index + 64 && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  // The value first: most names in code (token.type, getSecret(…)) are followed by no assignment at all, and the
  // sticky pattern rejects them at their first character.
  valueAfterName.lastIndex = nameEnd;
  let v = valueAfterName.exec(text);
  let quoted = v?.[2] !== undefined;
  if (!v && text.charCodeAt(nameEnd) === 62 /* > */ && text.charCodeAt(nameStart - 1) === 60 /* < */) {
    xmlElementValue.lastIndex = nameEnd;
    v = xmlElementValue.exec(text);
    quoted = true;
  }
  if (!v) return { skipTo: nameEnd };
  // A package (@inquirer/password, org/secret-manager) or a path, not a name; a variable read (${DB_PASSWORD:-…}).
  const before = text.charCodeAt(nameStart - 1);
  if (
    before === 47 /* / */ ||
    before === 64 /* @ */ ||
    (before === 123 /* { */ && text.charCodeAt(nameStart - 2) === 36) /* $ */
  )
    return { skipTo: nameEnd };
  // A template property binding (Angular `[passwordComponent]="passwordStrength"`): the value is an expression.
  if (before === 91 /* [ */ && text.charCodeAt(nameEnd) === 93 /* ] */ && text.charCodeAt(nameEnd + 1) === 61 /* = */)
    return { skipTo: nameEnd };
  if (insideTemplate(text, nameStart)) return { skipTo: nameEnd };
  const name = text.slice(nameStart, nameEnd);
  if (notASecretName.test(name)) return { skipTo: nameEnd };
  const end = v.index + v[0].length;
  if (!quoted && !bareAllowed) return { skipTo: nameEnd };
  const value = (v[2] ?? v[3] ?? v[1] ?? '').trim();
  const kind = /passw(?:or)?d|pwd/i.test(name) ? 'password' : 'generic';
  const start = text.indexOf(value, nameEnd);
  return { kind, accepted: acceptValue(kind, value), name, value, start, end: start + value.length, valueEnd: end };
}

/** The name sits inside a template expression on its line ({{ $password := randAlphaNum 16 }}, {% set … %}). */
function insideTemplate(text: string, nameStart: number): boolean {
  // At most 300 characters back: lastIndexOf('\n') would walk back to the start of a minified file at every name.
  const floor = Math.max(0, nameStart - 300);
  let lineStart = nameStart;
  while (lineStart > floor && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  const before = text.slice(lineStart, nameStart);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  return open !== -1 && before.indexOf('}}', open) === -1 && before.indexOf('%}', open) === -1;
}

function acceptValue(kind: 'password' | 'generic', value: string): boolean {
  if (value.length < 6 || value.length > 256) return false;
  if (/\s/.test(value) || codeLikeValue.test(value) || isPlaceholder(value)) return false;
  // Passwords are typed on keyboards: a value outside printable ASCII is text (a translation, a label).
  if (!/^[\x21-\x7e]+$/.test(value)) return false;
  if (
    passwordHash.test(value) ||
    digest.test(value) ||
    version.test(value) ||
    fillerValue.test(value) ||
    patternValue.test(value)
  )
    return false;
  if (value.startsWith('[') || value.startsWith('<')) return false;
  if (kind === 'password') {
    // A value holding the word "password" is not thereby a placeholder (Password123!, MySupErPaSSwOrd); a bare
    // word naming the field is (mypassword, Passwort), and so is a key or path (spring.datasource.password).
    if (passwordLabel.test(value) || (/[.:/]/.test(value) && keyName.test(value))) return false;
    return characterClasses(value) >= 2 || value.length >= 12;
  }
  if (/passw|secret|token/i.test(value)) return false;
  return value.length >= 12 && characterClasses(value) >= 2 && shannonEntropy(value) >= 3.3 && !keyName.test(value);
}
