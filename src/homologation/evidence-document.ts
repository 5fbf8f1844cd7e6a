// What an uploaded evidence file really is, from its first bytes (magic numbers), never from its name or the
// declared content type: PDF, PNG, JPEG, plain UTF-8 text, and OpenDocument / Office Open XML text documents
// (zip archives recognised by their first or central-directory entries). Anything else is refused.
import { createHash } from 'node:crypto';

export const evidenceMaxBytes = 10 * 1024 * 1024;

export const evidenceMediaTypes = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  text: 'text/plain; charset=utf-8',
  odt: 'application/vnd.oasis.opendocument.text',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

export type EvidenceFileKind = keyof typeof evidenceMediaTypes;

const startsWith = (content: Buffer, bytes: number[]) =>
  content.length >= bytes.length && bytes.every((b, i) => content[i] === b);

function isUtf8Text(content: Buffer): boolean {
  if (content.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return false;
  }
  // Control characters other than tab, line feed, carriage return and form feed mean binary content.
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

/** The kind of an evidence file from its content; undefined when it is not one we accept. */
export function sniffEvidenceFile(content: Buffer): EvidenceFileKind | undefined {
  if (startsWith(content, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04])) {
    // OpenDocument: the first entry is an uncompressed `mimetype` file holding the media type (offset 30 + 8).
    const head = content.subarray(30, 30 + 8 + 64).toString('latin1');
    if (head.startsWith('mimetype') && head.slice(8).startsWith(evidenceMediaTypes.odt)) return 'odt';
    // Office Open XML: a word processing document has a `word/document.xml` entry (listed in the central directory).
    if (content.includes('[Content_Types].xml', 0, 'latin1') && content.includes('word/document.xml', 0, 'latin1')) return 'docx';
    return undefined;
  }
  return isUtf8Text(content) ? 'text' : undefined;
}

export const sha256Hex = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** A file name kept as a label only: printable, no path separators, bounded; undefined when nothing is left. */
export function evidenceLabel(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').replace(/^\.+/, '').slice(0, 120).trim();
  return cleaned === '' ? undefined : cleaned;
}

const extensions: Record<EvidenceFileKind, string> = { pdf: 'pdf', png: 'png', jpeg: 'jpg', text: 'txt', odt: 'odt', docx: 'docx' };

/** Download name: the label when it has the right extension, else a name from the hash. Never a path. */
export function downloadName(label: string | null, kind: EvidenceFileKind, sha256: string): string {
  const ext = extensions[kind];
  if (label && label.toLowerCase().endsWith(`.${ext}`)) return label;
  return `preuve-${sha256.slice(0, 12)}.${ext}`;
}

export function kindOfMediaType(mediaType: string): EvidenceFileKind | undefined {
  return (Object.entries(evidenceMediaTypes) as [EvidenceFileKind, string][]).find(([, m]) => m === mediaType)?.[0];
}
