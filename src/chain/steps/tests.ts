// tests: the repository's declared test command (.dso.yml) in the sandbox — its own copy of the tree and nothing
// else of the host, no platform secret in its environment, CPU/wall/memory/output/process limits. A failing test
// suite does not stop the run: the gate refuses certification and the team sees why. Without a sandbox the command
// is not run at all (the gate says so), unless the operator chose DSO_SANDBOX=none.
import { testExecutor } from '../sandbox/select.ts';
import { note, type StepNote } from '../step-notes.ts';
import type { DsoConfig } from '../dso-yml.ts';
import { saveArtifact } from '../artifacts.ts';
import { readDeclaredReports, type DeclaredReportsResult } from '../test-reports.ts';
import { liveOutput } from '../live-output.ts';
import { ensureTree, treeDir } from './checkout.ts';
import type { Step } from './context.ts';

export const testsStep: Step = async (ctx) => {
  const dso = ctx.results.checkout?.dso as DsoConfig | null | undefined;
  if (!dso?.test) return { status: 'skipped', note: note('tests.none-declared') };
  const tree = await ensureTree(ctx);
  if (!tree.ok) return { status: 'failed', note: tree.note, fatal: true, retryable: tree.retryable };
  const choice = testExecutor(ctx.services.config.chain.sandbox);
  if (!choice.ok) {
    ctx.log(`bac à sable indisponible / sandbox unavailable: ${choice.reason}`);
    const summary = { outcome: 'sandbox-unavailable', detail: choice.reason };
    return { status: 'failed', note: note('tests.no-sandbox'), fatal: false, result: summary };
  }
  ctx.log(`$ ${dso.test.command}`);
  // Streamed to the live log while the command runs; the end is shown from the tail only when the stream overflowed.
  const live = liveOutput(ctx.log, { maxBytes: dso.test.limits.outputBytes });
  const result = await choice.executor.run({
    command: dso.test.command,
    tree: treeDir(ctx),
    limits: dso.test.limits,
    env: dso.test.env,
    signal: ctx.signal,
    onOutput: (chunk) => live.push(chunk),
  });
  try {
    const shownLive = live.finish();
    if (!shownLive && result.output) ctx.log(result.output);
    if (result.outputTruncated) ctx.log(`(sortie tronquée : ${result.outputBytes} octets produits, seule la fin est gardée)`);
    // Stopped because the run was cancelled or the platform stops: no verdict on the tests, the executor decides.
    if (result.outcome === 'aborted') throw ctx.signal.reason ?? new Error('aborted');
    // Read from the copy the command ran in, before it is thrown away.
    const reports =
      dso.test.reports.length > 0 ? await readDeclaredReports(result.workDir, dso.test.reports) : undefined;
    if (reports) logReports(ctx.log, reports);
    const summary = {
      outcome: result.outcome,
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      isolation: result.isolation,
      ...(reports ? { reports } : {}),
    };
    await saveArtifact(ctx.services.db, ctx.run.id, 'tests', 'application/json', `${JSON.stringify(summary, null, 2)}\n`, { name: 'sandbox', version: '1' });
    if (result.outcome === 'passed') return { status: 'succeeded', note: note('tests.passed', { ms: result.durationMs }), result: summary };
    const why: Record<string, StepNote> = {
      failed: note('tests.failed', { exitCode: result.exitCode ?? '?' }),
      'wall-time-exceeded': note('tests.wall-time-exceeded'),
      'cpu-time-exceeded': note('tests.cpu-time-exceeded'),
      killed: note('tests.killed', { signal: result.signal ?? 'signal' }),
      'could-not-start': note('tests.could-not-start'),
    };
    return { status: 'failed', note: why[result.outcome] ?? note('step.unexpected', { error: result.outcome }), fatal: false, result: summary };
  } finally {
    await result.dispose();
  }
};

function logReports(log: (text: string) => void, reports: DeclaredReportsResult): void {
  for (const f of reports.files) log(`rapport ${f.format} ${f.path} : ${f.status === 'read' || f.status === 'listed' ? `${f.size} octets, sha256 ${f.sha256}` : f.status}`);
  if (reports.tests) log(`tests : ${reports.tests.tests} exécutés, ${reports.tests.failures} en échec, ${reports.tests.errors} en erreur, ${reports.tests.skipped} ignorés`);
  if (reports.coverage) log(`couverture des lignes : ${reports.coverage.lineRate} % (${reports.coverage.linesCovered}/${reports.coverage.linesValid})`);
  for (const note of reports.notes.slice(0, 20)) log(`note : ${note.file ? `${note.file} : ` : ''}${note.message}`);
}
