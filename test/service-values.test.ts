// An instance's values are checked against the chart's values.schema.json on what helm renders with (the chart's
// values.yaml overlaid with the team's values): a required field the defaults fill is not reported missing, a value
// the team sets is still checked, and `null` removes a default as it does in helm.
import { describe, expect, it } from 'vitest';
import { validateValues, withChartDefaults } from '../src/component-catalogue/instances/values.ts';

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['instances', 'backup'],
  properties: {
    instances: { type: 'integer', minimum: 1 },
    backup: { type: 'object', required: ['destinationPath', 'retention'], properties: { destinationPath: { type: 'string', pattern: '^s3://' }, retention: { type: 'string' } } },
  },
};
const defaults = 'instances: 2\nbackup:\n  destinationPath: s3://backups/postgresql\n  retention: 30d\n';

describe("values checked with the chart's defaults", () => {
  it('accepts a partial set of values the defaults complete, merging maps key by key', () => {
    expect(validateValues(schema, withChartDefaults(defaults, { instances: 1 }))).toEqual([]);
    expect(withChartDefaults(defaults, { backup: { retention: '7d' } })).toEqual({ instances: 2, backup: { destinationPath: 's3://backups/postgresql', retention: '7d' } });
  });

  it("still refuses a team's value the schema rejects, and a default removed with null", () => {
    expect(validateValues(schema, withChartDefaults(defaults, { backup: { destinationPath: '/tmp/backups' } }))).toMatchObject([{ field: 'backup/destinationPath' }]);
    expect(validateValues(schema, withChartDefaults(defaults, { backup: { retention: null } }))).toMatchObject([{ field: 'backup/retention' }]);
  });

  it('checks the values alone when the chart has no values.yaml', () => {
    expect(validateValues(schema, withChartDefaults(null, { instances: 1 }))).toMatchObject([{ field: 'backup' }]);
  });
});

// Ajv writes "must be integer"; the form and the API's field errors must read as sentences in the caller's
// language, naming the limit, the pattern or the allowed values, on the field the error is about.
describe('values refused by the chart schema, in French and English', () => {
  const strict = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 3, maxLength: 8, pattern: '^[a-z]+$' },
      replicas: { type: 'integer', minimum: 1, maximum: 5 },
      ratio: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
      mode: { enum: ['fast', 'safe'] },
      kind: { const: 'web' },
      contact: { type: 'string', format: 'email' },
      tags: { type: 'array', maxItems: 2, uniqueItems: true },
      'a/b': { type: 'boolean' },
    },
  };
  const messages = (values: Record<string, unknown>) => Object.fromEntries(validateValues(strict, values).map((p) => [`${p.field}:${p.keyword}`, p.message]));

  it('names the missing, unknown and mistyped fields by their JSON pointer', () => {
    expect(messages({ extra: 1, replicas: 'two', 'a/b': 'yes' })).toEqual({
      'name:required': { fr: 'Champ obligatoire', en: 'Required' },
      'extra:additionalProperties': { fr: 'Champ inconnu du chart', en: 'Unknown field for this chart' },
      'replicas:type': { fr: 'Doit être un nombre entier', en: 'Must be an integer' },
      'a~1b:type': { fr: 'Doit être un booléen (true ou false)', en: 'Must be a boolean (true or false)' },
    });
  });

  it('says the limits, the pattern, the allowed values and the format', () => {
    expect(messages({ name: 'AB', replicas: 9, ratio: 0, mode: 'slow', kind: 'job', contact: 'nobody', tags: ['x', 'x', 'y'] })).toEqual({
      'name:minLength': { fr: 'Au moins 3 caractères', en: 'At least 3 characters' },
      'name:pattern': { fr: 'Doit respecter le motif ^[a-z]+$', en: 'Must match the pattern ^[a-z]+$' },
      'replicas:maximum': { fr: 'Doit être inférieur ou égal à 5', en: 'Must be less than or equal to 5' },
      'ratio:exclusiveMinimum': { fr: 'Doit être strictement supérieur à 0', en: 'Must be greater than 0' },
      'mode:enum': { fr: 'Valeur attendue parmi : "fast", "safe"', en: 'Must be one of: "fast", "safe"' },
      'kind:const': { fr: 'Seule valeur permise : "web"', en: 'Must be "web"' },
      'contact:format': { fr: 'Doit être une adresse électronique', en: 'Must be an e-mail address' },
      'tags:maxItems': { fr: 'Au plus 2 éléments', en: 'At most 2 items' },
      'tags:uniqueItems': { fr: 'Les éléments 0 et 1 sont identiques : chaque élément doit être unique', en: 'Items 0 and 1 are identical: each item must be unique' },
    });
    expect(messages({ name: 'abcdefghij', replicas: 0, ratio: 0.7 })).toEqual({
      'name:maxLength': { fr: 'Au plus 8 caractères', en: 'At most 8 characters' },
      'replicas:minimum': { fr: 'Doit être supérieur ou égal à 1', en: 'Must be greater than or equal to 1' },
      'ratio:multipleOf': { fr: 'Doit être un multiple de 0.5', en: 'Must be a multiple of 0.5' },
    });
  });

  it('reports a schema that does not compile in both languages', () => {
    const [problem] = validateValues({ type: 'object', properties: { a: { type: 'nonsense' } } }, {});
    expect(problem?.message.fr).toMatch(/^Le values.schema.json du chart ne se compile pas/);
    expect(problem?.message.en).toMatch(/^The chart's values.schema.json cannot be compiled/);
  });
});
