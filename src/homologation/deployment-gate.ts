// The homologation gate as a service for deployments (issue 6 calls this before deploying): the project's
// conformity as seen from the target environment, then the pure production gate with the zone's mode
// (`enforce` blocks, `audit` deploys with warnings). Non-production stages are always allowed.
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { deploymentGate, type GateDecision } from '../catalogue/production-gate.ts';
import type { ConformityResult } from '../catalogue/conformity.ts';
import type { ConformityPolicy } from '../catalogue/policy.ts';
import type { Db } from '../db/client.ts';
import { gatherProjectFacts } from './facts.ts';

export type DeploymentGateResult = GateDecision & {
  conformity: ConformityResult;
  environment: { id: string; name: string; production: boolean; gateMode: 'audit' | 'enforce' };
};

/**
 * The gate for deploying `projectId` to `environmentId` at `now`. Undefined when the project does not exist or
 * the environment is not one of its own (the caller answers 404).
 */
export async function evaluateDeploymentGate(
  db: Db,
  projectId: string,
  environmentId: string,
  now: Date,
  policy?: ConformityPolicy,
): Promise<DeploymentGateResult | undefined> {
  const facts = await gatherProjectFacts(db, projectId, { ...(policy ? { policy } : {}), now });
  if (!facts) return undefined;
  const environment = facts.environments.find((e) => e.id === environmentId);
  if (!environment) return undefined;
  const decision = deploymentGate(currentCatalogue, facts, environmentId, now);
  if (!decision) return undefined;
  return {
    ...decision,
    environment: {
      id: environment.id,
      name: environment.name,
      production: environment.stage.production,
      gateMode: environment.zone.gateMode,
    },
  };
}
