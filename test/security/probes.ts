// The hostile test command of the security suite: a shell script a team could commit, which tries to read what
// belongs to others (other projects' mirrors, the GitOps repository, the data folder, other runs' trees, the host's
// private folders), to write outside its sandbox, to escape through links and to reach the network. Each probe
// prints `DENIED <name>` or `LEAKED <name>`; the suites count them.

/** Names of the probes, in the order the script runs them. */
export interface ProbeTargets {
  /** The platform's data folder (absolute path on the host). */
  dataDir: string;
  /** A file of another project's mirror (absolute path on the host). */
  otherMirrorFile: string;
  /** The GitOps repository folder. */
  gitopsDir: string;
  /** Another run's working tree (absolute path on the host). */
  otherRunTree: string;
  /** A file the command tries to create in the host's /tmp (must not appear there). */
  hostTmpMarker: string;
  /** A loopback port of the platform (must not be reachable). */
  platformPort: number;
}

export function hostileScript(t: ProbeTargets): string {
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  return `#!/bin/sh
# Each probe succeeds only if the sandbox leaks.
probe() { name=$1; shift; if "$@" >/dev/null 2>&1; then echo "LEAKED $name"; else echo "DENIED $name"; fi; }
D=${q(t.dataDir)}
probe read-other-project-mirror cat ${q(t.otherMirrorFile)}
probe list-other-projects ls "$D/git/projects"
probe read-gitops-repository ls ${q(t.gitopsDir)}
probe list-data-folder ls "$D"
probe read-database ls "$D/pg"
probe read-other-run-tree ls ${q(t.otherRunTree)}
probe list-chain-work ls "$D/chain/work"
probe list-other-sandboxes sh -c 'ls -d /tmp/dso-sandbox-* /tmp/dso-build-*'
probe read-host-root ls /root
probe read-host-home sh -c 'ls /home/* | grep -q .'
probe read-host-var ls /var/lib
probe read-host-shadow cat /etc/shadow
probe read-host-ssh-keys sh -c 'cat /etc/ssh/ssh_host_*_key'
probe write-data-folder sh -c "echo x > \\"$D/escape\\""
probe write-usr sh -c 'echo x > /usr/escape'
probe write-etc sh -c 'echo x > /etc/escape'
probe committed-link-to-data cat link-to-mirror
probe committed-link-to-host-root ls link-to-root/
probe created-link-to-data sh -c "ln -s \\"$D\\" made-link && ls made-link/"
probe proc-root-of-pid-1 ls "/proc/1/root$D"
probe parent-proc-environ sh -c 'cat /proc/*/environ | grep -q DSO_'
probe platform-port node -e ${q(`require('net').connect(${t.platformPort}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`)}
# Private /tmp: this write succeeds inside, and must not reach the host's /tmp (checked by the suite).
echo x > ${q(t.hostTmpMarker)} 2>/dev/null
echo "probes done"
`;
}

/** The probes of hostileScript (how many DENIED lines a tight sandbox prints). */
export const probeCount = 22;

export function countProbes(log: string): { denied: string[]; leaked: string[] } {
  const lines = log.split('\n');
  return {
    denied: lines.filter((l) => l.startsWith('DENIED ')).map((l) => l.slice(7).trim()),
    leaked: lines.filter((l) => l.startsWith('LEAKED ')).map((l) => l.slice(7).trim()),
  };
}
