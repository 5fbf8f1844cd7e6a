// Bounded reading of multi-document YAML: alias expansion is capped (billion laughs), nesting
// depth and document count are limited, and every problem becomes a value with a line number.
import { LineCounter, parseAllDocuments, isNode, type Document } from 'yaml';
import type { Path } from './workloads.ts';

export const yamlLimits = { maxAliasCount: 100, maxDocuments: 5_000, maxDepth: 200 } as const;

export interface YamlDocuments {
  /** Plain values of the documents, in order (empty documents skipped). */
  values: unknown[];
  /** Line (1-based) of a path inside document `index`, or of the document start. */
  locate(index: number, path: Path): number | undefined;
  /** Set when the text is not valid YAML or exceeds a limit. */
  error?: { message: string; line?: number };
}

export function readYamlDocuments(text: string): YamlDocuments {
  const lineCounter = new LineCounter();
  const kept: Document.Parsed[] = [];
  const values: unknown[] = [];
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  const locate = (index: number, path: Path): number | undefined => {
    const document = kept[index];
    if (!document) return undefined;
    for (let length = path.length; length >= 0; length--) {
      const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return lineAt(document.range[0]);
  };
  try {
    if (nestingDepth(text) > yamlLimits.maxDepth) {
      return { values: [], locate, error: { message: `nesting deeper than ${yamlLimits.maxDepth} levels` } };
    }
    const separators = text.match(/^---/gm)?.length ?? 0;
    if (separators >= yamlLimits.maxDocuments) {
      return { values: [], locate, error: { message: `more than ${yamlLimits.maxDocuments} documents` } };
    }
    const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
    const list = Array.isArray(documents) ? documents : [];
    if (list.length > yamlLimits.maxDocuments) {
      return { values: [], locate, error: { message: `more than ${yamlLimits.maxDocuments} documents` } };
    }
    for (const document of list) {
      const problem = document.errors[0];
      if (problem) {
        return { values: [], locate, error: { message: problem.message.split('\n')[0] ?? 'invalid YAML', line: lineAt(problem.pos[0]) } };
      }
      if (document.contents === null) continue;
      const value: unknown = document.toJS({ maxAliasCount: yamlLimits.maxAliasCount });
      kept.push(document);
      values.push(value);
    }
    return { values, locate };
  } catch (error) {
    // toJS throws when aliases expand past the limit; a stack overflow on pathological nesting lands here too.
    const message = error instanceof RangeError ? 'structure too deep to read' : (error as Error).message.split('\n')[0] ?? 'invalid YAML';
    return { values: [], locate, error: { message } };
  }
}

/** Cheap upper bound of flow/indentation nesting, computed before the parser recurses. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  let indentMax = 0;
  for (const match of text.matchAll(/^( *)(?:- )*\S/gm)) indentMax = Math.max(indentMax, (match[1]?.length ?? 0) + (match[0].match(/- /g)?.length ?? 0) * 2);
  return Math.max(max, Math.floor(indentMax / 2));
}
