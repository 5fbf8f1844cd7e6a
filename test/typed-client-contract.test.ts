// The console's typed client (web/src/contract.ts `Routes`) names each call by method and path template; this test
// checks that every one of them is a route the server really declares in its OpenAPI description, so a renamed or
// removed route breaks here and not in a user's browser. The types themselves are checked by `npm run typecheck`
// (web/src/typed-client.type-test.ts).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSystem, type System } from '../src/api/compose.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testConfig } from './support/server.ts';

const contract = readFileSync(new URL('../web/src/contract.ts', import.meta.url), 'utf8');
const routesBlock = contract.slice(contract.indexOf('export interface Routes {'), contract.indexOf('\n}\n', contract.indexOf('export interface Routes {')));
const consoleCalls = [...routesBlock.matchAll(/^\s*'(GET|POST|PUT|PATCH|DELETE) (\/[^']*)':/gm)].map((m) => ({ method: m[1]!.toLowerCase(), path: m[2]! }));

describe('the console’s typed client', () => {
  let system: System;
  let testDb: TestDatabase;
  let paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    system = await composeSystem(testConfig({}), { database: testDb.database, seedDemoAccounts: false, builtinIdentity: false });
    paths = (await system.app.inject({ url: '/api/v1/openapi.json' })).json().paths;
  });
  afterAll(async () => {
    await system.stop();
    await testDb.close();
  });

  it('calls only routes the server declares, each documenting its answers and its problems', () => {
    expect(consoleCalls.length).toBeGreaterThan(60);
    const unknown = consoleCalls.filter((c) => !paths[`/api/v1${c.path}`]?.[c.method]).map((c) => `${c.method.toUpperCase()} ${c.path}`);
    expect(unknown).toEqual([]);
    const undocumented = consoleCalls.filter((c) => {
      const responses = paths[`/api/v1${c.path}`]![c.method]!.responses;
      return !Object.keys(responses).some((status) => /^2\d\d$/.test(status)) || !responses['4XX'] || !responses['5XX'];
    });
    expect(undocumented).toEqual([]);
  });
});
