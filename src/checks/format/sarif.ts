// SARIF 2.1.0 (OASIS): the format code-scanning tools and IDEs import. One run, every known rule in the driver,
// one result per finding with our fingerprint as a partial fingerprint so that viewers track it across runs.
// Messages and rule descriptions are in the requested language (French by default, like the rest of the product).
import type { CheckReport } from '../engine.ts';
import { findingText, ruleDescription, type Language } from '../localise.ts';
import type { Rule, Severity } from '../model.ts';
import { criterionOfKind, unevaluatedText } from '../unevaluated.ts';

const levelOf: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub code scanning reads this 0–10 score to rank security results.
const securitySeverity: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/**
 * `consoleUrl`: the console that serves the rule pages (the chain passes its public address); each rule then gets an
 * absolute `helpUri` to its page there. Without it (`dso check` on a laptop) the help names the page in docs/rules.
 */
export function toSarif(report: CheckReport, rules: readonly Rule[], lang: Language = 'fr', consoleUrl?: string): object {
  const rulePage = (id: string) => (consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/rules/${encodeURIComponent(id)}` : undefined);
  const driverRules: Rule[] = [...rules];
  const index = new Map(driverRules.map((r, i) => [r.id, i]));
  for (const f of report.findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, driverRules.length);
      driverRules.push({ id: f.ruleId, kind: 'policy', severity: f.severity, requirements: f.requirements, description: f.ruleId });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules: driverRules.map((r) => ({
              id: r.id,
              shortDescription: { text: ruleDescription(r, lang) },
              // helpUri must be absolute: only when the console's address is known.
              help: {
                text: `${ruleDescription(r, lang)} ${lang === 'fr' ? 'Voir' : 'See'} ${rulePage(r.id) ?? `docs/rules/${r.id}.md`}.`,
              },
              ...(rulePage(r.id) ? { helpUri: rulePage(r.id) } : {}),
              defaultConfiguration: { level: levelOf[r.severity] },
              properties: {
                kind: r.kind,
                severity: r.severity,
                requirements: r.requirements,
                tags: ['security', ...r.requirements],
                'security-severity': securitySeverity[r.severity],
              },
            })),
          },
        },
        ...(report.target.revision
          ? { versionControlProvenance: [{ repositoryUri: 'file:///', revisionId: report.target.revision }] }
          : {}),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              // What was not fully evaluated comes first, as a warning (an error when it blocks the gate).
              ...(report.unevaluated ?? []).map((u) => ({
                level: report.gate.reasons.some(
                  (r) => r.code === 'not-evaluated' && r.blocking && r.params.criterion === criterionOfKind[u.kind],
                )
                  ? 'error'
                  : 'warning',
                message: { text: unevaluatedText(u, 'en') },
                descriptor: { id: `unevaluated.${u.code}` },
                ...((u.file ?? (u.kind !== 'dependency' && u.kind !== 'advisories' ? u.item : undefined))
                  ? {
                      locations: [
                        {
                          physicalLocation: {
                            artifactLocation: { uri: uriOf(u.file ?? u.item), uriBaseId: 'SRCROOT' },
                            ...(u.line ? { region: { startLine: u.line } } : {}),
                          },
                        },
                      ],
                    }
                  : {}),
                properties: {
                  kind: u.kind,
                  item: u.item,
                  code: u.code,
                  params: u.params,
                  ...(u.extent ? { extent: u.extent } : {}),
                  text: { fr: unevaluatedText(u, 'fr'), en: unevaluatedText(u, 'en') },
                },
              })),
              ...report.notes.map((n) => ({
                level: 'note',
                message: { text: n.message },
                ...(n.file
                  ? {
                      locations: [
                        { physicalLocation: { artifactLocation: { uri: uriOf(n.file), uriBaseId: 'SRCROOT' } } },
                      ],
                    }
                  : {}),
              })),
            ],
          },
        ],
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: levelOf[f.severity],
          message: { text: findingText(f, lang) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(f.location.file), uriBaseId: 'SRCROOT' },
                ...(f.location.line
                  ? {
                      region: {
                        startLine: f.location.line,
                        ...(f.location.column ? { startColumn: f.location.column } : {}),
                      },
                    }
                  : {}),
              },
            },
          ],
          partialFingerprints: { 'dsoFingerprint/v1': f.fingerprint },
          properties: {
            severity: f.severity,
            requirements: f.requirements,
            ...(f.messageId ? { messageId: f.messageId } : {}),
            ...(f.scope ? { scope: f.scope } : {}),
            ...(f.properties ?? {}),
          },
        })),
        properties: {
          gate: report.gate,
          summary: report.summary,
          unevaluated: report.unevaluated ?? [],
          ...(report.extent ? { extent: report.extent } : {}),
        },
      },
    ],
  };
}

/** Relative POSIX path → URI reference (each segment percent-encoded). */
function uriOf(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
