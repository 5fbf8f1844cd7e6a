// .NET: packages.lock.json (every resolved package, direct and transitive: the complete answer when present),
// PackageReference items of *.csproj / *.fsproj / *.vbproj, and central package management
// (Directory.Packages.props, PackageVersion items) giving versions to references that omit theirs.
// A floating version (1.*) or a range is reported as not evaluated.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { componentOf, type ParseOutcome } from '../component.ts';
import { unevaluatedOf } from '../../unevaluated.ts';
import { parseJsonObject } from './json-problem.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function parsePackagesLock(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return { ...outcome, problem: parsed.problem };
  const frameworks = parsed.value.dependencies;
  if (!isObj(frameworks)) return { ...outcome, problem: { line: 1, message: 'not a NuGet packages.lock.json: no "dependencies" object' } };
  const lines = new LineIndex(text);
  const seen = new Set<string>();
  for (const packages of Object.values(frameworks)) {
    if (!isObj(packages)) continue;
    for (const [name, entry] of Object.entries(packages)) {
      if (!isObj(entry) || typeof entry.resolved !== 'string' || entry.type === 'Project') continue;
      const key = `${name.toLowerCase()}@${entry.resolved}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const line = lines.find(`"${name}"`);
      outcome.components.push(componentOf('NuGet', name, entry.resolved, file, { ...(line !== undefined ? { line } : {}), direct: entry.type === 'Direct' || entry.type === 'CentralTransitive' ? entry.type === 'Direct' : false }));
    }
  }
  return outcome;
}

interface Item {
  name: string;
  version?: string;
  line?: number;
}

/** PackageReference (or PackageVersion) items of an MSBuild file: Include/Update and Version as attribute or
 * element. */
export function msbuildItems(text: string, element: 'PackageReference' | 'PackageVersion'): { items: Item[] } | { problem: { line?: number; column?: number; message: string } } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { problem: { line: valid.err.line, column: valid.err.col, message: `invalid XML: ${valid.err.msg}` } };
  let doc: Obj;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: false, parseTagValue: false, isArray: (name) => name === element || name === 'ItemGroup' }).parse(text) as Obj;
  } catch (e) {
    return { problem: { message: `invalid XML: ${(e as Error).message}` } };
  }
  const project = isObj(doc.Project) ? doc.Project : {};
  const lines = new LineIndex(text);
  const items: Item[] = [];
  for (const group of list(project.ItemGroup)) {
    if (!isObj(group)) continue;
    for (const raw of list(group[element])) {
      if (!isObj(raw)) continue;
      const name = (raw['@Include'] ?? raw['@Update']) as string | undefined;
      if (typeof name !== 'string') continue;
      const version = typeof raw['@Version'] === 'string' ? raw['@Version'] : typeof raw.Version === 'string' ? raw.Version : undefined;
      const line = lines.find(`"${name}"`);
      items.push({
        name,
        ...(version !== undefined ? { version: version.trim() } : {}),
        ...(line !== undefined ? { line } : {}),
      });
    }
  }
  return { items };
}

const exactNuGet = /^\[?\s*(\d+(?:\.\d+){1,3}(?:-[0-9A-Za-z.-]+)?)\s*\]?$/;

/** A project file; `central`: PackageVersion entries of the Directory.Packages.props that applies, by lower-case
 * name. */
export function parseProjectFile(
  file: string,
  text: string,
  central: ReadonlyMap<string, string> = new Map(),
): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [], unevaluated: [] };
  const read = msbuildItems(text, 'PackageReference');
  if ('problem' in read) return { ...outcome, problem: read.problem };
  for (const item of read.items) {
    const at = { file, ...(item.line !== undefined ? { line: item.line } : {}) };
    const declared = item.version ?? central.get(item.name.toLowerCase());
    if (declared === undefined) {
      outcome.unevaluated!.push(
        unevaluatedOf(
          'dependency',
          item.name,
          'version-unresolved',
          { name: item.name, expression: 'no Version and no Directory.Packages.props entry' },
          at,
        ),
      );
      continue;
    }
    const pin = exactNuGet.exec(declared);
    if (!pin || declared.includes('$(')) {
      outcome.unevaluated!.push(
        unevaluatedOf(
          'dependency',
          item.name,
          declared.includes('*') ? 'dynamic-version' : 'version-unresolved',
          { name: item.name, version: declared, expression: declared },
          at,
        ),
      );
      continue;
    }
    outcome.components.push(
      componentOf('NuGet', item.name, pin[1]!, file, {
        ...(item.line !== undefined ? { line: item.line } : {}),
        direct: true,
      }),
    );
  }
  return outcome;
}

export function centralVersions(text: string): Map<string, string> {
  const read = msbuildItems(text, 'PackageVersion');
  const versions = new Map<string, string>();
  if ('items' in read) for (const item of read.items) if (item.version) versions.set(item.name.toLowerCase(), item.version);
  return versions;
}
