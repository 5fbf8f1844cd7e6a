// Validating custom resources against an operator's CustomResourceDefinition, as the Kubernetes API server would
// before an operator ever sees them: the CRD's structural schema (openAPIV3Schema, OpenAPI 3.0 flavour) turned
// into a JSON Schema that ajv checks. What the API server does and this follows:
// - a field the schema does not declare is refused (kubectl and ArgoCD apply with strict field validation; without
//   it the server would silently drop the field, so a setting we believe we make would be lost), unless the object
//   says x-kubernetes-preserve-unknown-fields or is a map (additionalProperties);
// - required fields, enums, patterns, bounds, int32/int64 ranges, x-kubernetes-int-or-string, nullable, and the
//   embedded objects of x-kubernetes-embedded-resource (apiVersion, kind, metadata implied);
// - the top-level metadata is ObjectMeta, checked by the server's own rules, not by the CRD.
// Not evaluated: CEL rules (x-kubernetes-validations), which need a CEL interpreter; the test names the few that
// exist in the CRDs it uses and why our resources do not reach them.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

type OpenApiSchema = Record<string, unknown>;
type JsonSchema = Record<string, unknown>;

const int32 = { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 };

/** One structural-schema node as JSON Schema (draft 7). */
export function structuralToJsonSchema(node: OpenApiSchema, options: { embedded?: boolean } = {}): JsonSchema {
  const out: JsonSchema = {};
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = options.embedded === true || node['x-kubernetes-embedded-resource'] === true;
  if (node['x-kubernetes-int-or-string'] === true) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (typeof node.type === 'string') {
    out.type = node.nullable === true ? [node.type, 'null'] : node.type;
  }
  for (const keyword of ['enum', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf'] as const) {
    if (node[keyword] === undefined) continue;
    // On an int-or-string (a quantity, a port), string keywords apply to the string form only.
    if (Array.isArray(out.anyOf) && ['pattern', 'minLength', 'maxLength'].includes(keyword)) (out.anyOf as JsonSchema[])[1]![keyword] = node[keyword];
    else out[keyword] = node[keyword];
  }
  if (Array.isArray(out.enum) && node.nullable === true) out.enum = [...out.enum, null];
  // OpenAPI 3.0: exclusiveMinimum/Maximum are booleans qualifying minimum/maximum.
  if (node.minimum !== undefined) out[node.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'] = node.minimum;
  if (node.maximum !== undefined) out[node.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'] = node.maximum;
  if (node.type === 'integer' && node.format === 'int32') {
    out.minimum ??= int32.minimum;
    out.maximum ??= int32.maximum;
  }
  if (node.type === 'string' && node.format === 'date-time') out.format = 'date-time';
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[keyword])) {
      const branches = (node[keyword] as OpenApiSchema[]).map((branch) => structuralToJsonSchema(branch));
      // int-or-string already used anyOf: combine instead of overwriting.
      if (keyword === 'anyOf' && out.anyOf) out.allOf = [...((out.allOf as JsonSchema[]) ?? []), { anyOf: branches }];
      else out[keyword] = branches;
    }
  }
  if (node.not && typeof node.not === 'object') out.not = structuralToJsonSchema(node.not as OpenApiSchema);
  if (node.items && typeof node.items === 'object') out.items = structuralToJsonSchema(node.items as OpenApiSchema);

  const isObject = node.type === 'object' || embedded || node.properties !== undefined;
  if (isObject) {
    // Older (v1beta1) CRDs leave `type: object` implied where properties are given.
    if (out.type === undefined && out.anyOf === undefined) out.type = 'object';
    const properties: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, OpenApiSchema>))
      properties[name] = structuralToJsonSchema(child);
    if (embedded) {
      properties.apiVersion ??= { type: 'string' };
      properties.kind ??= { type: 'string' };
      properties.metadata ??= { type: 'object' };
    }
    if (Object.keys(properties).length > 0) out.properties = properties;
    if (Array.isArray(node.required)) out.required = node.required;
    if (node.additionalProperties !== undefined && typeof node.additionalProperties === 'object') {
      out.additionalProperties = structuralToJsonSchema(node.additionalProperties as OpenApiSchema);
    } else if (node.additionalProperties === true || preserveUnknown) {
      // A free-form object: whatever is inside is kept as given.
    } else if (node.properties !== undefined || node.type === 'object') {
      out.additionalProperties = false;
    }
  }
  return out;
}

export interface CustomResourceSchema {
  group: string;
  version: string;
  kind: string;
  validate: ValidateFunction;
  /** CEL rules of the schema (message and rule), not evaluated here. */
  celRules: { path: string; rule: string; message?: string }[];
}

function collectCelRules(node: unknown, at: string, into: CustomResourceSchema['celRules']): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as OpenApiSchema;
  for (const rule of (schema['x-kubernetes-validations'] ?? []) as { rule: string; message?: string }[]) into.push({ path: at || '/', rule: rule.rule, ...(rule.message ? { message: rule.message } : {}) });
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) collectCelRules(child, `${at}/${name}`, into);
  if (schema.items) collectCelRules(schema.items, `${at}/*`, into);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') collectCelRules(schema.additionalProperties, `${at}/*`, into);
}

/** Every served version of the CRDs in a YAML file, compiled. */
export function loadCustomResourceSchemas(file: string): CustomResourceSchema[] {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: true, formats: { 'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/ } });
  const schemas: CustomResourceSchema[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = document.toJS() as {
      kind?: string;
      spec?: {
        group: string;
        names: { kind: string };
        versions: { name: string; served: boolean; schema?: { openAPIV3Schema: OpenApiSchema } }[];
        validation?: { openAPIV3Schema: OpenApiSchema };
      };
    } | null;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    for (const version of crd.spec.versions) {
      // apiextensions.k8s.io/v1beta1 CRDs (older operators) hold one schema for every version under spec.validation.
      const root = version.schema?.openAPIV3Schema ?? crd.spec.validation?.openAPIV3Schema;
      if (!version.served || !root) continue;
      const json = structuralToJsonSchema(root);
      // ObjectMeta is validated by the API server itself, whatever the CRD says of it.
      (json.properties as Record<string, JsonSchema>).metadata = { type: 'object' };
      const celRules: CustomResourceSchema['celRules'] = [];
      collectCelRules(root, '', celRules);
      schemas.push({
        group: crd.spec.group,
        version: version.name,
        kind: crd.spec.names.kind,
        validate: ajv.compile(json),
        celRules,
      });
    }
  }
  return schemas;
}

/** Ajv's errors as `path: message` lines a reader can act on. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : e.keyword === 'enum' ? ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})` : '';
    return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`;
  });
}
