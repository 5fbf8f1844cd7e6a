// Bounded XML reading for reports: well-formedness first (for a located error), then parsing with
// entity expansion off and a nesting limit, so a hostile report costs little and never throws.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlReading =
  { ok: true; document: Record<string, unknown> } | { ok: false; message: string; line?: number };

const repeated = new Set(['testsuite', 'testcase', 'failure', 'error', 'package', 'class', 'counter', 'sourcefile', 'line']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  maxNestedTags: 64,
  isArray: (name) => repeated.has(name),
});

export function readXml(text: string): XmlReading {
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) return { ok: false, message: valid.err.msg, line: valid.err.line };
    const document = parser.parse(text) as unknown;
    if (typeof document !== 'object' || document === null) return { ok: false, message: 'empty document' };
    return { ok: true, document: document as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: (error as Error).message.split('\n')[0] ?? 'invalid XML' };
  }
}
