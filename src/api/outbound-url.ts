// The URL policy at the API: a URL a team sets (repository, webhook, commit-status API) is checked when it is given,
// so a refused one gets a 400 with a field error at once instead of failing later out of sight. It is checked again
// at each use (DNS answers change). A name that does not resolve now is accepted here (a forge may be briefly
// unreachable, or reachable only from the workers): the check at use refuses it, with the same message, if it
// still does not resolve or resolves to a refused address.
import { checkRemoteUrl, type RemoteUrlPolicy } from '../integrations/git/remote-url.ts';
import { Problem } from '../errors.ts';

export async function requireAllowedUrl(url: string, policy: RemoteUrlPolicy, field: string): Promise<void> {
  const check = await checkRemoteUrl(url, policy);
  if (!check.ok && check.reason !== 'unresolvable') throw new Problem('validation', check.message, [{ field, message: check.message }], { reason: check.reason, reasonText: check.message });
}
