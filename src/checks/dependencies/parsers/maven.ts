// Maven pom.xml: the project's direct dependencies, with `${property}` references resolved from
// <properties>, project/parent coordinates, and versions taken from <dependencyManagement>
// when a dependency omits its own. Parent POMs and imported BOMs outside the file are not
// fetched: what cannot be resolved is reported as a note.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { componentOf, type ParseOutcome } from '../component.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

interface Dependency {
  groupId?: string;
  artifactId?: string;
  version?: string;
  scope?: string;
  type?: string;
}

function dependencies(section: unknown): Dependency[] {
  if (!isObj(section)) return [];
  return list(section.dependency)
    .filter(isObj)
    .map((d) => ({ groupId: text(d.groupId), artifactId: text(d.artifactId), version: text(d.version), scope: text(d.scope), type: text(d.type) }));
}

/** Replaces ${name} references; gives undefined when one cannot be resolved (or loops). */
export function resolveProperties(value: string, properties: ReadonlyMap<string, string>): string | undefined {
  let current = value;
  for (let depth = 0; depth < 10; depth++) {
    if (!current.includes('${')) return current;
    let unresolved = false;
    current = current.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const v = properties.get(name);
      if (v === undefined) unresolved = true;
      return v ?? '';
    });
    if (unresolved) return undefined;
  }
  return undefined;
}

export function parsePom(file: string, source: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const valid = XMLValidator.validate(source);
  if (valid !== true) return { ...outcome, problem: { line: valid.err.line, column: valid.err.col, message: `invalid XML: ${valid.err.msg}` } };
  let doc: Obj;
  try {
    // Entities are not expanded: a POM never needs them, and expansion is an attack surface.
    doc = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false, isArray: (name) => name === 'dependency' }).parse(source) as Obj;
  } catch (e) {
    return { ...outcome, problem: { message: `invalid XML: ${e instanceof RangeError ? 'nesting too deep' : (e as Error).message}` } };
  }
  const project = doc.project;
  if (!isObj(project)) return { ...outcome, problem: { line: 1, message: 'not a Maven POM: no <project> element' } };
  const parent = isObj(project.parent) ? project.parent : {};
  const properties = new Map<string, string>();
  if (isObj(project.properties)) for (const [k, v] of Object.entries(project.properties)) if (text(v) !== undefined) properties.set(k, text(v)!);
  const groupId = text(project.groupId) ?? text(parent.groupId);
  const version = text(project.version) ?? text(parent.version);
  for (const [k, v] of [
    ['project.groupId', groupId],
    ['pom.groupId', groupId],
    ['project.artifactId', text(project.artifactId)],
    ['project.version', version],
    ['pom.version', version],
    ['version', version],
    ['project.parent.version', text(parent.version)],
    ['project.parent.groupId', text(parent.groupId)],
  ] as const) {
    if (v !== undefined) properties.set(k, v);
  }
  const managed = new Map<string, string>();
  for (const d of dependencies(isObj(project.dependencyManagement) ? project.dependencyManagement.dependencies : undefined)) {
    if (d.scope === 'import') continue; // a BOM: its content lives in another POM
    const g = d.groupId && resolveProperties(d.groupId, properties);
    const a = d.artifactId && resolveProperties(d.artifactId, properties);
    const v = d.version && resolveProperties(d.version, properties);
    if (g && a && v) managed.set(`${g}:${a}`, v);
  }
  const lines = new LineIndex(source);
  const sections = [project.dependencies];
  // Profiles may add dependencies too.
  if (isObj(project.profiles)) for (const p of list(project.profiles.profile)) if (isObj(p)) sections.push(p.dependencies);
  for (const section of sections) {
    for (const d of dependencies(section)) {
      if (!d.groupId || !d.artifactId) continue;
      const g = resolveProperties(d.groupId, properties);
      const a = resolveProperties(d.artifactId, properties);
      const line = lines.find(`<artifactId>${d.artifactId}</artifactId>`);
      if (!g || !a) {
        outcome.notes.push({ line, message: `${d.groupId}:${d.artifactId}: unresolved property in its coordinates` });
        continue;
      }
      const declared = d.version ?? managed.get(`${g}:${a}`);
      const v = declared === undefined ? undefined : resolveProperties(declared, properties);
      if (!v) {
        outcome.notes.push({ line, message: `${g}:${a}: version ${declared ?? 'not declared here (parent POM or BOM)'} could not be resolved from this file` });
        continue;
      }
      if (/^[[(]/.test(v)) {
        outcome.notes.push({ line, message: `${g}:${a}: version range ${v} names no single version` });
        continue;
      }
      outcome.components.push(componentOf('Maven', `${g}:${a}`, v, file, { line, direct: true, development: d.scope === 'test' }));
    }
  }
  return outcome;
}
