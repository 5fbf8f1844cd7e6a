// Cargo.lock (TOML): every [[package]] with a crates.io (registry) source; path and git crates
// are the project's own or not published, so advisories do not apply to them.
import { componentOf, type ParseOutcome } from '../component.ts';
import { readTomlLockPackages } from './toml-lock.ts';

export function parseCargoLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const lock = readTomlLockPackages(text);
  if ('problem' in lock) return { ...outcome, problem: lock.problem };
  const { lines } = lock;
  for (const p of lock.packages) {
    if (typeof p.source !== 'string') continue; // a crate of this workspace
    const line = lines.find(`name = "${p.name}"`);
    if (!p.source.startsWith('registry+') && !p.source.startsWith('sparse+')) {
      outcome.notes.push({ line, message: `${p.name} ${p.version} comes from ${p.source.split('#')[0]}: not checked against advisories` });
      continue;
    }
    outcome.components.push(componentOf('crates.io', p.name, p.version, file, { line }));
  }
  return outcome;
}
