import { describe, expect, it } from 'vitest';
import { validateObject, validateObjects } from './validate.ts';
import type { KubeObject } from './kube-object.ts';
import { findingOf } from '../../checks/model.ts';

const meta = { name: 'x', namespace: 'demo-dev' };
const codes = (object: KubeObject) => validateObject(object).map((e) => e.code);

describe('validating rendered manifests before they are committed', () => {
  it('rejects a negative quota that the schema alone would accept', () => {
    const quota: KubeObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta, spec: { hard: { 'requests.cpu': '-500m', 'limits.memory': '1Gi' } } };
    const errors = validateObject(quota);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message.en).toContain('requests.cpu');
  });

  it('rejects what the Kubernetes API schema rejects', () => {
    const policy: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: { podSelector: {}, policyTypes: 'Ingress' } };
    expect(codes(policy)).toEqual(['schema.invalid']);
    expect(codes({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 42 as unknown as string } })).toEqual(['schema.invalid']);
  });

  it('rejects a production Application that follows a branch or syncs by itself', () => {
    const application: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { ...meta, labels: { 'dso.pi/production': 'true' } },
      spec: {
        project: 'demo',
        source: { repoURL: 'https://x/infra.git', path: 'deploy', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'demo-prod' },
        syncPolicy: { automated: { prune: true } },
      },
    };
    const errors = validateObject(application);
    expect(errors.map((e) => e.message.en).join('\n')).toMatch(/never a branch[\s\S]*no automated sync/);
  });

  it('rejects an ExternalSecret that carries a value instead of a reference', () => {
    const secret: KubeObject = {
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: meta,
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 's' }, target: { name: 'db' }, data: [{ secretKey: 'password', remoteRef: { key: 'k' }, value: 'hunter2' }] },
    };
    expect(codes(secret)).toEqual(['schema.invalid']);
  });

  it('rejects a kind it does not know instead of letting it through', () => {
    expect(codes({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: meta })).toEqual(['schema.invalid']);
  });

  it('blocks on high findings of our own Kubernetes checks, not on low ones', () => {
    const rule = (severity: 'high' | 'low') => ({ id: `kubernetes.test-${severity}`, kind: 'policy' as const, severity, requirements: [], description: '' });
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo-dev' } };
    const errors = validateObjects([namespace], 'namespace.yaml', (_, file) => [findingOf(rule('high'), { file }, 'bad', 'k'), findingOf(rule('low'), { file }, 'meh', 'k')]);
    expect(errors.map((e) => e.code)).toEqual(['check.kubernetes.test-high']);
  });
});
