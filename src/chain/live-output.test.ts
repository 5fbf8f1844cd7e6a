// Live test output: a line printed by the test command reaches the run log while the command still runs (here two
// seconds before it ends), whole lines only, throttled, and within the step's output allowance.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { liveOutput } from './live-output.ts';
import { hostProcessExecutor } from './sandbox/host-process.ts';

const tree = mkdtempSync(path.join(tmpdir(), 'dso-live-'));
writeFileSync(path.join(tree, 'README.md'), 'x\n');
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('live test output', () => {
  it('shows the first line in the log while the command still runs', async () => {
    const entries: { at: number; text: string }[] = [];
    const live = liveOutput((text) => entries.push({ at: Date.now(), text }), { maxBytes: 64 * 1024, intervalMs: 100 });
    const result = await hostProcessExecutor.run({
      command: 'echo "Tests : 1 sur 2"; sleep 2; echo "Tests : 2 sur 2"',
      tree,
      limits: { cpuSeconds: 10, wallSeconds: 20, memoryBytes: 1024 ** 3, outputBytes: 64 * 1024 },
      onOutput: (chunk) => live.push(chunk),
    });
    const endedAt = Date.now();
    try {
      expect(result.outcome).toBe('passed');
      expect(live.finish()).toBe(true);
      expect(entries.map((e) => e.text)).toEqual(['Tests : 1 sur 2', 'Tests : 2 sur 2']);
      expect(endedAt - entries[0]!.at).toBeGreaterThan(1500);
    } finally {
      await result.dispose();
    }
  });

  it('writes whole lines only, at most once per interval', async () => {
    const entries: string[] = [];
    let clock = 1000;
    const live = liveOutput((text) => entries.push(text), { maxBytes: 1024, intervalMs: 500, now: () => clock });
    live.push(Buffer.from('un\ndeu'));
    expect(entries).toEqual(['un']);
    live.push(Buffer.from('x\ntrois\n'));
    expect(entries).toEqual(['un']); // throttled: within 500 ms of the last write
    clock += 600;
    // The held-back lines leave on their own once the interval has passed, without another push.
    await vi.waitFor(() => expect(entries).toEqual(['un', 'deux\ntrois']));
    live.push(Buffer.from('quatre sans fin de ligne'));
    expect(live.finish()).toBe(true);
    expect(entries).toEqual(['un', 'deux\ntrois', 'quatre sans fin de ligne']);
  });

  it('stops streaming past the allowance and lets the step show the end instead', () => {
    const entries: string[] = [];
    const live = liveOutput((text) => entries.push(text), { maxBytes: 10, intervalMs: 0 });
    live.push(Buffer.from('abc\n'));
    live.push(Buffer.from('une ligne bien trop longue\n'));
    expect(live.finish()).toBe(false);
    expect(entries).toEqual(['abc']);
  });
});
