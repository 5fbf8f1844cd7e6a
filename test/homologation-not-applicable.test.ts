// Not-applicable declarations through the API, on PGlite and PostgreSQL: declared with a justification, the
// requirement shows as not applicable (with that justification) in the project's conformity; bad declarations are
// refused and store nothing; withdrawing the declaration brings the requirement back to its assessed state.
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditEvents, notApplicableDeclarations } from '../src/db/schema.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

const stateOf = (body: any, id: string) => body.requirements.find((r: any) => r.id === id);

describeApiOnDatabases('not-applicable declarations API', (ctx) => {
  const base = () => `/api/v1/projects/${ctx.world.projectId}`;
  const count = async () => Number((await ctx.system.services.db.select({ n: sql<number>`count(*)::int` }).from(notApplicableDeclarations))[0]!.n);
  const justification = 'Le projet ne publie aucune image conteneur : il ne livre que des fichiers statiques.';

  it('declare → the requirement is not applicable with its justification; withdraw → assessed again', async () => {
    const before = stateOf((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX29');
    expect(before.state).toBe('not-satisfied');

    const declared = await ctx.call('owner', 'POST', `${base()}/not-applicable`, { requirement: 'EX29', justification: `  ${justification}  ` });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ requirement: 'EX29', justification, environmentId: null, repositoryId: null, declaredBy: ctx.world.actors.owner!.userId });

    const now = stateOf((await ctx.call('read-only', 'GET', `${base()}/conformity`)).body, 'EX29');
    expect(now.state).toBe('not-applicable');
    expect(JSON.stringify(now)).toContain(justification);
    const history = await ctx.call('read-only', 'GET', `${base()}/conformity/history`);
    expect(history.body.items.at(-1).states.EX29).toBe('not-applicable');

    const listed = await ctx.call('read-only', 'GET', `${base()}/not-applicable`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: any) => d.id)).toEqual([declared.body.id]);

    // Only a security officer or the owner withdraws it; another project's member does not even see it.
    expect((await ctx.call('developer', 'DELETE', `${base()}/not-applicable/${declared.body.id}`)).status).toBe(403);
    expect((await ctx.call('other-project-member', 'DELETE', `${base()}/not-applicable/${declared.body.id}`)).status).toBe(404);
    const withdrawn = await ctx.call('security-officer', 'DELETE', `${base()}/not-applicable/${declared.body.id}`);
    expect(withdrawn.status).toBe(204);
    expect((await ctx.call('security-officer', 'DELETE', `${base()}/not-applicable/${declared.body.id}`)).status).toBe(404);
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX29').state).toBe(before.state);
    expect((await ctx.call('read-only', 'GET', `${base()}/not-applicable`)).body.items).toEqual([]);

    const audit = await ctx.system.services.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, declared.body.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['not-applicable.declare', 'not-applicable.withdraw']);
  });

  it('bad declarations are refused with a problem and store nothing', async () => {
    const stored = await count();
    const foreign = '00000000-0000-4000-8000-000000000000';
    const cases: [string, unknown, number, string?][] = [
      ['no justification', { requirement: 'EX29' }, 400],
      ['blank justification', { requirement: 'EX29', justification: '   ' }, 400, 'justification'],
      ['justification too long', { requirement: 'EX29', justification: 'x'.repeat(4001) }, 400],
      ['unknown requirement', { requirement: 'EX99', justification }, 400, 'requirement'],
      ['requirement too long', { requirement: 'EX'.repeat(50), justification }, 400],
      ['environment of no project', { requirement: 'EX29', justification, environmentId: foreign }, 404],
      ['repository of no project', { requirement: 'EX29', justification, repositoryId: foreign }, 404],
      ['environment id not a uuid', { requirement: 'EX29', justification, environmentId: '../x' }, 400],
      ['unknown field', { requirement: 'EX29', justification, scope: {} }, 400],
    ];
    for (const [what, body, status, field] of cases) {
      const answer = await ctx.call('owner', 'POST', `${base()}/not-applicable`, body);
      expect(answer.status, what).toBe(status);
      expect(answer.headers['content-type'], what).toContain('application/problem+json');
      if (field) expect(answer.body.errors.map((e: any) => e.field), what).toContain(field);
    }
    const valid = { requirement: 'EX29', justification };
    expect((await ctx.call('developer', 'POST', `${base()}/not-applicable`, valid)).status).toBe(403);
    expect((await ctx.call('platform-admin', 'POST', `${base()}/not-applicable`, valid)).status).toBe(403);
    expect((await ctx.call('other-project-member', 'POST', `${base()}/not-applicable`, valid)).status).toBe(404);
    expect((await ctx.call('anonymous', 'POST', `${base()}/not-applicable`, valid)).status).toBe(401);
    expect(await count()).toBe(stored);
    expect(stateOf((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX29').state).not.toBe('not-applicable');
  });
});
