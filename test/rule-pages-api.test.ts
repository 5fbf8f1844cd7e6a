// The rule pages findings and the conformity page link to, through the API on PGlite and PostgreSQL: a rule's page
// as inert text in the reader's language, a problem for an unknown rule, and the rules behind each requirement in
// the conformity answer.
import { expect, it } from 'vitest';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('rule pages', (ctx) => {
  it('serves a rule page to any signed-in person: facts, sections, and the samples it reports and accepts', async () => {
    const res = await ctx.call('read-only', 'GET', '/api/v1/rules/secrets.github-token');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'secrets.github-token', kind: 'secret', severity: 'critical', requirements: ['EX47', 'EX58'], language: 'en', title: 'A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)' });
    expect(res.body.description.fr).toMatch(/GitHub/);
    expect(res.body.sections.map((s: any) => s.heading)).toContain('How to fix');
    expect(res.body.examples.map((e: any) => e.kind)).toEqual(['reported', 'not-reported']);
    // A page is structured text, never HTML: no block carries markup to insert.
    expect(JSON.stringify(res.body)).not.toMatch(/<\/?(p|a|script|code|h\d)\b/);
  });

  it('answers an unknown rule with a problem in French, or in English when asked', async () => {
    const fr = await ctx.call('read-only', 'GET', '/api/v1/rules/secrets.no-such-rule');
    expect(fr.status).toBe(404);
    expect(fr.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(fr.body.detail).toMatch(/Aucune règle de contrôle « secrets\.no-such-rule »/);
    const en = await ctx.system.app.inject({ method: 'GET', url: '/api/v1/rules/secrets.no-such-rule', headers: { authorization: ctx.world.actors['read-only']!.authorization!, 'accept-language': 'en' } });
    expect(en.json().detail).toMatch(/No check rule "secrets\.no-such-rule"/);
    // A path out of docs/rules is not a rule id.
    const traversal = await ctx.call('read-only', 'GET', '/api/v1/rules/..%2F..%2Fpackage');
    expect(traversal.status).toBe(400);
    expect(traversal.headers['content-type']).toMatch(/application\/problem\+json/);
    const anonymous = await ctx.call('anonymous', 'GET', '/api/v1/rules/secrets.github-token');
    expect(anonymous.status).toBe(401);
  });

  it('names the rules behind each automated requirement in the conformity answer', async () => {
    const body = (await ctx.call('owner', 'GET', `/api/v1/projects/${ctx.world.projectId}/conformity`)).body;
    const ex32 = body.requirements.find((r: any) => r.id === 'EX32');
    expect(ex32.rules).toContain('containers.non-root-user');
    expect(ex32.rules.every((id: string) => !id.includes('*'))).toBe(true);
  });
});
