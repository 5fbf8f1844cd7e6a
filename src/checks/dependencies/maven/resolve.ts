// Maven dependency versions as Maven itself would find them: properties and <dependencyManagement> inherited from
// parent POMs, BOMs imported with scope "import", and child properties overriding the ones the parents' managed
// versions refer to. Parents and BOMs come from the project's own modules first, then from the local Maven
// repository (~/.m2/repository). What stays unknown is returned as "unevaluated" with the parent or BOM to blame,
// so the gate can say "3 of 20 components checked; 17 unresolved (Maven parent …)". No network.
import { componentOf, type Component } from '../component.ts';
import { unevaluatedOf, type Unevaluated } from '../../unevaluated.ts';
import { coordinatesText, readPom, resolveProperties, type Coordinates, type Pom } from './pom.ts';

/** Where POMs that are not in the tree come from (the local repository, `mvn` when installed). */
export interface PomSource {
  name: string;
  /** The POM text of these coordinates, or undefined. */
  find(coordinates: Coordinates): string | undefined;
}

interface Managed {
  version: string;
  /** Imported from a BOM: already interpolated with the BOM's own properties. */
  resolved: boolean;
}

interface Effective {
  properties: Map<string, string>;
  managed: Map<string, Managed>;
  /** The parents and BOMs that could not be found, first one first. */
  missing: { code: 'maven-parent-unresolved' | 'maven-bom-unresolved'; coordinates: string }[];
}

const maxDepth = 12;

export class MavenResolver {
  private readonly inTree = new Map<string, Pom>();
  private readonly external = new Map<string, Pom | null>();
  private readonly effectiveCache = new Map<string, Effective>();

  /** `poms`: every pom.xml of the tree, parsed (their coordinates complete the index of the project's own modules). */
  constructor(
    poms: Iterable<Pom>,
    private readonly sources: readonly PomSource[],
  ) {
    for (const pom of poms) {
      const c = ownCoordinates(pom);
      if (c) this.inTree.set(coordinatesText(c), pom);
    }
  }

  private find(c: Coordinates): Pom | undefined {
    const key = coordinatesText(c);
    const local = this.inTree.get(key);
    if (local) return local;
    if (this.external.has(key)) return this.external.get(key) ?? undefined;
    let found: Pom | undefined;
    for (const source of this.sources) {
      const text = source.find(c);
      if (text === undefined) continue;
      const read = readPom(text, false);
      if ('pom' in read) {
        found = read.pom;
        break;
      }
    }
    this.external.set(key, found ?? null);
    return found;
  }

  private effective(pom: Pom, depth: number): Effective {
    const key = ownCoordinates(pom);
    const cacheKey = key ? coordinatesText(key) : undefined;
    if (cacheKey && this.effectiveCache.has(cacheKey)) return this.effectiveCache.get(cacheKey)!;
    const result: Effective = { properties: new Map(), managed: new Map(), missing: [] };
    if (pom.parent) {
      const parent = depth < maxDepth ? this.find(pom.parent) : undefined;
      if (parent) {
        const base = this.effective(parent, depth + 1);
        for (const [k, v] of base.properties) result.properties.set(k, v);
        for (const [k, v] of base.managed) result.managed.set(k, v);
        result.missing.push(...base.missing);
      } else {
        result.missing.push({ code: 'maven-parent-unresolved', coordinates: coordinatesText(pom.parent) });
      }
    }
    for (const [k, v] of pom.properties) result.properties.set(k, v);
    const c = ownCoordinates(pom);
    const own: [string, string | undefined][] = [
      ['project.groupId', c?.groupId],
      ['pom.groupId', c?.groupId],
      ['project.artifactId', pom.artifactId],
      ['project.version', c?.version],
      ['pom.version', c?.version],
      ['version', c?.version],
      ['project.parent.version', pom.parent?.version],
      ['project.parent.groupId', pom.parent?.groupId],
    ];
    for (const [k, v] of own) if (v !== undefined) result.properties.set(k, v);
    for (const d of pom.managed) {
      const g = d.groupId && resolveProperties(d.groupId, result.properties);
      const a = d.artifactId && resolveProperties(d.artifactId, result.properties);
      if (!g || !a || !d.version) continue;
      if (d.scope === 'import') {
        const v = resolveProperties(d.version, result.properties);
        const bom = v && depth < maxDepth ? this.find({ groupId: g, artifactId: a, version: v }) : undefined;
        if (!bom) {
          result.missing.push({ code: 'maven-bom-unresolved', coordinates: `${g}:${a}:${v ?? d.version}` });
          continue;
        }
        const imported = this.effective(bom, depth + 1);
        result.missing.push(...imported.missing);
        for (const [ga, m] of imported.managed) {
          if (result.managed.has(ga) && !pom.managed.some((x) => `${x.groupId}:${x.artifactId}` === ga)) continue;
          const version = m.resolved ? m.version : resolveProperties(m.version, imported.properties);
          if (version) result.managed.set(ga, { version, resolved: true });
        }
        continue;
      }
      result.managed.set(`${g}:${a}`, { version: d.version, resolved: false });
    }
    if (cacheKey) this.effectiveCache.set(cacheKey, result);
    return result;
  }

  /** The versions a BOM (or parent) manages, interpolated; undefined when it cannot be found. */
  managedBy(coordinates: Coordinates): Map<string, string> | undefined {
    const pom = this.find(coordinates);
    if (!pom) return undefined;
    const effective = this.effective(pom, 0);
    const versions = new Map<string, string>();
    for (const [ga, m] of effective.managed) {
      const v = m.resolved ? m.version : resolveProperties(m.version, effective.properties);
      if (v) versions.set(ga, v);
    }
    return versions;
  }

  /** The components of one POM of the tree, and the declared dependencies whose version stayed unknown. */
  components(
    file: string,
    pom: Pom,
  ): { components: Component[]; unevaluated: Unevaluated[]; notes: { line?: number; message: string }[] } {
    const components: Component[] = [];
    const unevaluated: Unevaluated[] = [];
    const notes: { line?: number; message: string }[] = [];
    const effective = this.effective(pom, 0);
    for (const d of pom.dependencies) {
      if (!d.groupId || !d.artifactId) continue;
      const g = resolveProperties(d.groupId, effective.properties);
      const a = resolveProperties(d.artifactId, effective.properties);
      if (!g || !a) {
        notes.push({ line: d.line, message: `${d.groupId}:${d.artifactId}: unresolved property in its coordinates` });
        continue;
      }
      const name = `${g}:${a}`;
      const managed = effective.managed.get(name);
      const declared = d.version ?? managed?.version;
      const version =
        declared === undefined
          ? undefined
          : d.version === undefined && managed?.resolved
            ? managed.version
            : resolveProperties(declared, effective.properties);
      const at = { file, ...(d.line !== undefined ? { line: d.line } : {}) };
      if (!version) {
        const blame = effective.missing[0];
        unevaluated.push(
          blame && (declared === undefined || declared.includes('${'))
            ? unevaluatedOf(
                'dependency',
                name,
                blame.code,
                blame.code === 'maven-parent-unresolved' ? { parent: blame.coordinates } : { bom: blame.coordinates },
                at,
              )
            : unevaluatedOf(
                'dependency',
                name,
                'version-unresolved',
                { name, expression: declared ?? 'no <version> and none managed' },
                at,
              ),
        );
        continue;
      }
      if (/^[[(]/.test(version)) {
        unevaluated.push(unevaluatedOf('dependency', name, 'version-unresolved', { name, expression: version }, at));
        continue;
      }
      components.push(
        componentOf('Maven', name, version, file, {
          ...(d.line !== undefined ? { line: d.line } : {}),
          direct: true,
          development: d.scope === 'test',
        }),
      );
    }
    return { components, unevaluated, notes };
  }
}

/** groupId and version inherited from the parent when the POM omits them. */
export function ownCoordinates(pom: Pom): Coordinates | undefined {
  const groupId = pom.groupId ?? pom.parent?.groupId;
  const version = pom.version ?? pom.parent?.version;
  if (!groupId || !pom.artifactId || !version) return undefined;
  return { groupId, artifactId: pom.artifactId, version };
}
