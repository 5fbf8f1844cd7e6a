// YAML reading with the bounds every checker needs: few aliases (no "billion laughs"), and
// errors turned into located problems.
import YAML from 'yaml';
import type { ParseProblem } from '../component.ts';

/** Deepest flow nesting ([ and {) accepted; lockfiles use two or three levels. */
const maxFlowDepth = 256;

// The YAML parser recurses per nesting level and takes seconds to hit the stack limit on a
// hostile file; a linear pre-scan refuses such files at once (brackets inside quoted strings are
// counted too, which only matters for files far outside what lockfiles contain).
function flowDepthProblem(text: string): ParseProblem | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 91 || c === 123) {
      if (++depth > maxFlowDepth) return { line, message: `invalid YAML: nesting deeper than ${maxFlowDepth} levels` };
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

export function parseYamlDocument(text: string): { value: unknown } | { problem: ParseProblem } {
  const tooDeep = flowDepthProblem(text);
  if (tooDeep) return { problem: tooDeep };
  try {
    const doc = YAML.parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
    const error = doc.errors[0];
    if (error) return { problem: { line: error.linePos?.[0]?.line, column: error.linePos?.[0]?.col, message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` } };
    return { value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    const message = e instanceof RangeError ? 'nesting too deep' : (e as Error).message.split('\n')[0];
    return { problem: { message: `invalid YAML: ${message}` } };
  }
}
