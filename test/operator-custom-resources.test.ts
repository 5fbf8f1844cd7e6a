// The custom resources our managed services write are ones the operators' clusters accept: each operator item of
// the shipped catalogue is rendered by the real helm (defaults, and the values a team would set through the form),
// and every custom resource it yields is validated against the operator's own CRD schema (test/data/crds, from
// the OpsTree Redis operator, CloudNativePG and lib-bucket-provisioner repositories): unknown fields, required fields, enums, patterns,
// types. A resource the API server would refuse, or whose fields it would silently drop, fails here with the field.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkChartVersion } from '../src/component-catalogue/check.ts';
import { defaultCatalogueDir } from '../src/component-catalogue/default-catalogue.ts';
import { describeErrors, loadCustomResourceSchemas, structuralToJsonSchema, type CustomResourceSchema } from './support/crd-schema.ts';

const crdDir = path.join(import.meta.dirname, 'data', 'crds');
let schemas: CustomResourceSchema[] = [];
beforeAll(() => {
  schemas = ['redis.redis.opstreelabs.in_redis.yaml', 'postgresql.cnpg.io_clusters.yaml', 'postgresql.cnpg.io_scheduledbackups.yaml', 'objectbucket_v1alpha1_objectbucketclaim_crd.yaml'].flatMap((f) => loadCustomResourceSchemas(path.join(crdDir, f)));
});

type Resource = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown> };

function schemaOf(resource: Resource): CustomResourceSchema {
  const schema = schemas.find((s) => `${s.group}/${s.version}` === resource.apiVersion && s.kind === resource.kind);
  if (!schema) throw new Error(`no CRD for ${resource.apiVersion} ${resource.kind}`);
  return schema;
}

/** What the API server would say of a resource: [] when accepted. */
function refusals(resource: Resource): string[] {
  const schema = schemaOf(resource);
  return schema.validate(resource) ? [] : describeErrors(schema.validate.errors);
}

async function customResources(chart: string, values?: Record<string, unknown>): Promise<Resource[]> {
  const result = await checkChartVersion({ chartDir: path.join(defaultCatalogueDir, chart), namespace: 'projet-a-integration', releaseName: 'donnees', ...(values ? { values } : {}) });
  expect(result.unevaluated).toEqual([]);
  return parseAllDocuments(result.manifests).map((d) => d.toJS() as Resource).filter((r) => r !== null);
}

const operatorItems: { chart: string; kinds: string[]; instances: Record<string, unknown>[] }[] = [
  {
    chart: 'redis-operator',
    kinds: ['redis.redis.opstreelabs.in/v1beta2 Redis'],
    instances: [{ passwordSecret: 'cache-password', storage: { size: '2Gi' }, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } }],
  },
  {
    chart: 'postgresql',
    kinds: ['postgresql.cnpg.io/v1 Cluster', 'postgresql.cnpg.io/v1 ScheduledBackup'],
    instances: [{ instances: 3, storage: { size: '20Gi' }, backup: { schedule: '0 30 1 * * *', retention: '7d', destinationPath: 's3://sauvegardes/pg', credentialsSecret: 'stockage-objet' } }],
  },
  {
    chart: 's3-bucket',
    kinds: ['objectbucket.io/v1alpha1 ObjectBucketClaim'],
    instances: [{ bucketPrefix: 'pieces-jointes', maxSize: '50Gi', maxObjects: '250000' }],
  },
];

describe('custom resources of the shipped managed services, against the operators’ CRDs', () => {
  for (const item of operatorItems) {
    it(`${item.chart}: with its default values and with a team's values, every resource is accepted`, async () => {
      for (const values of [undefined, ...item.instances]) {
        const resources = await customResources(item.chart, values);
        expect(resources.map((r) => `${r.apiVersion} ${r.kind}`).sort()).toEqual([...item.kinds].sort());
        for (const resource of resources) expect({ resource: `${resource.kind}/${resource.metadata.name}`, refusals: refusals(resource) }).toEqual({ resource: `${resource.kind}/${resource.metadata.name}`, refusals: [] });
      }
    });
  }

  it('the CEL rules of these CRDs (not evaluated here) concern fields our resources do not set', async () => {
    const set = new Set<string>();
    const walk = (value: unknown, at: string) => {
      set.add(at || '/');
      if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, `${at}/${k}`);
    };
    for (const item of operatorItems) for (const resource of await customResources(item.chart)) walk(resource, `${resource.kind}`);
    const reached = schemas.flatMap((s) => s.celRules.map((r) => ({ kind: s.kind, ...r }))).filter((r) => set.has(`${r.kind}${r.path === '/' ? '' : r.path}`));
    // Cluster /spec: imageName and imageCatalogRef are mutually exclusive (we set imageName only);
    // ScheduledBackup /spec/cluster: immutable after creation (no rule on a first apply).
    expect(reached.map((r) => `${r.kind} ${r.path}: ${r.message}`).sort()).toEqual([
      'Cluster /spec: imageName and imageCatalogRef are mutually exclusive',
      'ScheduledBackup /spec/cluster: cluster reference is immutable after creation',
    ]);
    const [cluster] = (await customResources('postgresql')).filter((r) => r.kind === 'Cluster');
    expect(cluster!.spec).toHaveProperty('imageName');
    expect(cluster!.spec).not.toHaveProperty('imageCatalogRef');
  });

  it('refuses what the API server refuses: unknown field, missing required field, value outside an enum, wrong type', async () => {
    const [redis] = await customResources('redis-operator');
    const base = structuredClone(redis!);
    const withUnknown = structuredClone(base);
    (withUnknown.spec!.kubernetesConfig as Record<string, unknown>).redisPassword = 'en clair';
    expect(refusals(withUnknown)).toEqual(['/spec/kubernetesConfig: must NOT have additional properties (redisPassword)']);
    const withoutImage = structuredClone(base);
    delete (withoutImage.spec!.kubernetesConfig as Record<string, unknown>).image;
    expect(refusals(withoutImage)).toEqual(["/spec/kubernetesConfig: must have required property 'image'"]);
    const badService = structuredClone(base);
    (badService.spec!.kubernetesConfig as Record<string, unknown>).service = { serviceType: 'Public' };
    expect(refusals(badService)).toEqual(['/spec/kubernetesConfig/service/serviceType: must be equal to one of the allowed values (["LoadBalancer","NodePort","ClusterIP"])']);

    const [backup] = (await customResources('postgresql')).filter((r) => r.kind === 'ScheduledBackup');
    const badMethod = structuredClone(backup!);
    badMethod.spec!.method = 'tape';
    expect(refusals(badMethod)).toEqual([expect.stringMatching(/^\/spec\/method: must be equal to one of the allowed values/)]);
    const badInstances = structuredClone((await customResources('postgresql')).find((r) => r.kind === 'Cluster')!);
    badInstances.spec!.instances = 'deux';
    expect(refusals(badInstances)).toEqual(['/spec/instances: must be integer']);
  });

  it('reads structural-schema extensions as the API server does (preserve-unknown-fields, int-or-string, nullable, embedded)', () => {
    const schema = structuralToJsonSchema({
      type: 'object',
      properties: {
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
      },
    });
    expect(schema).toMatchObject({
      additionalProperties: false,
      properties: {
        free: { type: 'object' },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        note: { type: ['string', 'null'] },
        template: { properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } }, additionalProperties: false },
      },
    });
    expect((schema.properties as Record<string, Record<string, unknown>>).free).not.toHaveProperty('additionalProperties');
  });
});
