import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { observabilityChecker } from './checker.ts';
import { folderInput, memoryInput } from '../containers/fixture-input.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('observability', () => {
  it('accepts probes and a ServiceMonitor, and says what it found', async () => {
    const result = await observabilityChecker.check(folderInput(fixtures('manifests')));
    expect(result.findings).toEqual([]);
    expect(result.notes.map((n) => n.message)).toEqual(['Health endpoint evidence: readinessProbe.', 'Metrics evidence: ServiceMonitor.']);
  });

  it('accepts routes and client libraries found in code', async () => {
    const result = await observabilityChecker.check(folderInput(fixtures('code')));
    expect(result.findings).toEqual([]);
    expect(result.notes.map((n) => n.message)).toEqual(['Health endpoint evidence: route /healthz.', 'Metrics evidence: prom-client.']);
  });

  it('reports a deployable application without health or metrics (comments do not count)', async () => {
    const result = await observabilityChecker.check(folderInput(fixtures('bare')));
    expect(result.findings.map((f) => `${f.ruleId}@${f.location.file}`)).toEqual([
      'observability.health-endpoint@Dockerfile', 'observability.metrics-endpoint@Dockerfile',
    ]);
  });

  it('says nothing about trees that deploy nothing, and reads Helm templates as text', async () => {
    expect((await observabilityChecker.check(folderInput(fixtures('library')))).findings).toEqual([]);
    const helm = await observabilityChecker.check(memoryInput({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'chart/templates/pod.yaml': 'metadata:\n  annotations:\n    prometheus.io/scrape: "true"\nspec:\n  containers:\n    - livenessProbe: {{ toYaml .Values.probe }}\n',
    }));
    expect(helm.findings).toEqual([]);
  });
});
