// Values that look like secrets but are obviously not: templates, variables, documentation placeholders.
// Rejecting them keeps the gate meaningful (a secret finding always fails it).

const placeholderWords = [
  'changeme', 'change-me', 'change_me', 'example', 'placeholder', 'dummy', 'sample', 'redacted', 'xxxx', '****',
  'your_', 'your-', 'yourpassword', 'yoursecret', 'yourtoken', 'fake', 'notasecret', 'not-a-secret', 'not_a_secret',
  'replace', 'insert', 'todo', 'fixme', '...', '…', 'lorem',
];

const exactPlaceholders = new Set([
  'password', 'passwd', 'pwd', 'secret', 'token', 'pass', 'string', 'null', 'nil', 'none', 'undefined', 'true', 'false',
  'required', 'optional', 'empty', 'default', 'value', 'test', 'testing', 'admin', 'root', 'user', 'username', 'secret123', 'guest',
]);

/** A reference to a variable or a template slot rather than a value. */
export function isVariableReference(value: string): boolean {
  return (
    value.includes('${') || value.includes('{{') || value.includes('%(') || value.includes('$(') ||
    /^\$[A-Za-z_{]/.test(value) || /^%[A-Za-z_]+%$/.test(value) || /^\{[A-Za-z_.]*\}$/.test(value) ||
    value.includes('process.env') || value.includes('os.environ') || value === '%s'
  );
}

export function isPlaceholder(value: string): boolean {
  if (isVariableReference(value)) return true;
  const lower = value.toLowerCase();
  if (exactPlaceholders.has(lower)) return true;
  if (lower.startsWith('<') && lower.endsWith('>')) return true;
  if (lower.startsWith('[') && lower.endsWith(']')) return true;
  for (const word of placeholderWords) if (lower.includes(word)) return true;
  // One repeated character (aaaaaaaa, 00000000, xxxxxxxx).
  if (/^(.)\1+$/.test(value)) return true;
  // A run of the alphabet or of the digits (…0123456789abcdef…): documentation filler, never random.
  if (lower.includes('abcdefgh') || lower.includes('01234567') || lower.includes('12345678')) return true;
  return false;
}
