// The executor of DSO_SANDBOX=none: the test command runs as a host process, on its own copy of the tree but
// seeing the host's filesystem (data folder included). Only for development machines without bubblewrap; refused in
// production by the configuration. When the platform runs as root it still drops to nobody and gets no network.
import { spawnSync } from 'node:child_process';
import { NOBODY, runPlanned, runsAsRoot, type TestExecutor } from './run-tests.ts';

/**
 * New network namespace (loopback only) and PID namespace with its own /proc: the command
 * cannot see the platform's processes, and when the namespace's first process dies the
 * kernel kills every process in it, even those that left the process group with setsid.
 */
const NAMESPACES = ['--net', '--pid', '--fork', '--kill-child', '--mount-proc'];

let probe: { network: boolean; user: boolean } | undefined;

/** Whether this process can drop to nobody and detach the network (root with util-linux). */
export function hostIsolationAvailable(): { network: boolean; user: boolean } {
  if (probe) return probe;
  const root = runsAsRoot();
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  probe = {
    user: root && ok('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', 'true']),
    network: root && ok('unshare', [...NAMESPACES, '--', 'true']),
  };
  return probe;
}

export const hostProcessExecutor: TestExecutor = {
  kind: 'none',
  run: (request) =>
    runPlanned(request, async (layout) => {
      const isolation = hostIsolationAvailable();
      return {
        prefix: [
          ...(isolation.network ? ['unshare', ...NAMESPACES, '--'] : []),
          ...(isolation.user ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--'] : []),
        ],
        cwd: layout.workDir,
        home: layout.home,
        tmp: layout.home,
        isolation: { sandbox: 'none', filesystem: false, network: isolation.network, unprivilegedUser: isolation.user },
      };
    }),
};
