// A deterministic YAML emitter for plain JSON data (maps, lists, strings, numbers, booleans, null).
// Why not `yaml`'s stringify: it costs about half a millisecond per small manifest, i.e. tens of seconds for a
// platform of 3,000 environments. This covers only what manifests need, sorts keys, quotes every string that
// could read as something else, and the tests parse its output back with `yaml` to prove it is faithful.

const plain = /^[A-Za-z_/][A-Za-z0-9_/.:=@+-]*$/;
// YAML 1.1 and 1.2 words that a parser would turn into booleans or null.
const reserved = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

const writtenStrings = new Map<string, string>();
const writtenStringsLimit = 50_000;

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} in a manifest`);
    return String(value);
  }
  if (typeof value === 'string') {
    // Manifests repeat the same keys and labels thousands of times: remember how each string is written.
    let written = writtenStrings.get(value);
    if (written === undefined) {
      written = plain.test(value) && !reserved.test(value) && !value.endsWith(':') ? value : JSON.stringify(value);
      if (writtenStrings.size >= writtenStringsLimit) writtenStrings.clear();
      writtenStrings.set(value, written);
    }
    return written;
  }
  throw new TypeError(`cannot write a ${typeof value} in a manifest`);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyCollection(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  return scalar(value);
}

function isInline(value: unknown): boolean {
  return !(Array.isArray(value) || isMap(value)) || isEmptyCollection(value);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mapLines(map: Record<string, unknown>, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const key of Object.keys(map).sort(byCodeUnit)) {
    const value = map[key];
    if (value === undefined) continue;
    if (isInline(value)) {
      out.push(`${pad}${scalar(key)}: ${inline(value)}`);
    } else {
      out.push(`${pad}${scalar(key)}:`);
      if (Array.isArray(value)) listLines(value, indent + 2, out);
      else mapLines(value as Record<string, unknown>, indent + 2, out);
    }
  }
}

function listLines(list: unknown[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (isInline(item)) {
      out.push(`${pad}- ${inline(item)}`);
      continue;
    }
    const nested: string[] = [];
    if (Array.isArray(item)) listLines(item, indent + 2, nested);
    else mapLines(item as Record<string, unknown>, indent + 2, nested);
    // The first line of the nested block goes on the dash line.
    nested[0] = `${pad}- ${nested[0]!.slice(indent + 2)}`;
    out.push(...nested);
  }
}

/** One YAML document for one JSON-compatible value, ending with a newline. */
export function yamlDocument(value: unknown): string {
  const out: string[] = [];
  if (Array.isArray(value) && value.length) listLines(value, 0, out);
  else if (isMap(value) && Object.keys(value).length) mapLines(value, 0, out);
  else out.push(inline(value));
  return `${out.join('\n')}\n`;
}
