// Finding the line of a field in a file that is not the YAML that was checked: a Helm template (not YAML until
// rendered) or a Kustomize base or patch. The keys of the field's path are looked for in order, each after the
// previous one, so that `securityContext.privileged` lands on the `privileged:` of the right block when the
// template writes it literally, and on the nearest enclosing key found (`securityContext: {{- toYaml … }}`) when
// the value comes from values.yaml.
import type { Path } from './workloads.ts';

export interface KeyLine {
  /** Line (1-based) of the deepest key of the path that was found. */
  line: number;
  /** Whether that key is the path's last named key (the field itself, not an enclosing block). */
  exact: boolean;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function lineOfPath(text: string, path: Path): KeyLine | undefined {
  const keys = path.filter((k): k is string => typeof k === 'string');
  if (keys.length === 0) return undefined;
  const lines = text.split('\n');
  let from = 0;
  let found: KeyLine | undefined;
  keys.forEach((key, index) => {
    const pattern = new RegExp(`(^|[\\s{,\\-])["']?${escape(key)}["']?\\s*:`);
    for (let i = from; i < lines.length; i++) {
      if (pattern.test(lines[i]!)) {
        found = { line: i + 1, exact: index === keys.length - 1 };
        from = i + 1;
        return;
      }
    }
  });
  return found;
}
