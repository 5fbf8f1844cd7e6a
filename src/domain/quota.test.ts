import { describe, expect, it } from 'vitest';
import { evaluateQuota } from './quota.ts';

const r = (cpuMillicores: number, memoryMiB: number, gpu = 0) => ({ cpuMillicores, memoryMiB, gpu });

describe('environment quota', () => {
  it('fits when both the cluster and the budget have room', () => {
    const v = evaluateQuota({
      requested: r(1000, 2048),
      cluster: { capacity: r(8000, 16384), used: r(2000, 4096) },
      project: { budget: r(4000, 8192), used: r(1000, 1024) },
    });
    expect(v.fits).toBe(true);
    expect(v.figures.free).toEqual(r(6000, 12288));
    expect(v.figures.budgetRemaining).toEqual(r(3000, 7168));
  });

  it('refuses with the cluster figures when the cluster is nearly full, even if the budget allows it', () => {
    const v = evaluateQuota({
      requested: r(3000, 1024),
      cluster: { capacity: r(8000, 16384), used: r(6000, 0) },
      project: { budget: r(16000, 32768), used: r(0, 0) },
    });
    expect(v.fits).toBe(false);
    expect(v.shortfalls).toEqual([{ resource: 'cpuMillicores', limit: 'cluster', requested: 3000, available: 2000 }]);
  });

  it('refuses with the budget figures when the project would exceed its budget', () => {
    const v = evaluateQuota({
      requested: r(500, 1024, 1),
      cluster: { capacity: r(8000, 16384, 4), used: r(0, 0) },
      project: { budget: r(16000, 32768, 0), used: r(0, 0) },
    });
    expect(v.fits).toBe(false);
    expect(v.shortfalls).toEqual([{ resource: 'gpu', limit: 'budget', requested: 1, available: 0 }]);
  });

  it('accepts a request that exactly fills the remaining capacity', () => {
    expect(
      evaluateQuota({
        requested: r(2000, 4096),
        cluster: { capacity: r(2000, 4096), used: r(0, 0) },
        project: { budget: r(2000, 4096), used: r(0, 0) },
      }).fits,
    ).toBe(true);
  });

  it('never reports negative availability on an over-committed cluster', () => {
    const v = evaluateQuota({
      requested: r(1, 1),
      cluster: { capacity: r(1000, 1000), used: r(2000, 2000) },
      project: { budget: r(1e6, 1e6), used: r(0, 0) },
    });
    expect(v.figures.free).toEqual(r(0, 0));
  });
});
