// The reference repository's forge in its own process (bench/support/forge.ts), as a real forge would be: its git
// work is not the console's. Shared by the benchmarks that need a team repository served over smart HTTP.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ForgeProcess {
  /** Clone URL of the repository. */
  url: string;
  /** Commits these files on top of the branch and resolves with the new commit's id. */
  commit(files: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

export async function startForgeProcess(files: Record<string, string>): Promise<ForgeProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dso-bench-forge-'));
  writeFileSync(path.join(dir, 'files.json'), JSON.stringify(files));
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./forge.ts', import.meta.url)), path.join(dir, 'files.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer) => {
      text += c.toString();
      if (text.includes('\n')) {
        child.stdout!.off('data', onData);
        resolve(text.split('\n')[0]!);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the forge stopped (${code})`)));
  });
  return {
    url,
    // One request at a time: the forge answers each JSON line with one line (the commit id).
    commit: (more) =>
      new Promise<string>((resolve) => {
        child.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim()));
        child.stdin!.write(`${JSON.stringify(more)}\n`);
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
