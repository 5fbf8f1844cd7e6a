// A Maven POM read into what dependency resolution needs: coordinates, parent, properties, managed versions
// (imported BOMs kept as references) and declared dependencies with their line. No inheritance here: see
// resolve.ts. Entities are never expanded and the parser is bounded by the engine's file size limit.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParseProblem } from '../component.ts';
import { LineIndex } from '../parsers/lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export interface PomDependency {
  groupId?: string;
  artifactId?: string;
  version?: string;
  scope?: string;
  type?: string;
  line?: number;
}

export interface Coordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

export interface Pom {
  groupId?: string;
  artifactId?: string;
  version?: string;
  parent?: Coordinates & { relativePath?: string };
  properties: Map<string, string>;
  /** <dependencyManagement>, BOM imports (scope import) included, in order. */
  managed: PomDependency[];
  dependencies: PomDependency[];
  modules: string[];
}

function dependencies(section: unknown, lines: LineIndex | undefined): PomDependency[] {
  if (!isObj(section)) return [];
  return list(section.dependency)
    .filter(isObj)
    .map((d) => {
      const dep: PomDependency = {
        groupId: text(d.groupId),
        artifactId: text(d.artifactId),
        version: text(d.version),
        scope: text(d.scope),
        type: text(d.type),
      };
      if (lines && dep.artifactId) dep.line = lines.find(`<artifactId>${dep.artifactId}</artifactId>`);
      return dep;
    });
}

export function readPom(source: string, withLines = true): { pom: Pom } | { problem: ParseProblem } {
  const valid = XMLValidator.validate(source);
  if (valid !== true) return { problem: { line: valid.err.line, column: valid.err.col, message: `invalid XML: ${valid.err.msg}` } };
  let doc: Obj;
  try {
    doc = new XMLParser({ ignoreAttributes: true, processEntities: false, parseTagValue: false, isArray: (name) => name === 'dependency' || name === 'module' || name === 'profile' }).parse(source) as Obj;
  } catch (e) {
    return { problem: { message: `invalid XML: ${e instanceof RangeError ? 'nesting too deep' : (e as Error).message}` } };
  }
  const project = doc.project;
  if (!isObj(project)) return { problem: { line: 1, message: 'not a Maven POM: no <project> element' } };
  const lines = withLines ? new LineIndex(source) : undefined;
  const properties = new Map<string, string>();
  if (isObj(project.properties))
    for (const [k, v] of Object.entries(project.properties)) if (text(v) !== undefined) properties.set(k, text(v)!);
  const pom: Pom = {
    groupId: text(project.groupId),
    artifactId: text(project.artifactId),
    version: text(project.version),
    properties,
    managed: dependencies(
      isObj(project.dependencyManagement) ? project.dependencyManagement.dependencies : undefined,
      lines,
    ),
    dependencies: dependencies(project.dependencies, lines),
    modules: isObj(project.modules)
      ? list(project.modules.module)
          .map(text)
          .filter((m): m is string => m !== undefined)
      : [],
  };
  if (isObj(project.parent)) {
    const p = project.parent;
    const [g, a, v] = [text(p.groupId), text(p.artifactId), text(p.version)];
    if (g && a && v)
      pom.parent = {
        groupId: g,
        artifactId: a,
        version: v,
        ...(text(p.relativePath) !== undefined ? { relativePath: text(p.relativePath) } : {}),
      };
  }
  // Profiles may add dependencies too (active or not: the safe side is to check them).
  if (isObj(project.profiles))
    for (const p of list(project.profiles.profile))
      if (isObj(p)) pom.dependencies.push(...dependencies(p.dependencies, lines));
  return { pom };
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

export const coordinatesText = (c: Coordinates): string => `${c.groupId}:${c.artifactId}:${c.version}`;
