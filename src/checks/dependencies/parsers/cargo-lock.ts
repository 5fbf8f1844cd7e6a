// Cargo.lock (TOML): every [[package]] with a crates.io (registry) source; path and git crates
// are the project's own or not published, so advisories do not apply to them.
import { parse as parseToml } from 'smol-toml';
import { tomlProblem } from './toml-problem.ts';
import { componentOf, type ParseOutcome } from '../component.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseCargoLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  let lock: Obj;
  try {
    lock = parseToml(text) as Obj;
  } catch (e) {
    return { ...outcome, problem: tomlProblem(e) };
  }
  const lines = new LineIndex(text);
  for (const p of Array.isArray(lock.package) ? lock.package : []) {
    if (!isObj(p) || typeof p.name !== 'string' || typeof p.version !== 'string') continue;
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
