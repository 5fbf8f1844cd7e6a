// Declared network flows (EX43): bounded input, validated with the renderer's own rules (CIDR, ports 1–65535,
// a non-empty namespace selector) so a stored flow never makes a reconcile fail.
import { z } from 'zod';
import type { networkFlows } from '../../db/schema.ts';
import { isCidr } from '../../integrations/gitops/preconditions.ts';
import { description, id, isoRequired, slug, timestamp } from './common.ts';

export const flowListParams = z.strictObject({ projectId: id });
export const flowParams = z.strictObject({ projectId: id, flowId: id });

const cidr = z.string().max(64).refine(isCidr, 'an IPv4 or IPv6 range, e.g. 10.0.0.0/24');
const labelKey = z.string().min(1).max(253).regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'a Kubernetes label key');
const labelValue = z.string().max(63).regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, 'a Kubernetes label value');

const peer = z.union([
  z.strictObject({
    namespaceLabels: z.record(labelKey, labelValue).refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 20, 'between 1 and 20 labels (an empty selector would mean every namespace)'),
  }),
  z.strictObject({ cidr, except: z.array(cidr).max(20).optional() }),
]);

export const flowCreate = z.strictObject({
  name: slug.describe('Unique in the project; becomes the NetworkPolicy name flow-<name>'),
  direction: z.enum(['ingress', 'egress']),
  peer,
  ports: z.array(z.strictObject({ protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'), port: z.number().int().min(1).max(65535) })).min(1).max(20),
  description: description.optional(),
});

export const flowView = z.object({
  id,
  projectId: id,
  name: z.string(),
  direction: z.enum(['ingress', 'egress']),
  peer: z.union([
    z.object({ namespaceLabels: z.record(z.string(), z.string()) }),
    z.object({ cidr: z.string(), except: z.array(z.string()).optional() }),
  ]),
  ports: z.array(z.object({ protocol: z.enum(['TCP', 'UDP', 'SCTP']), port: z.number().int() })),
  description: z.string(),
  createdAt: timestamp,
});
export const flowList = z.object({ items: z.array(flowView) });

export function presentFlow(f: typeof networkFlows.$inferSelect): z.infer<typeof flowView> {
  return {
    id: f.id,
    projectId: f.projectId,
    name: f.name,
    direction: f.direction,
    peer: f.peerCidr
      ? { cidr: f.peerCidr, ...(f.peerExcept?.length ? { except: f.peerExcept } : {}) }
      : { namespaceLabels: f.peerNamespaceLabels ?? {} },
    ports: f.ports,
    description: f.description,
    createdAt: isoRequired(f.createdAt),
  };
}
