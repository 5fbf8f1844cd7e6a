// The usage policy (CGU) binds people, not automation: before any change a person must have accepted the
// current version; publishing a new version asks everyone again. Pure: the caller loads both versions.
import type { Actor } from './actor.ts';

export interface UsagePolicyStatus {
  /** Version currently in force, or undefined when none was ever published. */
  currentVersion: number | undefined;
  /** Highest version this person accepted, if any. */
  acceptedVersion: number | undefined;
}

export function actorBoundByUsagePolicy(actor: Actor): boolean {
  return actor.kind === 'user';
}

/** True when the actor must (re)accept the policy before changing anything. */
export function usagePolicyAcceptanceRequired(actor: Actor, status: UsagePolicyStatus): boolean {
  if (!actorBoundByUsagePolicy(actor)) return false;
  if (status.currentVersion === undefined) return false;
  return status.acceptedVersion === undefined || status.acceptedVersion < status.currentVersion;
}
