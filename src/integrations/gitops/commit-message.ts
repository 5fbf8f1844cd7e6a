// What a reconcile changed, in words: the commit message people read in the GitOps repository's history.
import { parseEnvironmentFolder } from './layout.ts';

export interface ChangeSummary {
  added: string[];
  updated: string[];
  removed: string[];
  /** Files outside environment folders (cluster roots, AppProjects) that changed. */
  otherFiles: string[];
}

export function emptySummary(): ChangeSummary {
  return { added: [], updated: [], removed: [], otherFiles: [] };
}

const listedLimit = 50;

function section(title: string, folders: string[]): string[] {
  if (!folders.length) return [];
  const names = [...folders].sort().map((folder) => {
    const env = parseEnvironmentFolder(folder);
    return env ? `- ${env.project}/${env.environment} (${env.zone}/${env.cluster})` : `- ${folder}`;
  });
  const shown = names.slice(0, listedLimit);
  if (names.length > listedLimit) shown.push(`- … and ${names.length - listedLimit} more`);
  return ['', `${title}:`, ...shown];
}

export function commitMessage(summary: ChangeSummary): string {
  const counts = [
    summary.added.length && `${summary.added.length} added`,
    summary.updated.length && `${summary.updated.length} updated`,
    summary.removed.length && `${summary.removed.length} removed`,
  ].filter(Boolean);
  const title = counts.length ? `Reconcile environments: ${counts.join(', ')}` : 'Reconcile platform files';
  return [
    title,
    ...section('Added environments', summary.added),
    ...section('Updated environments', summary.updated),
    ...section('Removed environments', summary.removed),
    ...section('Other files', summary.otherFiles),
    '',
  ].join('\n');
}
