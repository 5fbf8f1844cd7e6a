// Python: requirements*.txt (only exact `==` pins name a version), poetry.lock (TOML) and
// Pipfile.lock (JSON).
import { componentOf, type ParseOutcome } from '../component.ts';
import { unevaluatedOf } from '../../unevaluated.ts';
import { parseJsonObject } from './json-problem.ts';
import { LineIndex } from './lines.ts';
import { readTomlLockPackages } from './toml-lock.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const requirement = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/;

export function parseRequirements(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [], unevaluated: [] };
  const rawLines = text.split(/\r?\n/);
  for (let i = 0; i < rawLines.length; i++) {
    const line = i + 1;
    let content = rawLines[i]!;
    // A trailing backslash continues the requirement (hashes usually) on the next line.
    while (content.endsWith('\\') && i + 1 < rawLines.length) content = content.slice(0, -1) + ' ' + rawLines[++i]!;
    content = content.replace(/(^|\s)#.*$/, '').trim();
    if (content === '' || content.startsWith('-')) continue; // options: -r, -c, -e, --hash, --index-url…
    // A URL has a scheme and "://" (git+https://, file:…): a package named httpx or httplib2 is not one.
    if (/^([a-z][a-z0-9+.-]*:\/\/|git\+|file:|\.{0,2}\/)/i.test(content) || /^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@\s*\S+:\/\//.test(content)) {
      outcome.notes.push({ line, message: `"${content.slice(0, 80)}" is not a package from the index: not checked against advisories` });
      continue;
    }
    const m = requirement.exec(content);
    if (!m) {
      outcome.notes.push({ line, message: `"${content.slice(0, 80)}" is not a requirement this checker understands` });
      continue;
    }
    const name = m[1]!;
    const spec = m[3]!.split(';')[0]!.replace(/--hash[=\s]\S+/g, '').trim();
    const pin = /^===?\s*([^\s,*]+)$/.exec(spec);
    if (pin) outcome.components.push(componentOf('PyPI', name, pin[1]!, file, { line, direct: true }));
    else outcome.unevaluated!.push(unevaluatedOf('dependency', name, 'version-unresolved', { name, expression: spec || 'any version' }, { file, line }));
  }
  return outcome;
}

export function parsePoetryLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const lock = readTomlLockPackages(text);
  if ('problem' in lock) return { ...outcome, problem: lock.problem };
  const { lines } = lock;
  for (const p of lock.packages) {
    const source = isObj(p.source) ? p.source : undefined;
    const lineNo = lines.find(`name = "${p.name}"`);
    if (source && typeof source.type === 'string' && source.type !== 'legacy') {
      outcome.notes.push({ line: lineNo, message: `${p.name} comes from a ${source.type} source: not checked against advisories` });
      continue;
    }
    const development = p.category === 'dev' || (Array.isArray(p.groups) && p.groups.length > 0 && !p.groups.includes('main'));
    outcome.components.push(componentOf('PyPI', p.name, p.version, file, { line: lineNo, development }));
  }
  return outcome;
}

export function parsePipfileLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return { ...outcome, problem: parsed.problem };
  const lines = new LineIndex(text);
  for (const section of ['default', 'develop']) {
    const deps = parsed.value[section];
    if (!isObj(deps)) continue;
    const sectionStart = text.indexOf(`"${section}"`);
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObj(entry)) continue;
      const line = lines.find(`"${name}"`, Math.max(0, sectionStart));
      const pin = typeof entry.version === 'string' ? /^===?\s*(\S+)$/.exec(entry.version) : null;
      if (pin) outcome.components.push(componentOf('PyPI', name, pin[1]!, file, { line, development: section === 'develop' }));
      else outcome.notes.push({ line, message: `${name} has no pinned version in ${file}: not checked against advisories` });
    }
  }
  return outcome;
}

/**
 * uv.lock and pdm.lock: TOML with one [[package]] table per resolved package (name, version); packages from a git
 * repository, a folder or the project itself (uv's `source = { editable/virtual/directory/git }`) are skipped.
 */
export function parseTomlPackageLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const lock = readTomlLockPackages(text);
  if ('problem' in lock) return { ...outcome, problem: lock.problem };
  const { lines } = lock;
  for (const p of lock.packages) {
    const source = isObj(p.source) ? p.source : undefined;
    if (source && !('registry' in source)) continue; // the project itself, a folder or a git checkout
    if (typeof p.git === 'string' || typeof p.path === 'string' || typeof p.url === 'string') continue;
    const line = lines.find(`name = "${p.name}"`);
    outcome.components.push(componentOf('PyPI', p.name, p.version, file, { ...(line !== undefined ? { line } : {}) }));
  }
  return outcome;
}
