// The homologation gate for deployments: to a production stage, every P requirement must be satisfied or
// validly derogated. Per zone, administrators choose `enforce` (block) or `audit` (deploy, but warn).
// Non-production stages are never gated here (the chain's certification gate still applies).
import { evaluateConformity, type ConformityResult, type ConformityState, type Reason } from './conformity.ts';
import type { GateMode, ProjectFacts } from './facts.ts';
import type { Catalogue } from './model.ts';

export interface UnmetRequirement {
  id: string;
  state: ConformityState;
  reasons: Reason[];
}

export type GateDecision =
  | { outcome: 'allowed'; unmet: [] }
  | { outcome: 'allowed-with-warnings'; unmet: UnmetRequirement[] }
  | { outcome: 'blocked'; unmet: UnmetRequirement[] };

export interface GateInput {
  stage: { production: boolean };
  zone: { gateMode: GateMode };
  /** Conformity of the project, ideally evaluated with `environmentId` of the target environment. */
  conformity: ConformityResult;
}

export function productionGate(input: GateInput): GateDecision {
  if (!input.stage.production) return { outcome: 'allowed', unmet: [] };
  const unmet: UnmetRequirement[] = input.conformity.requirements
    .filter((r) => r.level === 'P' && (r.state === 'not-satisfied' || r.state === 'awaiting-evidence' || r.state === 'awaiting-attestation'))
    .map((r) => ({
      id: r.id,
      state: r.state,
      reasons: r.targets.filter((t) => t.state === r.state).flatMap((t) => t.reasons),
    }));
  if (unmet.length === 0) return { outcome: 'allowed', unmet: [] };
  return input.zone.gateMode === 'enforce' ? { outcome: 'blocked', unmet } : { outcome: 'allowed-with-warnings', unmet };
}

/**
 * The gate for deploying a project to one of its environments, evaluated as seen from that environment (so
 * derogations scoped to it apply). Undefined when the environment is not one of the project's.
 */
export function deploymentGate(
  catalogue: Catalogue,
  facts: ProjectFacts,
  environmentId: string,
  now: Date,
): (GateDecision & { conformity: ConformityResult }) | undefined {
  const environment = facts.environments.find((e) => e.id === environmentId);
  if (!environment) return undefined;
  const conformity = evaluateConformity(catalogue, facts, now, { environmentId });
  return { ...productionGate({ stage: environment.stage, zone: environment.zone, conformity }), conformity };
}
