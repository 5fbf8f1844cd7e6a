// Which origins the built-in identity provider may send an authorization code back to when DSO_PUBLIC_URL is not
// set: this machine only (loopback names and the addresses of its own network interfaces), on the port the console
// listens on. A code can therefore never leave for another host, whatever the redirect_uri a link carries.
import os from 'node:os';

export function isLocalConsoleOrigin(candidate: URL, consolePorts: () => number[]): boolean {
  if (candidate.protocol !== 'http:' && candidate.protocol !== 'https:') return false;
  const port = Number(candidate.port || (candidate.protocol === 'https:' ? 443 : 80));
  if (!consolePorts().includes(port)) return false;
  const hostname = candidate.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return localHostnames().has(hostname);
}

function localHostnames(): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', os.hostname().toLowerCase()]);
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return names;
}
