// What `.dso.yml` tells the checks (as opposed to the chain): where the project's own test reports are
// (`test.reports`), which paths count as tests or production (`scope`) and how unevaluated items count (`evaluation`).
// Read leniently here — the chain's checkout step validates the whole file strictly and refuses a bad one; `dso check`
// on a laptop notes problems and goes on with what it could read. Bounded like the chain's reader (size, YAML aliases).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Note } from './model.ts';
import { scopeSettingsOf, type ScopeSettings } from './scope.ts';
import { projectEvaluationPolicyOf } from './evaluation-policy.ts';
import type { ProjectEvaluationPolicy } from './unevaluated.ts';

export interface DeclaredReport {
  /** Relative POSIX path, without `..`. */
  path: string;
  /** As declared (junit when a plain string); the reader still checks the content. */
  format: string;
}

export interface ProjectSettings {
  /** `test.reports`: the only places the project's test and coverage results are read from. */
  testReports: DeclaredReport[];
  scope: ScopeSettings;
  /** `evaluation`: how this project wants unevaluated items counted (within what the platform enforces). */
  evaluation?: ProjectEvaluationPolicy;
}

export const noProjectSettings: ProjectSettings = { testReports: [], scope: { test: [], production: [] } };

const maxBytes = 64 * 1024;

export function readProjectSettings(root: string): { settings: ProjectSettings; notes: Note[] } {
  const file = join(root, '.dso.yml');
  try {
    const info = statSync(file);
    if (!info.isFile()) return { settings: noProjectSettings, notes: [] };
    if (info.size > maxBytes) return { settings: noProjectSettings, notes: [{ file: '.dso.yml', message: `.dso.yml is larger than ${maxBytes / 1024} KiB: not read.` }] };
    return projectSettingsOf(readFileSync(file, 'utf8'));
  } catch {
    return { settings: noProjectSettings, notes: [] };
  }
}

export function projectSettingsOf(text: string): { settings: ProjectSettings; notes: Note[] } {
  const notes: Note[] = [];
  let raw: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message.split('\n')[0]);
    raw = doc.toJS({ maxAliasCount: 20 });
  } catch (error) {
    return { settings: noProjectSettings, notes: [{ file: '.dso.yml', message: `.dso.yml could not be read (${(error as Error).message}): no test report and no scope override used.` }] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { settings: noProjectSettings, notes };
  const record = raw as Record<string, unknown>;
  const testReports: DeclaredReport[] = [];
  const test = record.test;
  if (typeof test === 'object' && test !== null && Array.isArray((test as Record<string, unknown>).reports)) {
    for (const entry of ((test as Record<string, unknown>).reports as unknown[]).slice(0, 20)) {
      const declared = typeof entry === 'string' ? { path: entry, format: 'junit' } : typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : undefined;
      const path = typeof declared?.path === 'string' ? normalised(declared.path) : undefined;
      if (!path) continue;
      testReports.push({ path, format: typeof declared?.format === 'string' ? declared.format : 'junit' });
    }
  }
  const scope = scopeSettingsOf(record.scope);
  for (const problem of scope.problems) notes.push({ file: '.dso.yml', message: `${problem.en} Ignored.` });
  const evaluation = projectEvaluationPolicyOf(record.evaluation);
  for (const problem of evaluation.problems) notes.push({ file: '.dso.yml', message: `${problem.path}: ${problem.en} Ignored.` });
  const settings: ProjectSettings = { testReports, scope: scope.settings };
  if (evaluation.policy) settings.evaluation = evaluation.policy;
  return { settings, notes };
}

/** `./reports//junit.xml` → `reports/junit.xml`; absolute paths and `..` are refused. */
function normalised(path: string): string | undefined {
  if (path.startsWith('/') || path.includes('\0') || path.length > 1000) return undefined;
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.includes('..')) return undefined;
  return segments.join('/');
}
