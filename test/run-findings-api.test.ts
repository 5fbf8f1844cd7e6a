// A run's findings through the API as the console and the CLI read them: 10,000 findings paged with keyset
// cursors like every other list (?limit, ?cursor → nextCursor), filtered by severity, rule, file and status
// (new / existing / fixed against the last certified run), with the count of what matches.
import { expect, it } from 'vitest';
import { repositories, runArtifacts, runSteps, runs } from '../src/db/schema.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
const fp = (i: number) => i.toString(16).padStart(32, '0');

/** Finding i: five rules, files spread over folders, severities in turn; fingerprints are unique. */
function finding(i: number) {
  const family = ['secrets.github-token', 'secrets.password', 'dependencies.vulnerable-package', 'kubernetes.privileged', 'dockerfile.root-user'][i % 5]!;
  return {
    ruleId: family,
    requirements: ['EX47'],
    severity: severities[i % 5],
    location: { file: `${i % 3 === 0 ? 'src/api' : i % 3 === 1 ? 'src/web' : 'deploy'}/file-${i % 40}.ts`, line: (i % 300) + 1 },
    message: `Constat ${i}`,
    fingerprint: fp(i),
  };
}

describeApiOnDatabases('findings of a run, paginated and filtered', (ctx) => {
  const total = 10_000;
  // The baseline (last certified run) had findings 0–9,099 and 20,000–20,049; the run has 0–9,999.
  // So 900 are new, 9,100 existing, and 50 fixed.
  async function seedRuns(): Promise<{ runId: string; baselineRunId: string }> {
    const db = ctx.system.services.db;
    const [repo] = await db.insert(repositories).values({ projectId: ctx.world.projectId, name: `app-${Math.random().toString(36).slice(2, 8)}`, externalUrl: 'https://git.example/app.git' }).returning();
    const report = (
      findings: ReturnType<typeof finding>[],
      comparison?: { new: string[]; stillPresent: string[]; fixed: string[] },
    ) =>
      JSON.stringify({
        tool: { name: 'dso-pi', version: '0' },
        target: { path: '.' },
        findings,
        summary: {
          findings: findings.length,
          bySeverity: Object.fromEntries(severities.map((s) => [s, findings.filter((f) => f.severity === s).length])),
        },
        gate: { verdict: 'fail', reasons: [], excused: [], ...(comparison ? { comparison } : {}) },
        notes: [],
      });
    const baselineFindings = [
      ...Array.from({ length: 9_100 }, (_, i) => finding(i)),
      ...Array.from({ length: 50 }, (_, i) => finding(20_000 + i)),
    ];
    const current = Array.from({ length: total }, (_, i) => finding(i));
    const [baseline] = await db.insert(runs).values({ projectId: ctx.world.projectId, repositoryId: repo!.id, trigger: 'api', status: 'certified', commitSha: 'b'.repeat(40) }).returning();
    const [run] = await db.insert(runs).values({ projectId: ctx.world.projectId, repositoryId: repo!.id, trigger: 'api', status: 'rejected', commitSha: 'c'.repeat(40) }).returning();
    const comparison = {
      new: current.slice(9_100).map((f) => f.fingerprint),
      stillPresent: current.slice(0, 9_100).map((f) => f.fingerprint),
      fixed: baselineFindings.slice(9_100).map((f) => f.fingerprint),
    };
    for (const [runId, content] of [
      [baseline!.id, report(baselineFindings)],
      [run!.id, report(current, comparison)],
    ] as const) {
      await db.insert(runArtifacts).values({ runId, kind: 'check-report', mediaType: 'application/json', content, sha256: String(content.length).padStart(64, '0'), size: content.length });
    }
    await db.insert(runSteps).values({ runId: run!.id, name: 'checks', position: 2, status: 'succeeded', result: { findings: total, baselineRunId: baseline!.id } });
    return { runId: run!.id, baselineRunId: baseline!.id };
  }

  /** Follows nextCursor to the end; returns every item and the number of pages. */
  async function walk(url: string): Promise<{ items: any[]; pages: number; totals: number[] }> {
    const items: any[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const page = await ctx.call('read-only', 'GET', `${url}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      items.push(...page.body.items);
      totals.push(page.body.total);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 200);
    return { items, pages, totals };
  }

  it('pages through 10,000 findings with cursors: every finding once, in the report order', async () => {
    const { runId } = await seedRuns();
    const first = await ctx.call('read-only', 'GET', `/api/v1/runs/${runId}/findings`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(50); // the default page size of every list
    expect(first.body.total).toBe(total);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.summary.findings).toBe(total);

    const all = await walk(`/api/v1/runs/${runId}/findings?limit=200`);
    expect(all.pages).toBe(50);
    expect(all.items.map((f) => f.message)).toEqual(Array.from({ length: total }, (_, i) => `Constat ${i}`));
    expect(new Set(all.totals)).toEqual(new Set([total]));
    expect(all.items.filter((f) => f.status === 'new')).toHaveLength(900);
    expect(all.items.every((f) => f.new === (f.status === 'new'))).toBe(true);

    expect((await ctx.call('read-only', 'GET', `/api/v1/runs/${runId}/findings?limit=201`)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    expect((await ctx.call('read-only', 'GET', `/api/v1/runs/${runId}/findings?cursor=${forged}`)).status).toBe(400);
    expect((await ctx.call('other-project-member', 'GET', `/api/v1/runs/${runId}/findings`)).status).toBe(404);
  }, 120_000);

  it('filters by severity, rule (or rule family), file (or folder) and status, across pages', async () => {
    const { runId } = await seedRuns();
    const base = `/api/v1/runs/${runId}/findings?limit=200`;

    const critical = await walk(`${base}&severity=critical`);
    expect(critical.items).toHaveLength(total / 5);
    expect(critical.pages).toBe(10);
    expect(critical.items.every((f) => f.severity === 'critical')).toBe(true);
    expect(critical.totals[0]).toBe(total / 5);

    const secrets = await walk(`${base}&ruleId=${encodeURIComponent('secrets.*')}`);
    expect(secrets.items).toHaveLength((total / 5) * 2);
    const password = await walk(`${base}&ruleId=secrets.password`);
    expect(password.items.every((f) => f.ruleId === 'secrets.password')).toBe(true);
    expect(password.items).toHaveLength(total / 5);

    const folder = await walk(`${base}&file=deploy`);
    expect(folder.items.length).toBe(Math.floor(total / 3));
    expect(folder.items.every((f) => f.location.file.startsWith('deploy/'))).toBe(true);
    const one = await walk(`${base}&file=${encodeURIComponent('src/api/file-0.ts')}`);
    expect(one.items.length).toBeGreaterThan(0);
    expect(one.items.every((f) => f.location.file === 'src/api/file-0.ts')).toBe(true);

    const fresh = await walk(`${base}&status=new&severity=high`);
    expect(fresh.items.map((f) => f.message)).toEqual(Array.from({ length: 900 }, (_, i) => 9_100 + i).filter((i) => i % 5 === 1).map((i) => `Constat ${i}`));
    const existing = await walk(`${base}&status=existing`);
    expect(existing.items).toHaveLength(9_100);
    expect(existing.items.every((f) => f.status === 'existing')).toBe(true);
    // Fixed ones are described from the baseline run's report.
    const fixed = await walk(`${base}&status=fixed`);
    expect(fixed.items.map((f) => f.message)).toEqual(Array.from({ length: 50 }, (_, i) => `Constat ${20_000 + i}`));
    expect(fixed.items.every((f) => f.status === 'fixed' && f.new === false)).toBe(true);
    // The older ?new=true filter still answers the new ones only.
    expect((await walk(`${base}&new=true`)).items).toHaveLength(900);
    // A cursor from one filter walks on with that filter: page 2 of critical starts after page 1's last item.
    const page1 = await ctx.call('read-only', 'GET', `${base.replace('200', '10')}&severity=critical`);
    const page2 = await ctx.call('read-only', 'GET', `${base.replace('200', '10')}&severity=critical&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((f: any) => f.message)).toEqual(critical.items.slice(10, 20).map((f) => f.message));
  }, 120_000);
});
