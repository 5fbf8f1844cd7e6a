// Validation of an API description against the official JSON Schema of its version, compiled
// lazily (once per version) because compiling all three costs more than most runs need.
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

export type SpecVersion = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';

export function specVersionOf(document: Record<string, unknown>): SpecVersion | { unsupported: string } | undefined {
  if (typeof document.swagger === 'string' || typeof document.swagger === 'number') {
    return String(document.swagger) === '2.0' ? 'swagger-2.0' : { unsupported: `swagger ${String(document.swagger)}` };
  }
  if (typeof document.openapi === 'string') {
    if (/^3\.0\.\d+/.test(document.openapi)) return 'openapi-3.0';
    if (/^3\.1\.\d+/.test(document.openapi)) return 'openapi-3.1';
    return { unsupported: `openapi ${document.openapi}` };
  }
  if (document.openapi !== undefined) return { unsupported: `openapi ${String(document.openapi)}` };
  return undefined;
}

/**
 * Draft-04 schemas name their identifier `id` and use boolean exclusiveMinimum/Maximum; the draft-07
 * validator wants `$id`, numeric exclusive bounds and no draft-04 `$schema`.
 */
function asDraft07(schema: Record<string, unknown>): Record<string, unknown> {
  const { id, $schema: _ignored, ...rest } = schema;
  const converted = convertBounds(rest) as Record<string, unknown>;
  return typeof id === 'string' ? { $id: id.replace(/#$/, ''), ...converted } : converted;
}

function convertBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertBounds);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = convertBounds(child);
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
  return out;
}

/**
 * The 3.1 schema reaches Schema Objects through `$dynamicRef: "#meta"` so that dialect extensions can
 * override it; we validate no dialect, and Ajv mis-evaluates that dynamic reference together with
 * `unevaluatedProperties`, so it becomes a plain reference to the same definition.
 */
function staticMetaReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(staticMetaReferences);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$dynamicAnchor') continue;
    if (key === '$dynamicRef' && child === '#meta') out.$ref = '#/$defs/schema';
    else out[key] = staticMetaReferences(child);
  }
  return out;
}

const compiled = new Map<SpecVersion, ValidateFunction>();

function validatorOf(version: SpecVersion): ValidateFunction {
  const existing = compiled.get(version);
  if (existing) return existing;
  let validate: ValidateFunction;
  if (version === 'openapi-3.1') {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, formats: { 'media-range': true } });
    addFormats(ajv);
    validate = ajv.compile(staticMetaReferences(require('./schemas/openapi-3.1.json')) as object);
  } else {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, schemaId: '$id' });
    addFormats(ajv);
    ajv.addSchema(asDraft07(require('./schemas/json-schema-draft-04.json') as Record<string, unknown>));
    const file = version === 'swagger-2.0' ? './schemas/swagger-2.0.json' : './schemas/openapi-3.0.json';
    validate = ajv.compile(asDraft07(require(file) as Record<string, unknown>));
  }
  compiled.set(version, validate);
  return validate;
}

export interface SchemaViolation { path: (string | number)[]; message: string }

/** Schema violations, most specific first, at most `limit` of them (an oneOf failure cascades). */
export function validateApiDescription(version: SpecVersion, document: unknown, limit = 10): SchemaViolation[] {
  const validate = validatorOf(version);
  if (validate(document)) return [];
  const errors = validate.errors ?? [];
  const seen = new Set<string>();
  const violations: SchemaViolation[] = [];
  // Deeper paths point closer to the mistake; oneOf/anyOf summaries on the parent add little.
  const sorted = [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  for (const error of sorted) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    // Every object may alternatively be a Reference: "missing $ref" only restates the real error.
    if (error.keyword === 'required' && (error.params as { missingProperty?: string }).missingProperty === '$ref') continue;
    const extra = error.keyword === 'additionalProperties' ? ` "${String((error.params as { additionalProperty?: string }).additionalProperty)}"` : '';
    const message = `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${extra}`;
    if (seen.has(message)) continue;
    seen.add(message);
    // Kept as strings: a status code "200" is a map key, and the YAML locator reads "0" as a list index too.
    const path = error.instancePath.split('/').filter((s) => s !== '').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    violations.push({ path, message });
    if (violations.length >= limit) break;
  }
  if (violations.length === 0) violations.push({ path: [], message: 'does not match the schema' });
  return violations;
}
