// package.json of a project without a lockfile: exact pins are checked as they are; a range is checked at the
// lowest version it allows (the version an install could pick first) and marked "unresolved range", since which
// version gets installed is not known; a dependency with no lower bound (*, latest, git, URL) is not evaluated.
// The checker reads package.json only where no lockfile covers it (same folder or an enclosing one).
import { componentOf, type ParseOutcome } from '../component.ts';
import { unevaluatedOf } from '../../unevaluated.ts';
import { parseJsonObject } from './json-problem.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const exact = /^(?:=|v)?\s*(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
const partial = /^(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?$/;

/** The lowest version a single comparator set allows, or undefined when it has no lower bound. */
function lowestOfSet(set: string): string | undefined {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set.trim());
  if (hyphen) return floor(hyphen[1]!);
  let lowest: string | undefined;
  for (const raw of set.trim().split(/\s+/)) {
    const m = /^(\^|~>?|>=|>|<=|<|=)?\s*v?(.*)$/.exec(raw);
    if (!m) return undefined;
    const [, op = '', rest = ''] = m;
    if (op === '<' || op === '<=') continue;
    if (op === '>') return undefined; // strictly above a version: the next one is not known here
    const v = floor(rest);
    if (v === undefined) return undefined;
    lowest = v;
  }
  return lowest;
}

/** 1 → 1.0.0, 1.2.x → 1.2.0, 1.2.3-beta → 1.2.3-beta; `*`, `x` and non-versions → undefined. */
function floor(text: string): string | undefined {
  const m = partial.exec(text);
  if (!m) return undefined;
  const part = (p: string | undefined) => (p === undefined || /^[xX*]$/.test(p) ? '0' : p);
  return `${m[1]}.${part(m[2])}.${part(m[3])}${m[4] ?? ''}`;
}

const compareRelease = (a: string, b: string): number => {
  const [x, y] = [a, b].map((v) => v.split(/[-+]/)[0]!.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i]! !== y![i]!) return x![i]! - y![i]!;
  return 0;
};

/** The lowest version any alternative of a range allows (`||` sets), or undefined. */
export function lowestVersionOf(range: string): string | undefined {
  const candidates = range.split('||').map(lowestOfSet);
  if (candidates.some((c) => c === undefined) || candidates.length === 0) return undefined;
  return (candidates as string[]).sort(compareRelease)[0];
}

const sections = [
  ['dependencies', false],
  ['optionalDependencies', false],
  ['devDependencies', true],
] as const;

export function parsePackageJson(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [], unevaluated: [] };
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return { ...outcome, problem: parsed.problem };
  const lines = new LineIndex(text);
  for (const [section, development] of sections) {
    const deps = parsed.value[section];
    if (!isObj(deps)) continue;
    const start = text.indexOf(`"${section}"`);
    for (const [declaredName, value] of Object.entries(deps)) {
      if (typeof value !== 'string') continue;
      const line = lines.find(`"${declaredName}"`, Math.max(0, start));
      const at = { file, ...(line !== undefined ? { line } : {}) };
      let name = declaredName;
      let spec = value.trim();
      // An alias installs another package: npm:real-name@range.
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(spec);
      if (alias) {
        name = alias[1]!;
        spec = alias[2] ?? '*';
      }
      if (/^(file:|link:|workspace:|portal:|\.{0,2}\/)/.test(spec)) continue; // the project's own code
      if (/^(git\+|git:|github:|gitlab:|bitbucket:|https?:|[\w.-]+\/[\w.-]+(#.*)?$)/.test(spec)) {
        outcome.unevaluated!.push(unevaluatedOf('dependency', name, 'version-unresolved', { name, expression: spec.slice(0, 120) }, at));
        continue;
      }
      const pin = exact.exec(spec);
      if (pin) {
        outcome.components.push(componentOf('npm', name, pin[1]!, file, { ...at, direct: true, development }));
        continue;
      }
      const lowest = lowestVersionOf(spec);
      if (lowest === undefined) {
        outcome.unevaluated!.push(unevaluatedOf('dependency', name, 'version-unresolved', { name, expression: spec.slice(0, 120) || '*' }, at));
        continue;
      }
      outcome.components.push(componentOf('npm', name, lowest, file, { ...at, direct: true, development, range: spec }));
      outcome.unevaluated!.push(unevaluatedOf('dependency', name, 'range-unresolved', { name, range: spec.slice(0, 120), version: lowest }, at));
    }
  }
  return outcome;
}
