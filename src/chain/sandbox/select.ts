// Which executor runs a run's test command, from the configuration: bubblewrap, or nothing at all when it cannot
// start here — the chain then refuses to run test commands and says why in the run. A host process without
// filesystem isolation only when the operator asked for it explicitly (DSO_SANDBOX=none, refused in production).
import { bubblewrapAvailable, bubblewrapExecutor } from './bubblewrap.ts';
import { hostProcessExecutor } from './host-process.ts';
import type { TestExecutor } from './run-tests.ts';

export interface SandboxSetting {
  mode: 'bubblewrap' | 'none';
  /** Host folders mounted read-only in the sandbox (a JDK or Node.js under /opt…). */
  toolchains: string[];
}

export type ExecutorChoice = { ok: true; executor: TestExecutor } | { ok: false; reason: string };

const executors = new Map<string, TestExecutor>();

export function testExecutor(setting: SandboxSetting): ExecutorChoice {
  if (setting.mode === 'none') return { ok: true, executor: hostProcessExecutor };
  const available = bubblewrapAvailable(setting.toolchains);
  if (!available.ok) return available;
  const key = setting.toolchains.join('\n');
  let executor = executors.get(key);
  if (!executor) executors.set(key, (executor = bubblewrapExecutor(setting.toolchains)));
  return { ok: true, executor };
}
