import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * The one policy for every outbound URL a team can set (repository URLs, webhooks, commit-status API URLs): the
 * platform must not become a client of its own services, of the cloud metadata endpoint, or of whatever a parser
 * differential makes git or an HTTP client connect to. It is applied when the URL is given (the API answers 400)
 * and again right before each use (DNS answers change), and the connection is then pinned to the checked address.
 *
 * Refused outright: backslashes, whitespace, control and bidi characters; user info (credentials have their own
 * field); schemes other than those the caller accepts (http and https for anything a team sets); IP addresses
 * written in any form but the canonical one (octal, hexadecimal, integer, short, trailing dot, percent-encoded).
 * Then every address the host resolves to is checked: loopback, unspecified, link-local, metadata, IPv4-mapped or
 * translated, multicast/reserved, and the platform's own interface addresses are refused unless allow-listed.
 * Private ranges stay allowed on purpose: internal forges usually live there.
 */
export type RemoteUrlRefusalReason =
  | 'invalid-url'
  | 'forbidden-character'
  | 'unsupported-scheme'
  | 'credentials-in-url'
  | 'non-canonical-address'
  | 'unresolvable'
  | 'forbidden-address';

export type RemoteUrlRefusal = {
  ok: false;
  reason: RemoteUrlRefusalReason;
  message: { fr: string; en: string };
};
export type RemoteUrlCheck =
  | { ok: true; scheme: 'https' | 'http' | 'ssh' | 'file'; host: string; port: number; addresses: string[] }
  | RemoteUrlRefusal;

export interface RemoteUrlPolicy {
  /** Host names, IP addresses or CIDR ranges an administrator explicitly allows (e.g. `127.0.0.1`). */
  allowList?: string[];
  /** Schemes accepted; default https. `file` is for the platform's own tests, never for what a team sets. */
  schemes?: Array<'https' | 'http' | 'file'>;
  /** Resolver, replaceable so tests can point a name at a forbidden address. */
  resolve?: (host: string) => Promise<string[]>;
  /** The platform's own addresses (default: this host's interfaces), refused unless allow-listed. */
  ownAddresses?: () => string[];
}

type AddressKind = 'loopback' | 'unspecified' | 'link-local' | 'metadata' | 'ipv4-mapped' | 'reserved' | 'own-address';

const ranges: [AddressKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['metadata', '169.254.169.254', 32, 'ipv4'],
  ['metadata', '100.100.100.200', 32, 'ipv4'], // Alibaba
  ['metadata', '168.63.129.16', 32, 'ipv4'], // Azure wire server
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'], // "this network": reaches local services on Linux
  ['unspecified', '::', 128, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['ipv4-mapped', '::ffff:0:0', 96, 'ipv6'],
  ['ipv4-mapped', '::', 96, 'ipv6'], // IPv4-compatible (deprecated)
  ['ipv4-mapped', '64:ff9b::', 96, 'ipv6'], // NAT64
  ['ipv4-mapped', '2002::', 16, 'ipv6'], // 6to4
  ['reserved', '224.0.0.0', 4, 'ipv4'], // multicast
  ['reserved', '240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['reserved', 'ff00::', 8, 'ipv6'], // multicast
];
const blockLists = ranges.map(([kind, address, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { kind, list, family };
});

const kindText: Record<AddressKind, { fr: string; en: string }> = {
  loopback: { fr: 'boucle locale', en: 'loopback' },
  unspecified: { fr: 'adresse non spécifiée', en: 'unspecified address' },
  'link-local': { fr: 'lien local', en: 'link-local' },
  metadata: { fr: 'service de métadonnées du nuage', en: 'cloud metadata service' },
  'ipv4-mapped': { fr: 'adresse IPv4 transposée en IPv6', en: 'IPv4 address mapped into IPv6' },
  reserved: { fr: 'adresse réservée ou multidiffusion', en: 'reserved or multicast address' },
  'own-address': { fr: 'adresse de la plateforme elle-même', en: "the platform's own address" },
};

let ownCache: { at: number; addresses: string[] } | undefined;
function hostAddresses(): string[] {
  if (!ownCache || Date.now() - ownCache.at > 30_000) {
    ownCache = { at: Date.now(), addresses: Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.replace(/%.*$/, ''))) };
  }
  return ownCache.addresses;
}

async function defaultResolve(host: string): Promise<string[]> {
  const all = await lookup(host, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

function refuse(reason: RemoteUrlRefusalReason, fr: string, en: string): RemoteUrlRefusal {
  return { ok: false, reason, message: { fr, en } };
}

/** What an address is, when the policy refuses it; undefined when it may be reached. */
export function refusedAddressKind(address: string, own: readonly string[] = hostAddresses()): AddressKind | undefined {
  const family = isIP(address);
  if (!family) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // Same family only: BlockList matches an IPv4 address against IPv6 ranges that embed IPv4 (::/96).
  for (const { kind, list, family: listFamily } of blockLists)
    if (listFamily === type && list.check(address, type)) return kind;
  const canonical = family === 6 ? canonicalIpv6(address) : address;
  if (own.some((a) => (isIP(a) === 6 ? canonicalIpv6(a) : a) === canonical)) return 'own-address';
  return undefined;
}

export function isForbiddenAddress(address: string): boolean {
  return refusedAddressKind(address) !== undefined;
}

function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/**
 * Whether an allow-list entry covers this URL's host, judged without resolving it: the host name itself, or its
 * address when the URL gives one. Used to find what a change of the allow-list affects.
 */
export function allowListCoversUrl(raw: string, entries: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host !== '' && allowListed(host, isIP(host) ? host : '', entries);
}

function allowListed(host: string, address: string, allowList: readonly string[]): boolean {
  for (const entry of allowList) {
    if (entry.toLowerCase() === host.toLowerCase() || (address !== '' && entry === address)) return true;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]!);
      if (family && address !== '' && isIP(address) === family) {
        const list = new BlockList();
        try {
          list.addSubnet(cidr[1]!, Number(cidr[2]), family === 4 ? 'ipv4' : 'ipv6');
        } catch {
          continue;
        }
        if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
      }
    }
  }
  return false;
}

/** Whitespace (Unicode too), C0/C1 controls, DEL, backslash, and the bidi overrides and isolates. */
const FORBIDDEN_CHARACTER = /[\s\u0000-\u001f\u007f-\u009f\\\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

export type ParsedOutboundUrl = { ok: true; scheme: 'https' | 'http' | 'file'; host: string; port: number; url: URL } | RemoteUrlRefusal;

/** The syntax part of the policy: no resolution, so the API can answer at once. */
export function parseOutboundUrl(raw: string, schemes: readonly string[] = ['https']): ParsedOutboundUrl {
  const invalid = () => refuse('invalid-url', 'Adresse invalide : une URL http(s) complète est attendue.', 'Invalid URL: a complete http(s) URL is expected.');
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048 || raw.startsWith('-')) return invalid();
  if (FORBIDDEN_CHARACTER.test(raw)) {
    return refuse(
      'forbidden-character',
      "L'adresse contient un caractère interdit (espace, caractère de contrôle, barre oblique inverse ou caractère de direction du texte).",
      'The URL contains a forbidden character (whitespace, control character, backslash or text-direction character).',
    );
  }
  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(raw);
  const scheme = schemeMatch?.[1]!.toLowerCase();
  if (!scheme) return invalid();
  if (!schemes.includes(scheme)) {
    return refuse('unsupported-scheme', `Le protocole « ${scheme.slice(0, 20)} » n'est pas accepté (acceptés : ${schemes.join(', ')}).`, `Scheme "${scheme.slice(0, 20)}" is not accepted (accepted: ${schemes.join(', ')}).`);
  }
  const rest = raw.slice(scheme.length + 1);
  if (!rest.startsWith('//')) return invalid();
  const authority = rest.slice(2).split(/[/?#]/, 1)[0]!;
  if (authority.includes('@')) {
    return refuse('credentials-in-url', "L'adresse contient des identifiants : enregistrez-les à part, ils seront chiffrés.", 'The URL contains credentials: register them separately so they are stored encrypted.');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid();
  }
  if (scheme === 'file') return { ok: true, scheme: 'file', host: '', port: 0, url };
  const rawHost = (authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '')).toLowerCase();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return invalid();
  // What git or curl reads may differ from what this parser reads: only one spelling of an address is accepted.
  const looksNumeric = /^[0-9a-fx.]+$/i.test(rawHost) && /^[0-9]|^0x|\.[0-9]|\.0x/i.test(rawHost) && !/[g-wyz]/i.test(rawHost) && /\d/.test(rawHost);
  if ((isIP(host) && rawHost !== url.hostname) || rawHost.includes('%') || (looksNumeric && !isIP(rawHost))) {
    return refuse(
      'non-canonical-address',
      `L'adresse IP de « ${rawHost.slice(0, 60)} » n'est pas écrite sous sa forme usuelle (${host.slice(0, 60)}) : écrivez-la ainsi.`,
      `The IP address "${rawHost.slice(0, 60)}" is not written in its usual form (${host.slice(0, 60)}): write it that way.`,
    );
  }
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  return { ok: true, scheme: scheme as 'https' | 'http', host, port, url };
}

/**
 * The whole policy: syntax, then every resolved address. Call it right before each use (DNS answers change), and
 * connect to one of the answered `addresses` only (git: http.curloptResolve; HTTP: pinnedFetch).
 */
export async function checkRemoteUrl(raw: string, policy: RemoteUrlPolicy = {}): Promise<RemoteUrlCheck> {
  const parsed = parseOutboundUrl(raw, policy.schemes ?? ['https']);
  if (!parsed.ok) return parsed;
  if (parsed.scheme === 'file') return { ok: true, scheme: 'file', host: '', port: 0, addresses: [] };
  const allowList = policy.allowList ?? [];
  // RFC 6761: localhost names are loopback whatever a resolver says (curl answers them itself).
  if (/^(.*\.)?localhost\.?$/i.test(parsed.host) && !allowListed(parsed.host, '127.0.0.1', allowList)) {
    return refuse('forbidden-address', `« ${parsed.host.slice(0, 60)} » désigne la machine elle-même (boucle locale).`, `"${parsed.host.slice(0, 60)}" names the machine itself (loopback).`);
  }
  let addresses: string[];
  try {
    addresses = isIP(parsed.host) ? [parsed.host] : await (policy.resolve ?? defaultResolve)(parsed.host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) {
    return refuse('unresolvable', `Le nom d'hôte « ${parsed.host} » est introuvable.`, `Host "${parsed.host}" cannot be resolved.`);
  }
  const own = policy.ownAddresses?.() ?? hostAddresses();
  for (const address of addresses) {
    const kind = refusedAddressKind(address, own);
    if (kind && !allowListed(parsed.host, address, allowList)) {
      return refuse(
        'forbidden-address',
        `L'adresse « ${parsed.host} » désigne une adresse interdite (${address}, ${kindText[kind].fr}) ; un administrateur de la plateforme peut l'autoriser.`,
        `"${parsed.host}" points to a forbidden address (${address}, ${kindText[kind].en}); a platform administrator can allow-list it.`,
      );
    }
  }
  return { ok: true, scheme: parsed.scheme, host: parsed.host, port: parsed.port, addresses };
}
