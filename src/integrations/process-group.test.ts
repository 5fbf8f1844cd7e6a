import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OutputTail, superviseGroup } from './process-group.ts';

describe('child process groups', () => {
  it('keeps only the last bytes of a long output, and says how much was dropped', () => {
    const tail = new OutputTail(10);
    for (let i = 0; i < 1000; i++) tail.push(Buffer.from(`line ${i}\n`));
    expect(tail.text((dropped) => `[${dropped} dropped]`)).toBe(`[${tail.total - 10} dropped]\nline 999\n`);
    const short = new OutputTail(100);
    short.push(Buffer.from('ok\n'));
    expect([short.text(), short.truncated]).toEqual(['ok\n', false]);
  });

  it('kills the whole group, background children included, when the signal aborts', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 30 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const background = await new Promise<number>((resolve) => child.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
    const controller = new AbortController();
    const group = superviseGroup(child, Date.now() + 60_000, controller.signal);
    const closed = new Promise((resolve) => child.on('close', resolve));
    controller.abort();
    await closed;
    group.done();
    expect([group.aborted, group.timedOut]).toEqual([true, false]);
    // Gone, or a zombie waiting for init to reap it (its parent shell was killed too): no longer running.
    const state = (): string => (existsSync(`/proc/${background}/stat`) ? readFileSync(`/proc/${background}/stat`, 'utf8').split(') ')[1]![0] ?? '?' : 'gone');
    await expect.poll(state, { timeout: 1_000, interval: 20 }).toMatch(/^(gone|Z)$/);
  });
});
