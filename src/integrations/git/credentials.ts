import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Credentials for an external repository. They reach git only through the environment of
 * the git process (read back by a tiny askpass script) or a 0600 key file — never argv,
 * never a URL, never the repository's config, never a log line.
 */
export type RepositoryCredentials =
  | { kind: 'token'; username?: string; token: string }
  | { kind: 'ssh-key'; privateKey: string; knownHosts?: string };

export interface CredentialEnvironment {
  env: Record<string, string>;
  /** Removes the temporary folder holding the askpass script or key. */
  dispose(): Promise<void>;
}

// Reads the secret from its own environment so the value never appears on a command line.
const ASKPASS = `#!/bin/sh
case "$1" in
  [Uu]sername*) printf '%s\\n' "$DSO_GIT_USERNAME" ;;
  *) printf '%s\\n' "$DSO_GIT_PASSWORD" ;;
esac
`;

export async function credentialEnvironment(
  credentials: RepositoryCredentials | undefined,
): Promise<CredentialEnvironment> {
  if (!credentials) return { env: {}, dispose: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'dso-cred-'));
  await chmod(dir, 0o700);
  const dispose = () => rm(dir, { recursive: true, force: true });
  if (credentials.kind === 'token') {
    const script = path.join(dir, 'askpass.sh');
    await writeFile(script, ASKPASS, { mode: 0o700 });
    return {
      env: {
        GIT_ASKPASS: script,
        DSO_GIT_USERNAME: credentials.username ?? 'oauth2',
        DSO_GIT_PASSWORD: credentials.token,
      },
      dispose,
    };
  }
  const key = path.join(dir, 'id');
  await writeFile(key, credentials.privateKey.endsWith('\n') ? credentials.privateKey : `${credentials.privateKey}\n`, {
    mode: 0o600,
  });
  const knownHosts = path.join(dir, 'known_hosts');
  await writeFile(knownHosts, credentials.knownHosts ?? '', { mode: 0o600 });
  const strict = credentials.knownHosts ? 'yes' : 'accept-new';
  return {
    env: {
      GIT_SSH_COMMAND: `ssh -i '${key}' -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile='${knownHosts}' -o StrictHostKeyChecking=${strict}`,
    },
    dispose,
  };
}
