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
