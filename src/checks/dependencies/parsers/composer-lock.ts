// composer.lock (JSON): `packages` and `packages-dev`, each with name and version.
import { componentOf, type ParseOutcome } from '../component.ts';
import { parseJsonObject } from './json-problem.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseComposerLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return { ...outcome, problem: parsed.problem };
  const lines = new LineIndex(text);
  for (const section of ['packages', 'packages-dev']) {
    const packages = parsed.value[section];
    if (!Array.isArray(packages)) continue;
    for (const p of packages) {
      if (!isObj(p) || typeof p.name !== 'string' || typeof p.version !== 'string') continue;
      const line = lines.find(`"name": "${p.name}"`);
      // Branch checkouts (dev-main) have no release version to compare.
      if (p.version.startsWith('dev-') || p.version.endsWith('-dev')) {
        outcome.notes.push({ line, message: `${p.name} is installed from the branch ${p.version}: not checked against advisories` });
        continue;
      }
      outcome.components.push(componentOf('Packagist', p.name, p.version.replace(/^v(?=\d)/, ''), file, { line, development: section === 'packages-dev' }));
    }
  }
  return outcome;
}
