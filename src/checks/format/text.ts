// The human report: findings grouped by file as a table, then the summary and the verdict with its reasons.
// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
import type { CheckReport } from '../engine.ts';
import type { Finding, Severity } from '../model.ts';
import { findingText } from '../localise.ts';
import { unevaluatedText } from '../unevaluated.ts';
import { gateReasonText, outcomeMark, severityName, wordsFor, type Language } from './messages.ts';

export interface TextStyle {
  colour: boolean;
  lang: Language;
}

export function textStyleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, lang: Language = 'fr'): TextStyle {
  return { colour: Boolean(stream.isTTY) && env.NO_COLOR === undefined, lang };
}

const codes = { red: 31, yellow: 33, blue: 34, grey: 90, green: 32, bold: 1 } as const;
const severityColour: Record<Severity, keyof typeof codes> = { critical: 'red', high: 'red', medium: 'yellow', low: 'blue', info: 'grey' };

export function formatText(report: CheckReport, style: TextStyle): string {
  const paint = (colour: keyof typeof codes, text: string) => (style.colour ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text);
  const w = wordsFor(style.lang);
  const out: string[] = [];
  const revision = report.target.revision ? ` (${w.revision} ${report.target.revision.slice(0, 12)})` : '';
  out.push(paint('bold', `${report.tool.name} ${report.tool.version} — ${report.target.path}${revision}`), '');

  const production = report.findings.filter((f) => f.scope === undefined);
  const testScoped = report.findings.filter((f) => f.scope !== undefined);
  if (production.length === 0) out.push(w.noFinding, '');
  const table = (findings: readonly Finding[], limit: number) => {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.location.file) ?? [];
      list.push(f);
      byFile.set(f.location.file, list);
    }
    let shown = 0;
    for (const [file, inFile] of byFile) {
      if (shown >= limit) break;
      out.push(paint('bold', file));
      const lineWidth = Math.max(...inFile.map((f) => String(f.location.line ?? '').length), 1);
      const severityWidth = Math.max(...inFile.map((f) => severityName(f.severity, style.lang).length));
      const ruleWidth = Math.max(...inFile.map((f) => f.ruleId.length));
      for (const f of inFile) {
        if (shown++ >= limit) break;
        const line = String(f.location.line ?? '').padStart(lineWidth);
        const severity = paint(severityColour[f.severity], severityName(f.severity, style.lang).padEnd(severityWidth));
        out.push(`  ${line}  ${severity}  ${f.ruleId.padEnd(ruleWidth)}  ${oneLine(findingText(f, style.lang))}`);
      }
      out.push('');
    }
    if (findings.length > limit) out.push(paint('grey', `  … (+${findings.length - limit}, --format json)`), '');
  };
  table(production, Number.POSITIVE_INFINITY);
  // Tests, fixtures, examples and docs come after, apart, and shortened: they do not block.
  if (testScoped.length > 0) {
    out.push(paint('bold', w.testScope(testScoped.length)), '');
    table(testScoped, 30);
  }

  const s = report.summary;
  const counts = (Object.entries(s.bySeverity) as [Severity, number][]).map(([sev, n]) => `${severityName(sev, style.lang)} ${n}`).join(', ');
  const extra = [w.files(s.filesScanned)];
  if (s.allowListed > 0) extra.push(w.allowListed(s.allowListed));
  out.push(`${w.summary} : ${w.findings(s.findings)} (${counts}) — ${extra.join(', ')}`.replace(' : ', style.lang === 'fr' ? ' : ' : ': '));
  if (s.baseline) out.push(`  ${w.baseline(s.baseline.new, s.baseline.stillPresent, s.baseline.fixed)}`);
  if (report.tests) out.push(w.tests(report.tests.tests, report.tests.failures + report.tests.errors));
  if (report.coverage) out.push(w.coverage(report.coverage.lineRate));
  if (report.notes.length > 0) {
    out.push('', `${w.notes} (${report.notes.length})`);
    for (const n of report.notes.slice(0, 20)) out.push(paint('grey', `  ${n.file ? `${n.file}: ` : ''}${oneLine(n.message)}`));
    if (report.notes.length > 20) out.push(paint('grey', `  … (+${report.notes.length - 20}, --format json)`));
  }
  const unevaluated = report.unevaluated ?? [];
  if (unevaluated.length > 0) {
    out.push('', paint('yellow', `${w.unevaluated} (${unevaluated.length})`));
    for (const u of unevaluated.slice(0, 30)) out.push(`  ⚠ ${oneLine(unevaluatedText(u, style.lang))}`);
    if (unevaluated.length > 30) out.push(`  … (+${unevaluated.length - 30}, --format json)`);
  }
  out.push('');
  const verdict =
    report.gate.verdict === 'pass'
      ? paint('green', w.pass) + (report.gate.complete === false ? paint('yellow', ` (${w.incomplete})`) : '')
      : report.gate.verdict === 'fail'
        ? paint('red', w.fail)
        : paint('red', w.notEvaluated);
  out.push(paint('bold', `${w.verdict}${style.lang === 'fr' ? ' : ' : ': '}`) + verdict);
  for (const r of report.gate.reasons) {
    const symbol = outcomeMark(r);
    const mark = paint(symbol === '✓' ? 'green' : symbol === '✗' || r.blocking ? 'red' : 'yellow', symbol);
    out.push(`  ${mark} ${gateReasonText(r, style.lang)}`);
  }
  return `${out.join('\n')}\n`;
}

/** A message is one line in the table; control characters from scanned files never reach the terminal. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
