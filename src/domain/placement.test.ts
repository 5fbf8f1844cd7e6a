import { describe, expect, it } from 'vitest';
import { placementRefusal } from './placement.ts';

const zone = (maxSensitivity: string) => ({ slug: 'z', maxSensitivity });
const shared = { kind: 'internal' as const, allowedProjectIds: [] };

describe('environment placement', () => {
  it('allows a project whose sensitivity the zone accepts', () => {
    expect(placementRefusal({ project: { id: 'p', dataSensitivity: 'internal' }, cluster: shared, zone: zone('sensitive') })).toBeUndefined();
  });
  it('refuses a sensitive project on a zone limited to internal data', () => {
    expect(placementRefusal({ project: { id: 'p', dataSensitivity: 'sensitive' }, cluster: shared, zone: zone('internal') })?.reason).toBe('sensitivityNotAccepted');
  });
  it('refuses an unknown sensitivity instead of guessing', () => {
    expect(placementRefusal({ project: { id: 'p', dataSensitivity: 'top-secret' }, cluster: shared, zone: zone('restricted') })?.reason).toBe('sensitivityNotAccepted');
  });
  it('keeps a dedicated cluster for its projects', () => {
    const dedicated = { kind: 'dedicated' as const, allowedProjectIds: ['mine'] };
    expect(placementRefusal({ project: { id: 'mine', dataSensitivity: 'public' }, cluster: dedicated, zone: zone('internal') })).toBeUndefined();
    expect(placementRefusal({ project: { id: 'other', dataSensitivity: 'public' }, cluster: dedicated, zone: zone('internal') })?.reason).toBe('dedicatedToOtherProjects');
  });
});
