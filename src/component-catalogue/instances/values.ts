// An instance's values checked against the chart's values.schema.json before anything is rendered, so that a
// team gets "replicaCount must be an integer" and not a helm template error. Helm itself validates the same schema
// at render time; doing it first gives field paths the form and the CLI can show.
import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { LocalisedText } from '../../errors.ts';
import { childOf, localiseSchemaError, pointerSegment } from './values-messages.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

export interface ValuesProblem {
  /** JSON pointer of the value without its leading "/", e.g. `persistence/size` (empty for the whole document). */
  field: string;
  /** The schema keyword that refused it (`required`, `type`, `maximum`…) and Ajv's parameters (limit, pattern…). */
  keyword: string;
  params: Record<string, unknown>;
  message: LocalisedText;
}

const compiled = new WeakMap<object, (values: unknown) => ValuesProblem[]>();

function compile(schema: Record<string, unknown>): (values: unknown) => ValuesProblem[] {
  const draft2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
  const ajv = draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const { $schema: _ignored, ...rest } = schema;
  const validate = ajv.compile(draft2020 ? schema : rest);
  return (values) => (validate(values) ? [] : (validate.errors ?? []).slice(0, 50).map(problemOf));
}

function problemOf(error: ErrorObject): ValuesProblem {
  // Ajv's instancePath is already a JSON pointer (escaped); a missing or unknown member is named by the error's params.
  const base = error.instancePath.replace(/^\//, '');
  const child = childOf(error);
  const extra = child === undefined ? undefined : pointerSegment(child);
  return { field: extra ? (base ? `${base}/${extra}` : extra) : base, keyword: error.keyword, params: error.params as Record<string, unknown>, message: localiseSchemaError(error) };
}

/** Problems of `values` against the chart's schema; none when the chart has no schema. */
export function validateValues(
  schema: Record<string, unknown> | null | undefined,
  values: Record<string, unknown>,
): ValuesProblem[] {
  if (!schema) return [];
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      validate = compile(schema);
    } catch (error) {
      const why = (error as Error).message.slice(0, 200);
      return [
        {
          field: '',
          keyword: 'schema',
          params: {},
          message: {
            fr: `Le values.schema.json du chart ne se compile pas : ${why}`,
            en: `The chart's values.schema.json cannot be compiled: ${why}`,
          },
        },
      ];
    }
    compiled.set(schema, validate);
  }
  return validate(values);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The values helm renders with: the chart's values.yaml overlaid with the instance's values (maps merged key by key,
 * anything else replaced, `null` removes a default), so that the schema is checked on what helm checks and a field
 * the chart's defaults already fill is not reported missing.
 */
export function withChartDefaults(
  defaultValues: string | null | undefined,
  values: Record<string, unknown>,
): Record<string, unknown> {
  let defaults: unknown;
  try {
    defaults = defaultValues ? parseYaml(defaultValues) : undefined;
  } catch {
    defaults = undefined; // an unreadable values.yaml is reported by the render, not here
  }
  return isMap(defaults) ? overlay(defaults, values) : values;
}

function overlay(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    if (value === null) delete merged[key];
    else merged[key] = isMap(value) && isMap(base[key]) ? overlay(base[key], value) : value;
  }
  return merged;
}
