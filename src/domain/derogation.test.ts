import { describe, expect, it } from 'vitest';
import { requirementIds } from '../catalogue/catalogue.ts';
import { derogationCovers, derogationDecisionRefusal, derogationInForce, parseInstant, validateDerogationRequest, type Derogation } from './derogation.ts';

const now = new Date('2026-11-29T12:00:00Z');
const rules = { now, maxDurationDays: 180, knownRequirements: requirementIds() };
const valid = { requirement: 'EX32', justification: 'Vendor image runs as root until the Q1 release.', expiresAt: '2027-01-31T23:59:59+01:00', scope: { ruleId: 'containers.run-as-root' } };

describe('derogation in force', () => {
  const d = { status: 'approved' as const, expiresAt: '2026-12-01T00:00:00+01:00' };
  it('ends at the exact instant, whatever the offset it was written with', () => {
    expect(derogationInForce(d, new Date('2026-11-30T22:59:59.999Z'))).toBe(true);
    expect(derogationInForce(d, new Date('2026-11-30T23:00:00.000Z'))).toBe(false);
  });
  it('is never in force unless approved, nor with an instant lacking its offset', () => {
    expect(derogationInForce({ ...d, status: 'requested' }, now)).toBe(false);
    expect(derogationInForce({ ...d, status: 'revoked' }, now)).toBe(false);
    expect(derogationInForce({ status: 'approved', expiresAt: '2030-01-01T00:00:00' }, now)).toBe(false);
    expect(parseInstant('2030-01-01')).toBeUndefined();
    expect(parseInstant('2030-01-01T00:00:00.5-03:30')).toBe(Date.parse('2030-01-01T03:30:00.500Z'));
  });
});

describe('derogation scope', () => {
  const base: Derogation = { id: 'd', requirement: 'EX32', scope: {}, status: 'approved', expiresAt: '2027-01-01T00:00:00Z', projectId: 'p1' };
  const finding = { requirement: 'EX32', projectId: 'p1', repositoryId: 'r1', environmentId: 'e1', ruleId: 'containers.run-as-root', fingerprint: 'abc' };
  it('covers everything of its requirement in its project when unscoped', () => {
    expect(derogationCovers(base, finding, now)).toBe(true);
    expect(derogationCovers(base, { requirement: 'EX32', projectId: 'p1' }, now)).toBe(true);
    expect(derogationCovers(base, { ...finding, requirement: 'EX29' }, now)).toBe(false);
    expect(derogationCovers(base, { ...finding, projectId: 'p2' }, now)).toBe(false);
  });
  it('covers only what matches each field it narrows to', () => {
    for (const [field, value] of [['ruleId', 'containers.run-as-root'], ['fingerprint', 'abc'], ['repositoryId', 'r1'], ['environmentId', 'e1']] as const) {
      const d = { ...base, scope: { [field]: value } };
      expect(derogationCovers(d, finding, now), field).toBe(true);
      expect(derogationCovers(d, { ...finding, [field]: 'other' }, now), field).toBe(false);
      expect(derogationCovers(d, { requirement: 'EX32', projectId: 'p1' }, now), `${field} vs whole requirement`).toBe(false);
    }
  });
});

describe('derogation request validation', () => {
  it('accepts a complete request', () => {
    expect(validateDerogationRequest(valid, rules)).toEqual([]);
  });
  it('requires a justification and a known requirement', () => {
    expect(validateDerogationRequest({ ...valid, justification: '   ' }, rules)).toMatchObject([{ field: 'justification', code: 'required' }]);
    expect(validateDerogationRequest({ ...valid, requirement: 'EX99' }, rules)).toMatchObject([{ field: 'requirement', code: 'unknown-requirement' }]);
    expect(validateDerogationRequest({ ...valid, requirement: undefined }, rules, 'en')).toMatchObject([{ field: 'requirement', code: 'required', message: 'The requirement is required (e.g. EX32).' }]);
    expect(validateDerogationRequest({ ...valid, justification: 'x'.repeat(4001) }, rules)).toMatchObject([{ field: 'justification', code: 'too-long' }]);
  });
  it('requires an end date with offset, in the future, within the maximum duration', () => {
    expect(validateDerogationRequest({ ...valid, expiresAt: '2026-11-29T12:00:00Z' }, rules)).toMatchObject([{ field: 'expiresAt', code: 'in-the-past' }]);
    expect(validateDerogationRequest({ ...valid, expiresAt: '2027-01-31' }, rules)).toMatchObject([{ field: 'expiresAt', code: 'invalid-instant' }]);
    expect(validateDerogationRequest({ ...valid, expiresAt: '2027-01-31T10:00:00' }, rules)).toMatchObject([{ field: 'expiresAt', code: 'invalid-instant' }]);
    // 180 days after 2026-11-29T12:00Z is 2027-05-28T12:00Z: in Paris (+02:00) that is 14:00.
    expect(validateDerogationRequest({ ...valid, expiresAt: '2027-05-28T14:00:00+02:00' }, rules)).toEqual([]);
    expect(validateDerogationRequest({ ...valid, expiresAt: '2027-05-28T14:00:00.001+02:00' }, rules)).toMatchObject([{ field: 'expiresAt', code: 'beyond-maximum' }]);
    expect(validateDerogationRequest({ ...valid, expiresAt: undefined }, rules)).toMatchObject([{ field: 'expiresAt', code: 'required' }]);
  });
  it('rejects malformed scopes', () => {
    expect(validateDerogationRequest({ ...valid, scope: { ruleId: 'Bad Rule' } }, rules)).toMatchObject([{ field: 'scope/ruleId', code: 'invalid' }]);
    expect(validateDerogationRequest({ ...valid, scope: { path: '/etc' } }, rules)).toMatchObject([{ field: 'scope/path' }]);
    expect(validateDerogationRequest({ ...valid, scope: 'all' }, rules)).toMatchObject([{ field: 'scope' }]);
  });
  it('reports every field error at once, in French by default', () => {
    const errors = validateDerogationRequest({}, rules);
    expect(errors.map((e) => e.field)).toEqual(['requirement', 'justification', 'expiresAt']);
    expect(errors[1]!.message).toBe('Une justification est obligatoire.');
  });
});

describe('derogation decision', () => {
  const pending = { status: 'requested' as const, requestedBy: 'alice' };
  it('belongs to a security officer who did not request it', () => {
    expect(derogationDecisionRefusal(pending, { userId: 'bob', isSecurityOfficer: true }, { outcome: 'approved' })).toBeUndefined();
    expect(derogationDecisionRefusal(pending, { userId: 'bob', isSecurityOfficer: false }, { outcome: 'approved' })).toBe('not-security-officer');
    expect(derogationDecisionRefusal(pending, { userId: 'alice', isSecurityOfficer: true }, { outcome: 'approved' })).toBe('own-request');
    expect(derogationDecisionRefusal({ ...pending, status: 'approved' }, { userId: 'bob', isSecurityOfficer: true }, { outcome: 'rejected', comment: 'no' })).toBe('not-pending');
    expect(derogationDecisionRefusal(pending, { userId: 'bob', isSecurityOfficer: true }, { outcome: 'rejected' })).toBe('comment-required');
  });
});
