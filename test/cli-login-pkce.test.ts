// `dso login` hands the CLI a one-time code, not a token (RFC 8252 with PKCE): the browser's redirect to the CLI's
// loopback address carries a code that is useless without the CLI's code verifier, good once, and short-lived; the
// token comes only in the answer to the CLI's POST.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../src/domain/actor.ts';
import { createSession } from '../src/api/auth/sessions.ts';
import { createPerson, type TestActor } from './support/api-fixtures.ts';
import { createTestSystem, type TestSystem } from './support/server.ts';

describe('dso login: one-time code and PKCE, never a token in a URL', () => {
  let system: TestSystem;
  let person: TestActor;
  let cookie: string;
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  beforeAll(async () => {
    system = await createTestSystem('pglite');
    person = await createPerson(system.services.db, 'dev');
    const session = await createSession(system.services, person.userId!);
    cookie = `${sessionCookieName}=${session.cookieValue}`;
  }, 60_000);
  afterAll(() => system?.stop());

  const issue = async (codeChallenge = challenge) => {
    const res = await system.app.inject({ method: 'POST', url: '/auth/cli', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ port: '43210', state: 'state-123456', code_challenge: codeChallenge }).toString() });
    expect(res.statusCode).toBe(303);
    return new URL(res.headers.location as string);
  };
  const exchange = (code: string, codeVerifier = verifier) => system.app.inject({ method: 'POST', url: '/auth/cli/token', payload: { code, code_verifier: codeVerifier } });

  it('redirects the browser to the loopback address with a code and the state, no token', async () => {
    const target = await issue();
    expect(`${target.protocol}//${target.host}${target.pathname}`).toBe('http://127.0.0.1:43210/callback');
    expect([...target.searchParams.keys()].sort()).toEqual(['code', 'state']);
    expect(target.href).not.toMatch(/dso_pat_/);
  });

  it('exchanges the code once, with the right verifier only, for a token that works', async () => {
    const code = (await issue()).searchParams.get('code')!;
    const wrong = await exchange(code, randomBytes(48).toString('base64url'));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('code');
    const good = await exchange(code);
    expect(good.statusCode).toBe(200);
    expect(good.headers['cache-control']).toContain('no-store');
    const token = good.json().token as string;
    expect(token).toMatch(/^dso_pat_/);
    const me = await system.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    const replay = await exchange(code);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().detail).toMatch(/a déjà servi/);
  });

  it('refuses a forged code, a code without a session, and a request without a code challenge', async () => {
    expect((await exchange('forged-code')).statusCode).toBe(400);
    const anonymous = await system.app.inject({ method: 'POST', url: '/auth/cli', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ port: '43210', state: 'state-123456', code_challenge: challenge }).toString() });
    expect(anonymous.statusCode).toBe(401);
    const noChallenge = await system.app.inject({ method: 'POST', url: '/auth/cli', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ port: '43210', state: 'state-123456' }).toString() });
    expect(noChallenge.statusCode).toBe(400);
  });
});
