// Security suite, hostile text: generated from the OpenAPI description, every string field of every write operation
// (and every path parameter) receives a NUL, control characters, a text-direction override, and bytes that are not
// UTF-8. No answer may be a 5xx; hostile text in a body field is refused with a 400 naming the field. Requests are
// sent as the platform administrator, so authorization does not hide what validation does.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWorld, type World } from '../support/api-fixtures.ts';
import { createTestSystem, testAdminToken, type TestSystem } from '../support/server.ts';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  const?: unknown;
  minLength?: number;
  pattern?: string;
};

/** A small value of the schema's type (the other fields of the request, so the hostile one is what is judged). */
function sample(schema: Schema | undefined, world: World): unknown {
  if (!schema) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt) return sample(alt.find((s) => s.type !== 'null') ?? alt[0], world);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return world.projectId;
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.format === 'uri') return 'https://forge.example.org/x';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties?.[k], world)]));
    default:
      return 'x';
  }
}

/** Paths of string fields in a body schema (two levels deep: nested objects such as credentials). */
function stringFields(schema: Schema | undefined, prefix: string[] = [], depth = 0): string[][] {
  if (!schema?.properties || depth > 1) return [];
  const out: string[][] = [];
  for (const [name, field] of Object.entries(schema.properties)) {
    const types = [
      field.type,
      ...(field.anyOf ?? []).map((s) => s.type),
      ...(field.oneOf ?? []).map((s) => s.type),
    ].flat();
    if (types.includes('string')) out.push([...prefix, name]);
    if (types.includes('object')) out.push(...stringFields(field.anyOf?.find((s) => s.properties) ?? field, [...prefix, name], depth + 1));
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

const hostile: { name: string; value: string }[] = [
  { name: 'NUL', value: 'a\u0000b' },
  { name: 'control characters', value: 'a\u0001\u0007\u001bb' },
  { name: 'bidi override', value: 'abc\u202edcba' },
];
const invalidUtf8Marker = 'INVALID-UTF8-HERE';

describe('security: hostile text in every string field of every write operation', () => {
  let system: TestSystem;
  let world: World;

  beforeAll(async () => {
    system = await createTestSystem('pglite');
    world = await seedWorld(system.services.db);
  }, 60_000);
  afterAll(() => system?.stop());

  it('never answers 5xx, and refuses hostile text in a body field with a 400 naming it', async () => {
    const doc = system.app.swagger() as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content?: Record<string, { schema?: Schema }> };
            parameters?: { in: string; name: string }[];
          }
        >
      >;
    };
    const failures: string[] = [];
    let requests = 0;
    let operations = 0;
    let fields = 0;
    for (const [route, methods] of Object.entries(doc.paths)) {
      if (!route.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(methods)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        operations++;
        const params = (route.match(/\{[^}]+\}/g) ?? []).map((p) => p.slice(1, -1));
        const fill = (overrides: Record<string, string> = {}) =>
          route.replace(/\{([^}]+)\}/g, (_m, name: string) => overrides[name] ?? (/project/i.test(name) ? world.projectId : randomUUID()));
        const schema = op.requestBody?.content?.['application/json']?.schema;
        const send = async (url: string, payload: string | Buffer | undefined, label: string, expectField?: string) => {
          requests++;
          const res = await system.app.inject({
            method: method.toUpperCase() as 'POST',
            url,
            headers: { authorization: `Bearer ${testAdminToken}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(payload !== undefined ? { payload } : {}),
          });
          if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${route} ${label} → ${res.statusCode}`);
          else if (expectField !== undefined) {
            const body = res.json() as { errors?: { field: string }[] };
            if (res.statusCode !== 400 || !body.errors?.some((e) => e.field === expectField || e.field === 'body')) failures.push(`${method.toUpperCase()} ${route} ${label} → ${res.statusCode} without a field error on ${expectField}`);
          }
        };
        const base = schema ? (sample(schema, world) as Record<string, unknown>) : undefined;
        for (const path of schema ? stringFields(schema) : []) {
          fields++;
          for (const h of hostile) {
            const body = structuredClone(base ?? {});
            setPath(body, path, h.value);
            await send(fill(), JSON.stringify(body), `${path.join('.')} ${h.name}`, path.join('/'));
          }
          const body = structuredClone(base ?? {});
          setPath(body, path, invalidUtf8Marker);
          const text = Buffer.from(JSON.stringify(body));
          const at = text.indexOf(invalidUtf8Marker);
          const bytes = Buffer.concat([
            text.subarray(0, at),
            Buffer.from([0x61, 0xc3, 0x28, 0xff, 0x62]),
            text.subarray(at + invalidUtf8Marker.length),
          ]);
          await send(fill(), bytes, `${path.join('.')} invalid UTF-8`, 'body');
        }
        for (const name of params) {
          for (const bad of ['%00', 'a%01b', '%E2%80%AE', '%C3%28']) await send(fill({ [name]: bad }), base ? JSON.stringify(base) : undefined, `path ${name}=${bad}`);
        }
      }
    }
    console.log(`security suite (hostile text): ${operations} write operations, ${fields} string fields, ${requests} requests, ${failures.length} failures`);
    expect(operations).toBeGreaterThan(30);
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses JSON declared in another charset (415) and answers 404, 413, malformed URLs and oversized headers as problem+json', async () => {
    const auth = { authorization: `Bearer ${testAdminToken}` };
    const latin1 = await system.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { ...auth, 'content-type': 'application/json; charset=iso-8859-1' }, payload: Buffer.from('{"slug":"latin","name":"\xe9"}', 'latin1') });
    expect(latin1.statusCode).toBe(415);
    expect(latin1.headers['content-type']).toContain('application/problem+json');
    const notFound = await system.app.inject({ url: '/api/v1/nowhere', headers: auth });
    expect([notFound.statusCode, notFound.headers['content-type']]).toEqual([404, expect.stringContaining('application/problem+json')]);
    const tooLarge = await system.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ slug: 'x', name: 'y', description: 'z'.repeat(1_200_000) }) });
    expect([tooLarge.statusCode, tooLarge.headers['content-type']]).toEqual([413, expect.stringContaining('application/problem+json')]);
    const malformed = await system.app.inject({ url: '/api/v1/projects/%E0%A4%A', headers: auth });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');

    // Oversized headers are refused by Node's HTTP parser, before fastify: a real socket is needed.
    const base = await system.listen();
    const res = await fetch(`${base}/api/v1/projects`, { headers: { ...auth, 'x-big': 'a'.repeat(64 * 1024) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { status: number }).status).toBe(431);
  });

  it('tells an anonymous caller to authenticate before judging its body (401, not field details)', async () => {
    const res = await system.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ slug: 'UPPER CASE', color: 'red' }) });
    expect(res.statusCode).toBe(401);
    expect(res.json().errors).toBeUndefined();
  });
});
