// YAML reading with the bounds every checker needs: few aliases (no "billion laughs"), and
// errors turned into located problems.
import YAML from 'yaml';
import type { ParseProblem } from '../component.ts';

export function parseYamlDocument(text: string): { value: unknown } | { problem: ParseProblem } {
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
