// The `dso` commands print statuses in the CLI's language (French by default, English with DSO_LANG=en): a failed
// repository with the sentence its condition says, a failed run with its steps and notes. `--json` keeps the API's
// values, which scripts compare against.
import { expect, it } from 'vitest';
import { repositories, runs, runSteps } from '../src/db/schema.ts';
import { note, stepNoteText } from '../src/chain/step-notes.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { run as repos } from '../src/cli/repos.ts';
import { run as runsCommand } from '../src/cli/runs.ts';
import { asActor, runCommand, type CliCommand } from './support/cli.ts';
import { createProject, describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('dso statuses in the CLI language', (ctx) => {
  let url = '';
  const dso = async (command: CliCommand, args: string[], env: Record<string, string> = {}) => {
    url ||= await ctx.system.listen();
    return runCommand(command, args, asActor(url, ctx.world.actors.owner!.authorization!, env));
  };
  let fixture: Promise<{ runId: string }> | undefined;
  /** A project whose repository URL is refused (reconciled: Failed), with a run that failed at its first step. */
  const world = () =>
    (fixture ??= (async () => {
      const db = ctx.system.services.db;
      const project = await createProject(db, 'cli-etats', ctx.world.actors.owner!.userId!);
      // Stored as if added before the API refused such addresses: the reconcile refuses it again.
      const [repo] = await db.insert(repositories).values({ projectId: project.id, name: 'meta', externalUrl: 'http://169.254.169.254/team/app.git' }).returning();
      expect(await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, project.id)).toMatchObject({ result: 'failed' });
      const empty = note('sync.hosted-empty');
      const [run] = await db.insert(runs).values({ projectId: project.id, repositoryId: repo!.id, trigger: 'manual', status: 'failed', message: stepNoteText(empty).fr, note: empty }).returning();
      await db.insert(runSteps).values([
        { runId: run!.id, name: 'sync', position: 0, status: 'failed', workMs: 12, message: stepNoteText(empty).fr, note: empty },
        { runId: run!.id, name: 'checkout', position: 1, status: 'skipped', message: stepNoteText(note('step.not-run')).fr, note: note('step.not-run') },
      ]);
      return { runId: run!.id };
    })());

  it('lists a failed repository with its status and reason in French, in English on request, raw in JSON', async () => {
    await world();
    const french = await dso(repos, ['list', '--project', 'cli-etats']);
    expect(french).toMatchObject({ code: 0, err: '' });
    expect(french.out).toMatch(/^meta\s.*\sen échec$/m);
    expect(french.out).toMatch(/^meta : Adresse de dépôt refusée — meta : .*métadonnées/m);
    expect(french.out).not.toMatch(/\bfailed\b|refused/);

    const english = await dso(repos, ['list', '--project', 'cli-etats'], { DSO_LANG: 'en' });
    expect(english.out).toMatch(/^meta\s.*\sfailed$/m);
    expect(english.out).toMatch(/^meta: Repository URL refused — meta: .*metadata/m);

    const json = JSON.parse((await dso(repos, ['list', '--project', 'cli-etats', '--json'])).out);
    expect(json.items[0]).toMatchObject({ name: 'meta', status: 'failed' });
    expect(json.items[0].conditions).toContainEqual(expect.objectContaining({ type: 'Failed', status: 'True', code: 'repository.url-refused' }));
  });

  it('shows a failed run, its steps and their notes in the CLI language, and the raw statuses with --json', async () => {
    const { runId } = await world();
    const french = await dso(runsCommand, ['get', runId]);
    expect(french).toMatchObject({ code: 0, err: '' });
    expect(french.out).toMatch(new RegExp(`^${runId} {2}en échec$`, 'm'));
    expect(french.out).toMatch(/^ {2}miroir\s+en échec\s+12 ms {2}Le dépôt hébergé est vide/m);
    expect(french.out).toMatch(/^ {2}extraction\s+sautée\s+non exécutée$/m);
    expect(french.out).not.toMatch(/\b(failed|skipped|sync|checkout)\b/);

    const english = await dso(runsCommand, ['get', runId], { DSO_LANG: 'en' });
    expect(english.out).toMatch(new RegExp(`^${runId} {2}failed$`, 'm'));
    expect(english.out).toMatch(/^ {2}mirror\s+failed\s+12 ms {2}The hosted repository is empty/m);
    expect(english.out).toMatch(/^ {2}checkout\s+skipped\s+not run$/m);

    const json = JSON.parse((await dso(runsCommand, ['get', runId, '--json'])).out);
    expect(json).toMatchObject({ id: runId, status: 'failed' });
    expect(json.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['sync', 'failed'], ['checkout', 'skipped']]);
  });
});
