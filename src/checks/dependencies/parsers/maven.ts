// Maven pom.xml, one file on its own: properties, inherited coordinates and <dependencyManagement> of this file.
// The dependency checker resolves the tree's POMs together (parents, BOMs, ~/.m2: see ../maven/resolve.ts); this
// single-file form serves callers that have just the one file, and reports the rest as unevaluated.
import type { ParseOutcome } from '../component.ts';
import { readPom } from '../maven/pom.ts';
import { MavenResolver, type PomSource } from '../maven/resolve.ts';

export { resolveProperties } from '../maven/pom.ts';

export function parsePom(file: string, source: string, sources: readonly PomSource[] = []): ParseOutcome {
  const read = readPom(source);
  if ('problem' in read) return { components: [], notes: [], problem: read.problem };
  const { components, unevaluated, notes } = new MavenResolver([read.pom], sources).components(file, read.pom);
  return { components, notes, unevaluated };
}
