import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard for repository and webhook URLs given by teams: the platform must not be
 * turned into a client of its own loopback services or of the cloud metadata endpoint.
 * Private ranges stay allowed on purpose: internal forges usually live there.
 */
export type RemoteUrlRefusal = {
  ok: false;
  reason: 'invalid-url' | 'unsupported-scheme' | 'credentials-in-url' | 'unresolvable' | 'forbidden-address';
  message: { fr: string; en: string };
};
export type RemoteUrlCheck =
  | { ok: true; scheme: 'https' | 'http' | 'ssh' | 'file'; host: string; addresses: string[] }
  | RemoteUrlRefusal;

export interface RemoteUrlPolicy {
  /** Host names, IP addresses or CIDR ranges an administrator explicitly allows (e.g. `127.0.0.1`). */
  allowList?: string[];
  /** Schemes accepted; default https and ssh. `file` and `http` are for tests and allow-listed setups. */
  schemes?: Array<'https' | 'http' | 'ssh' | 'file'>;
  /** Resolver, replaceable so tests can point a name at a forbidden address. */
  resolve?: (host: string) => Promise<string[]>;
}

const forbidden = new BlockList();
forbidden.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
forbidden.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network", reaches local services on Linux
forbidden.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, includes 169.254.169.254 metadata
forbidden.addSubnet('100.100.100.200', 32, 'ipv4'); // Alibaba metadata
forbidden.addAddress('::1', 'ipv6');
forbidden.addAddress('::', 'ipv6');
forbidden.addSubnet('fe80::', 10, 'ipv6'); // link-local
forbidden.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

async function defaultResolve(host: string): Promise<string[]> {
  const all = await lookup(host, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

function refuse(reason: RemoteUrlRefusal['reason'], fr: string, en: string): RemoteUrlRefusal {
  return { ok: false, reason, message: { fr, en } };
}

/** Splits `https://…`, `ssh://…`, `file://…` and scp-like `user@host:path` into scheme and host. */
export function remoteUrlParts(raw: string): { scheme: string; host: string; hasCredentials: boolean } | null {
  if (raw.length > 2048 || /[\s\0]/.test(raw) || raw.startsWith('-')) return null;
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(?!\/\/)(.+)$/.exec(raw);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    return { scheme: 'ssh', host: scp[2]!, hasCredentials: false };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const hasCredentials = scheme === 'ssh' ? url.password !== '' : url.username !== '' || url.password !== '';
  return { scheme, host, hasCredentials };
}

function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function allowListed(host: string, address: string, allowList: string[]): boolean {
  for (const entry of allowList) {
    if (entry.toLowerCase() === host.toLowerCase() || entry === address) return true;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]!);
      if (family && isIP(address) === family) {
        const list = new BlockList();
        list.addSubnet(cidr[1]!, Number(cidr[2]), family === 4 ? 'ipv4' : 'ipv6');
        if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
      }
    }
  }
  return false;
}

export function isForbiddenAddress(address: string): boolean {
  const a = normalise(address);
  const family = isIP(a);
  if (!family) return true;
  return forbidden.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Resolves the host of `raw` and refuses loopback, link-local and metadata addresses unless
 * allow-listed. Call it right before each use: DNS answers change.
 */
export async function checkRemoteUrl(raw: string, policy: RemoteUrlPolicy = {}): Promise<RemoteUrlCheck> {
  const parts = remoteUrlParts(raw);
  if (!parts) return refuse('invalid-url', 'Adresse de dépôt invalide.', 'Invalid repository URL.');
  const schemes = policy.schemes ?? ['https', 'ssh'];
  if (!(schemes as string[]).includes(parts.scheme)) {
    return refuse(
      'unsupported-scheme',
      `Le protocole « ${parts.scheme} » n'est pas accepté (acceptés : ${schemes.join(', ')}).`,
      `Scheme "${parts.scheme}" is not accepted (accepted: ${schemes.join(', ')}).`,
    );
  }
  if (parts.hasCredentials) {
    return refuse(
      'credentials-in-url',
      "L'adresse contient des identifiants : enregistrez-les à part, ils seront chiffrés.",
      'The URL contains credentials: register them separately so they are stored encrypted.',
    );
  }
  const scheme = parts.scheme as 'https' | 'http' | 'ssh' | 'file';
  if (scheme === 'file') return { ok: true, scheme, host: '', addresses: [] };
  const allowList = policy.allowList ?? [];
  let addresses: string[];
  try {
    addresses = isIP(parts.host) ? [parts.host] : await (policy.resolve ?? defaultResolve)(parts.host);
  } catch {
    return refuse('unresolvable', `Le nom d'hôte « ${parts.host} » est introuvable.`, `Host "${parts.host}" cannot be resolved.`);
  }
  if (addresses.length === 0) {
    return refuse('unresolvable', `Le nom d'hôte « ${parts.host} » est introuvable.`, `Host "${parts.host}" cannot be resolved.`);
  }
  for (const address of addresses) {
    if (isForbiddenAddress(address) && !allowListed(parts.host, normalise(address), allowList)) {
      return refuse(
        'forbidden-address',
        `L'adresse « ${parts.host} » désigne une adresse interne interdite (${address}) ; un administrateur peut l'autoriser.`,
        `"${parts.host}" points to a forbidden internal address (${address}); an administrator can allow-list it.`,
      );
    }
  }
  return { ok: true, scheme, host: parts.host, addresses };
}
