// Name-based (version 5, SHA-1) UUIDs: the same stable key always gives the same UUID, so exported
// documents (OSCAL) are reproducible and their items keep their identity across exports.
import { createHash } from 'node:crypto';

/** Namespace of every UUID DSO π derives (itself an arbitrary but fixed UUID). */
export const dsoUuidNamespace = '6f1c2b7e-4d1a-5b8e-9c3f-2a7d1e0b5c94';

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function uuidV5(name: string, namespace: string = dsoUuidNamespace): string {
  const hash = createHash('sha1').update(bytesOf(namespace)).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** UUID of a key made of parts (joined with a separator that cannot appear in ids). */
export function stableUuid(...parts: string[]): string {
  return uuidV5(parts.join('\u0000'));
}
