import { describe, expect, it } from 'vitest';
import { usagePolicyAcceptanceRequired } from './usage-policy.ts';

const person = { kind: 'user' as const, userId: 'u', adminRoles: [] };

describe('usage policy acceptance', () => {
  it('asks a person who never accepted', () => {
    expect(usagePolicyAcceptanceRequired(person, { currentVersion: 1, acceptedVersion: undefined })).toBe(true);
  });
  it('asks again after a new version is published', () => {
    expect(usagePolicyAcceptanceRequired(person, { currentVersion: 2, acceptedVersion: 1 })).toBe(true);
  });
  it('does not ask a person who accepted the current version', () => {
    expect(usagePolicyAcceptanceRequired(person, { currentVersion: 2, acceptedVersion: 2 })).toBe(false);
  });
  it('binds platform administrators too, as people', () => {
    expect(usagePolicyAcceptanceRequired({ ...person, adminRoles: ['platform-admin'] }, { currentVersion: 1, acceptedVersion: undefined })).toBe(true);
  });
  it('never asks automation: service accounts and the bootstrap admin token', () => {
    expect(usagePolicyAcceptanceRequired({ kind: 'service-account', userId: 's', projectId: 'p', role: 'devops', tokenId: 't' }, { currentVersion: 3, acceptedVersion: undefined })).toBe(false);
    expect(usagePolicyAcceptanceRequired({ kind: 'bootstrap-admin' }, { currentVersion: 3, acceptedVersion: undefined })).toBe(false);
  });
  it('asks nothing when no policy was ever published', () => {
    expect(usagePolicyAcceptanceRequired(person, { currentVersion: undefined, acceptedVersion: undefined })).toBe(
      false,
    );
  });
});
