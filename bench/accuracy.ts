// `npm run bench:accuracy [-- --only <name>] [--review]`: how right the gate is on real code nobody here wrote.
// Runs `dso check` (the whole engine, every checker) on each repository of bench/accuracy/corpus.json, checked out at
// its pinned commit in $DSO_CORPUS (default /work/corpus; populate it with bench/accuracy/populate.ts), takes the
// findings that block the gate, and compares them with the committed review in bench/accuracy/labels/<name>.json
// (one entry per gate-blocking finding, reviewed at the line: true or false positive, one line of reason).
// Prints precision per checker on gate-blocking findings, and gate-blocking false positives per repository
// (production code and tests apart). Findings without a label are listed: review them (`--review` appends them to
// the label file with verdict "?" so that they can be judged at the line).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runChecks } from '../src/checks/engine.ts';
import type { Finding } from '../src/checks/model.ts';
import { corpus, corpusDir } from './accuracy/populate.ts';

interface Label {
  fingerprint: string;
  ruleId: string;
  file: string;
  line?: number;
  verdict: 'tp' | 'fp' | '?';
  reason: string;
}
interface LabelFile { repository: string; commit: string; labels: Label[] }

const { values } = parseArgs({ options: { only: { type: 'string' }, review: { type: 'boolean', default: false } } });
const labelsDir = join(import.meta.dirname, 'accuracy/labels');
const checkerOf = (ruleId: string) => ruleId.split('.')[0] ?? ruleId;

type Tally = { tp: number; fp: number; unlabelled: number };
const perChecker = new Map<string, Tally>();
const rows: {
  name: string;
  blocking: number;
  fp: number;
  fpProduction: number;
  unlabelled: number;
  verdict: string;
  seconds: number;
  notImported: number;
}[] = [];
let missingRepositories = 0;

for (const entry of corpus) {
  if (values.only && values.only !== entry.name) continue;
  const root = join(corpusDir, entry.name);
  if (!existsSync(join(root, '.corpus-commit'))) {
    missingRepositories++;
    process.stderr.write(`${entry.name}: not in ${corpusDir} (run bench/accuracy/populate.ts), skipped\n`);
    continue;
  }
  const started = performance.now();
  const report = await runChecks({ root, options: { now: new Date('2026-12-01T00:00:00Z'), workers: 1 } });
  const seconds = (performance.now() - started) / 1000;
  const blockingFingerprints = new Set(
    report.gate.reasons.filter((r) => r.blocking).flatMap((r) => r.fingerprints ?? []),
  );
  const blocking = report.findings.filter((f) => blockingFingerprints.has(f.fingerprint));

  const labelFile = join(labelsDir, `${entry.name}.json`);
  const file: LabelFile = existsSync(labelFile) ? (JSON.parse(readFileSync(labelFile, 'utf8')) as LabelFile) : { repository: entry.repository, commit: entry.commit, labels: [] };
  const labels = new Map(file.labels.map((l) => [l.fingerprint, l]));
  const unlabelled: Finding[] = [];
  let fp = 0;
  let fpProduction = 0;
  for (const f of blocking) {
    const tally = perChecker.get(checkerOf(f.ruleId)) ?? { tp: 0, fp: 0, unlabelled: 0 };
    perChecker.set(checkerOf(f.ruleId), tally);
    const label = labels.get(f.fingerprint);
    if (!label || label.verdict === '?') {
      tally.unlabelled++;
      unlabelled.push(f);
    } else if (label.verdict === 'tp') {
      tally.tp++;
    } else {
      tally.fp++;
      fp++;
      if (f.scope !== 'test') fpProduction++;
    }
  }
  // Go advisories on packages the code never imports: reported for information, not blocking (see go-imports.ts).
  const notImported = report.findings.filter((f) => (f.properties?.reachability as { state?: string } | undefined)?.state === 'not-imported').length;
  rows.push({
    name: entry.name,
    blocking: blocking.length,
    fp,
    fpProduction,
    unlabelled: unlabelled.length,
    verdict: report.gate.verdict,
    seconds,
    notImported,
  });
  for (const f of unlabelled.slice(0, 20)) process.stderr.write(`  unlabelled ${entry.name}: ${f.ruleId} ${f.location.file}:${f.location.line ?? ''} ${f.message.slice(0, 140)} [${f.fingerprint}]\n`);
  if (unlabelled.length > 20) process.stderr.write(`  … ${unlabelled.length - 20} more unlabelled in ${entry.name}\n`);
  if (values.review && unlabelled.length > 0) {
    const known = new Set(file.labels.map((l) => l.fingerprint));
    for (const f of unlabelled) {
      if (known.has(f.fingerprint)) continue;
      file.labels.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.location.file, ...(f.location.line ? { line: f.location.line } : {}), verdict: '?', reason: f.message.slice(0, 200) });
    }
    writeFileSync(labelFile, `${JSON.stringify(file, null, 2)}\n`);
  }
}

const pct = (t: Tally) => (t.tp + t.fp === 0 ? 'n/a' : `${((100 * t.tp) / (t.tp + t.fp)).toFixed(1)} %`);
process.stdout.write('\nPrecision per checker on gate-blocking findings (labelled ones)\n');
process.stdout.write(`${'checker'.padEnd(16)} ${'TP'.padStart(5)} ${'FP'.padStart(5)} ${'unlabelled'.padStart(10)}  precision\n`);
for (const [checker, t] of [...perChecker].sort()) process.stdout.write(`${checker.padEnd(16)} ${String(t.tp).padStart(5)} ${String(t.fp).padStart(5)} ${String(t.unlabelled).padStart(10)}  ${pct(t)}\n`);
process.stdout.write('\nGate-blocking findings per repository\n');
process.stdout.write(`${'repository'.padEnd(32)} ${'blocking'.padStart(8)} ${'FP'.padStart(4)} ${'FP prod'.padStart(8)} ${'unlabelled'.padStart(10)} ${'not imported'.padStart(12)}  verdict        seconds\n`);
for (const r of rows) {
  process.stdout.write(`${r.name.padEnd(32)} ${String(r.blocking).padStart(8)} ${String(r.fp).padStart(4)} ${String(r.fpProduction).padStart(8)} ${String(r.unlabelled).padStart(10)} ${String(r.notImported).padStart(12)}  ${r.verdict.padEnd(14)} ${r.seconds.toFixed(1)}\n`);
}
const total = [...perChecker.values()].reduce(
  (a, t) => ({ tp: a.tp + t.tp, fp: a.fp + t.fp, unlabelled: a.unlabelled + t.unlabelled }),
  { tp: 0, fp: 0, unlabelled: 0 },
);
process.stdout.write(`\nall checkers: ${total.tp} true, ${total.fp} false, ${total.unlabelled} unlabelled; precision ${pct(total)}; ${rows.length} repositories${missingRepositories ? `, ${missingRepositories} missing` : ''}\n`);
const belowTarget = [...perChecker].filter(([, t]) => t.tp + t.fp > 0 && t.tp / (t.tp + t.fp) < 0.9).map(([c]) => c);
const fpInProduction = rows.filter((r) => r.fpProduction > 0).map((r) => r.name);
process.stdout.write(`targets: precision ≥ 90 % per checker ${belowTarget.length ? `MISSED (${belowTarget.join(', ')})` : 'met'}; no gate-blocking false positive in production code ${fpInProduction.length ? `MISSED (${fpInProduction.join(', ')})` : 'met'}${total.unlabelled ? `; ${total.unlabelled} findings still to review` : ''}\n`);
