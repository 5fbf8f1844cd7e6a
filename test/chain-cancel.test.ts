// A run cancelled while its tests run stops at once: the test command's processes are killed, the run ends
// cancelled within seconds (not at the end of a 60 s command), nothing is retried or certified, and the log says
// why. A chatty test command cannot grow the run's log beyond the configured cap.
import { readdirSync, readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certifiedRevisions, runs } from '../src/db/schema.ts';
import type { ApiMethod } from './support/api-fixtures.ts';
import { waitForRun } from './support/chain.ts';
import { startChainProject, type ChainProject } from './support/chain-project.ts';

/** A sleep duration no other process on this machine uses, so the test finds exactly its own process. */
const marker = `60.${String(Math.floor(Math.random() * 1e9)).padStart(9, '1')}`;

/** Processes (in any PID namespace: the host sees them all) whose command line is `sleep <marker>`. */
function sleepingProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('sleep') && argv[1] === marker) found.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

describe('chain run cancellation and log cap', () => {
  let bench: ChainProject;
  const call = (method: ApiMethod, url: string, payload?: object) => bench.call(method, url, payload);

  beforeAll(async () => {
    bench = await startChainProject('annulation', { '.dso.yml': `version: 1\ntest:\n  command: head -c 300000 /dev/zero | tr "\\\\0" "x"; sleep ${marker}\n` }, { DSO_RUN_LOG_MAX_KIB: '16' });
  }, 300_000);

  afterAll(async () => {
    for (const pid of sleepingProcesses()) process.kill(pid, 'SIGKILL');
    await bench?.stop();
  });

  it('stops the running test command when the run is cancelled, and caps its log', async () => {
    const started = await call('POST', bench.runsUrl, {});
    const id = started.body.id as string;
    // Wait until the test command really sleeps.
    await vi.waitFor(async () => {
      if (sleepingProcesses().length === 0) throw new Error(`the test command never started; run: ${JSON.stringify((await call('GET', `/api/v1/runs/${id}`)).body)}`);
    }, { timeout: 120_000, interval: 100 });

    expect((await call('POST', `/api/v1/runs/${id}/cancel`)).status).toBe(202);
    const t0 = Date.now();
    // Well under the 60 s the command would sleep (with room for a loaded machine): stopped, not waited for.
    const run = await waitForRun((url) => call('GET', url), id, 30_000);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`cancelled after ${seconds.toFixed(1)} s`);
    expect(run.status).toBe('cancelled');
    expect(sleepingProcesses()).toEqual([]);

    const steps = Object.fromEntries(run.steps.map((s: any) => [s.name, s.status]));
    expect(steps).toMatchObject({ sync: 'succeeded', checkout: 'succeeded', tests: 'cancelled', build: 'cancelled', publish: 'cancelled', gate: 'cancelled', certify: 'cancelled' });
    // Not retried, not certified.
    const [row] = await bench.system.services.db.select().from(runs).where(eq(runs.id, id));
    expect(row).toMatchObject({ status: 'cancelled', attempt: 1, notBefore: null, message: 'Exécution annulée à la demande.' });
    expect(await bench.system.services.db.select().from(certifiedRevisions)).toEqual([]);

    const logs = await call('GET', `/api/v1/runs/${id}/logs`);
    expect(logs.body).toContain('annulée à la demande');
    expect(logs.body).toContain('log truncated');
    expect(Buffer.byteLength(logs.body)).toBeLessThan(17 * 1024);
    expect((await call('POST', `/api/v1/runs/${id}/cancel`)).status).toBe(409);
  }, 300_000);
});
