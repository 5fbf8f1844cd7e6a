// The URL allow-list as the API shows and takes it (GET/PUT /admin/url-allow-list): the entries administrators
// added, the start-up default, and what an entry may be (a host name, an IP address or a CIDR range).
import { isIP } from 'node:net';
import { z } from 'zod';

const hostName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A host name, an IP address in its usual form, or a CIDR range. */
export function isAllowListEntry(entry: string): boolean {
  const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const family = isIP(cidr[1]!);
    return family !== 0 && Number(cidr[2]) <= (family === 4 ? 32 : 128);
  }
  // A name whose last label is a number is an address in another spelling (0x7f.1, 127.1), not a host name.
  return isIP(entry) !== 0 || (hostName.test(entry) && !/^(0x[0-9a-f]*|\d+)$/i.test(entry.split('.').at(-1)!));
}

const entry = z.string().min(1).max(253).refine(isAllowListEntry, 'a host name, an IP address or a CIDR range (e.g. forge.intra, 192.0.2.10, 198.51.100.0/24)');
export const allowList = z.object({
  entries: z.array(z.string()).describe('Entries administrators added (editable).'),
  startupDefault: z.array(z.string()).describe('DSO_GIT_ALLOWED_HOSTS: always allowed, changed only by restarting with another value.'),
});
export const allowListUpdate = z.strictObject({ entries: z.array(entry).max(200) });
