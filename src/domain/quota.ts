// Does a requested environment quota fit? Two independent limits apply: the cluster's free capacity (what is
// physically left) and the project's budget (what the project is allowed to consume across all its environments).
// Pure: callers load the sums (excluding the environment being changed) inside the same transaction.

export interface Resources {
  cpuMillicores: number;
  memoryMiB: number;
  gpu: number;
}

export const resourceNames = ['cpuMillicores', 'memoryMiB', 'gpu'] as const;
export type ResourceName = (typeof resourceNames)[number];

export interface QuotaInput {
  requested: Resources;
  cluster: { capacity: Resources; used: Resources };
  project: { budget: Resources; used: Resources };
}

/** One resource that does not fit, with the figures a user needs to choose a smaller request. */
export interface QuotaShortfall {
  resource: ResourceName;
  limit: 'cluster' | 'budget';
  requested: number;
  /** What is still available under this limit (never negative). */
  available: number;
}

export interface QuotaVerdict {
  fits: boolean;
  shortfalls: QuotaShortfall[];
  /** Figures for the problem body: requested, cluster free capacity, project budget left. */
  figures: { requested: Resources; free: Resources; budget: Resources; budgetRemaining: Resources };
}

export function subtract(a: Resources, b: Resources): Resources {
  return {
    cpuMillicores: Math.max(0, a.cpuMillicores - b.cpuMillicores),
    memoryMiB: Math.max(0, a.memoryMiB - b.memoryMiB),
    gpu: Math.max(0, a.gpu - b.gpu),
  };
}

export function evaluateQuota(input: QuotaInput): QuotaVerdict {
  const free = subtract(input.cluster.capacity, input.cluster.used);
  const budgetRemaining = subtract(input.project.budget, input.project.used);
  const shortfalls: QuotaShortfall[] = [];
  for (const resource of resourceNames) {
    const requested = input.requested[resource];
    if (requested > free[resource]) shortfalls.push({ resource, limit: 'cluster', requested, available: free[resource] });
    if (requested > budgetRemaining[resource]) shortfalls.push({ resource, limit: 'budget', requested, available: budgetRemaining[resource] });
  }
  return {
    fits: shortfalls.length === 0,
    shortfalls,
    figures: { requested: input.requested, free, budget: input.project.budget, budgetRemaining },
  };
}
