// The image build's sandbox: buildah's `bud` runs the team's RUN steps, so it runs inside bubblewrap with its own
// PID, network (none), IPC and UTS namespaces and a mount namespace that holds only the system read-only, a
// generated /etc, the build context and build file read-only, and the build's own storage folder. It never sees the
// data folder, other runs, or the host's /home, /root, /var or /tmp. buildah needs root's capabilities inside (it
// unpacks layers and chroots); they stay confined to that view. Pushing (no team code runs) happens outside.
import { spawnSync } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const systemRoots = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const root of systemRoots) {
    try {
      const stat = lstatSync(root);
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(root), root);
      else if (stat.isDirectory()) args.push('--ro-bind', root, root);
    } catch {
      // Absent on this system.
    }
  }
  return args;
}

export interface BuildSandboxPaths {
  /** The build's private folder: storage, configuration files, generated /etc (read-write). */
  work: string;
  /** Build context (read-only). */
  context: string;
  /** Build file (read-only), inside or outside the context. */
  file: string;
}

/** The bwrap prefix of the `buildah bud` command line; writes the generated /etc under `work`. */
export async function buildSandboxArgs(paths: BuildSandboxPaths): Promise<string[]> {
  const etc = path.join(paths.work, 'etc');
  await mkdir(etc, { recursive: true, mode: 0o755 });
  await writeFile(path.join(etc, 'passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\n');
  await writeFile(path.join(etc, 'group'), 'root:x:0:\n');
  await writeFile(path.join(etc, 'hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost\n');
  await writeFile(path.join(etc, 'resolv.conf'), '# No network in the DSO π build sandbox.\n');
  const root = process.getuid?.() === 0;
  return [
    'bwrap',
    ...(root ? ['--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--cap-add', 'ALL'] : ['--unshare-all']),
    '--die-with-parent',
    '--new-session',
    ...systemMounts(),
    '--proc', '/proc',
    '--dev', '/dev',
    '--tmpfs', '/tmp',
    '--ro-bind', etc, '/etc',
    '--bind', paths.work, paths.work,
    '--ro-bind', paths.context, paths.context,
    '--ro-bind', paths.file, paths.file,
    '--',
  ];
}

let probe: boolean | undefined;
/** Whether bwrap can start a build sandbox here (probed once). */
export function buildSandboxAvailable(): boolean {
  probe ??= spawnSync('bwrap', ['--unshare-pid', '--unshare-net', '--die-with-parent', ...systemMounts(), '--proc', '/proc', '--dev', '/dev', '--', '/bin/sh', '-c', 'exit 0'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return probe;
}
