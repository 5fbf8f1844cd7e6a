// `dso restore-tests`: record a restore exercise (EX8) from a person's terminal or from the job that rehearses the
// restore, and list those recorded. Same API as the console: POST/GET /projects/{id}/restore-tests.
import { parseArgs } from 'node:util';
import { processIo, resolveProject, runApiCommand, table, UsageError, type ApiClient, type CommonOptions, type Io } from './api-client.ts';

export const usage = {
  fr: `Usage : dso restore-tests record <projet> --outcome succeeded|failed [--performed-at <instant avec fuseau, défaut maintenant>]
                                   [--duration <secondes>] [--environment <id>] [--evidence-url <https://…>] [--notes <texte>]
       dso restore-tests list <projet>
       (--json pour une sortie machine, --lang fr|en)
EX8 est satisfaite par un test réussi de moins de 180 jours.
`,
  en: `Usage: dso restore-tests record <project> --outcome succeeded|failed [--performed-at <instant with offset, default now>]
                                  [--duration <seconds>] [--environment <id>] [--evidence-url <https://…>] [--notes <text>]
       dso restore-tests list <project>
       (--json for machine output, --lang fr|en)
EX8 is satisfied by a successful test less than 180 days old.
`,
};

interface RestoreTestView {
  id: string;
  performedAt: string;
  outcome: 'succeeded' | 'failed';
  durationSeconds: number | null;
  environmentId: string | null;
  recordedByName: string | null;
  evidenceUrl: string | null;
}

const outcomeLabel = { succeeded: { fr: 'réussi', en: 'succeeded' }, failed: { fr: 'échoué', en: 'failed' } } as const;

async function remote(client: ApiClient, options: CommonOptions, rest: string[], io: Io): Promise<number> {
  const [sub, ...more] = rest;
  const { values, positionals } = parseArgs({
    args: more,
    allowPositionals: true,
    strict: true,
    options: { outcome: { type: 'string' }, 'performed-at': { type: 'string' }, duration: { type: 'string' }, environment: { type: 'string' }, 'evidence-url': { type: 'string' }, notes: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(usage);
  const project = await resolveProject(client, positionals[0]!);
  if (sub === 'record') {
    if (values.outcome !== 'succeeded' && values.outcome !== 'failed') throw new UsageError(usage);
    const duration = values.duration === undefined ? undefined : Number(values.duration);
    if (duration !== undefined && (!Number.isInteger(duration) || duration < 0)) throw new UsageError(usage);
    const created = await client.request<RestoreTestView>('POST', `/projects/${project.id}/restore-tests`, {
      performedAt: values['performed-at'] ?? new Date().toISOString(),
      outcome: values.outcome,
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(values.environment ? { environmentId: values.environment } : {}),
      ...(values['evidence-url'] ? { evidenceUrl: values['evidence-url'] } : {}),
      ...(values.notes ? { notes: values.notes } : {}),
    });
    if (options.json) io.out(`${JSON.stringify(created)}\n`);
    else io.out(options.lang === 'fr' ? `Test de restauration enregistré : ${created.id} (${outcomeLabel[created.outcome].fr}, ${created.performedAt}).\n` : `Restore test recorded: ${created.id} (${outcomeLabel[created.outcome].en}, ${created.performedAt}).\n`);
    return 0;
  }
  if (sub === 'list') {
    const list = await client.request<{ items: RestoreTestView[] }>('GET', `/projects/${project.id}/restore-tests`);
    if (options.json) io.out(`${JSON.stringify(list)}\n`);
    else if (list.items.length === 0) io.out(options.lang === 'fr' ? 'Aucun test de restauration enregistré.\n' : 'No restore test recorded.\n');
    else {
      const headers = options.lang === 'fr' ? ['DATE', 'RÉSULTAT', 'DURÉE (S)', 'ENREGISTRÉ PAR', 'PREUVE'] : ['DATE', 'OUTCOME', 'DURATION (S)', 'RECORDED BY', 'EVIDENCE'];
      io.out(table(headers, list.items.map((r) => [r.performedAt, outcomeLabel[r.outcome][options.lang], r.durationSeconds === null ? '—' : String(r.durationSeconds), r.recordedByName ?? '—', r.evidenceUrl ?? '—'])));
    }
    return 0;
  }
  throw new UsageError(usage);
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return runApiCommand(args, io, (client, options, rest) => remote(client, options, rest, io));
}
