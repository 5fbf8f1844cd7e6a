import { describe, expect, it } from 'vitest';
import { cctV1 } from './cct-v1.ts';
import { evaluateConformity } from './conformity.ts';
import { snapshotOf, stateChanges } from './conformity-history.ts';
import { syntheticFinding, syntheticProject } from './synthetic-project.ts';

const now = new Date('2026-11-29T12:00:00Z');

describe('conformity history', () => {
  it('keeps scores and states, and says what changed after a new run', () => {
    const before = snapshotOf(evaluateConformity(cctV1, syntheticProject(cctV1, 1), now));
    const same = snapshotOf(evaluateConformity(cctV1, syntheticProject(cctV1, 1), new Date('2026-11-29T13:00:00Z')));
    expect(same.digest).toBe(before.digest);
    expect(stateChanges(before, same)).toEqual([]);
    const after = snapshotOf(evaluateConformity(cctV1, syntheticProject(cctV1, 1, { findings: [syntheticFinding('containers.non-root-user', ['EX32'], 'r')] }), now));
    expect(after.digest).not.toBe(before.digest);
    expect(stateChanges(before, after)).toEqual([{ id: 'EX32', from: 'satisfied', to: 'not-satisfied' }]);
    expect(after.P.ratio).toBeLessThan(before.P.ratio);
    expect(stateChanges(undefined, after)).toHaveLength(58);
  });
});
