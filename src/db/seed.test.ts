import { expect, it } from 'vitest';
import { describeOnDatabases } from '../../test/support/db.ts';
import { clusters, projectRoles, stages, usagePolicies, zones } from './schema.ts';
import { seedReferenceData } from './seed.ts';

describeOnDatabases('reference data seed', (ctx) => {
  it('creates default roles, stages, a zone with an internal cluster and the first usage policy, and is idempotent', async () => {
    await seedReferenceData(ctx.db);
    await seedReferenceData(ctx.db);
    expect((await ctx.db.select().from(projectRoles)).map((r) => r.name).sort()).toEqual(['developer', 'devops', 'owner', 'read-only', 'security']);
    expect((await ctx.db.select().from(stages)).map((s) => s.slug).sort()).toEqual(['dev', 'prod', 'staging']);
    expect(await ctx.db.select().from(zones)).toHaveLength(1);
    expect(await ctx.db.select().from(clusters)).toHaveLength(1);
    const policies = await ctx.db.select().from(usagePolicies);
    expect(policies.map((p) => p.version)).toEqual([1]);
    expect(policies[0]?.contentFr).toContain('jetons');
  });
});
