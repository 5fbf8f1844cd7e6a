// Charts and overlays are checked as they render, with the real helm and kubectl (the bundled builds, or PATH),
// and what cannot be rendered refuses certification.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runDso } from '../../../test/support/cli.ts';
import { folderInput } from '../containers/fixture-input.ts';
import { createKubernetesChecker, kubernetesChecker } from './checker.ts';
import { evaluateGate } from '../gate.ts';
import { kubernetesRuleList } from './rules.ts';
import type { CheckerResult, Finding } from '../model.ts';
import { unevaluatedText } from '../unevaluated.ts';
import { gateReasonText } from '../format/messages.ts';

const fixtures = fileURLToPath(new URL('./fixtures/render/', import.meta.url));
const made: string[] = [];
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** A repository made of some fixture folders (copied, so each test has its own tree). */
function repository(folders: string[], extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'dso-render-test-'));
  made.push(root);
  for (const folder of folders) cpSync(join(fixtures, folder), join(root, folder), { recursive: true });
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(root, path), text);
  return root;
}

const where = (findings: Finding[]) => findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line ?? '-'}`);
const gateOf = (result: CheckerResult) => evaluateGate({ findings: result.findings, unevaluated: result.unevaluated, extent: result.extent, rules: kubernetesRuleList, now: new Date('2026-12-01T00:00:00Z') });
const notEvaluated = (result: CheckerResult) => (result.unevaluated ?? []).map((u) => `${u.kind}:${u.item}:${u.code}`).sort();

describe('Helm charts, rendered', () => {
  it('fails a chart whose template runs a privileged, root, host-network container, pointing at the template lines', async () => {
    const result = await kubernetesChecker.check(folderInput(repository(['privileged-chart'])));
    expect(where(result.findings)).toEqual(expect.arrayContaining([
      'kubernetes.pod-security.host-namespaces@privileged-chart/templates/daemonset.yaml:12',
      'kubernetes.pod-security.privileged@privileged-chart/templates/daemonset.yaml:17',
      'kubernetes.pod-security.run-as-user@privileged-chart/templates/daemonset.yaml:18',
    ]));
    expect(result.findings.find((f) => f.ruleId === 'kubernetes.pod-security.privileged')?.properties?.renderedFrom).toBe('privileged-chart/Chart.yaml');
    expect(gateOf(result).verdict).toBe('fail');
  });

  it('ties every finding on the chart helm create generates to a line of one of its templates', async () => {
    const { locateRenderer } = await import('../../integrations/renderers/index.ts');
    const helm = await locateRenderer('helm');
    if ('missing' in helm) throw new Error(helm.missing);
    const root = repository([]);
    execFileSync(helm.path, ['create', join(root, 'shop')], { env: { PATH: '/usr/bin:/bin', HOME: root } });
    const result = await kubernetesChecker.check(folderInput(root));
    expect(result.findings.length).toBeGreaterThan(5);
    for (const finding of result.findings) {
      expect(finding.location.file).toMatch(/^shop\/templates\/[a-z/-]+\.yaml$/);
      expect(finding.location.line).toBeGreaterThan(0);
    }
    // The securityContext comes from values.yaml through toYaml: the finding lands on the template's securityContext
    // line.
    const deployment = readFileSync(join(root, 'shop/templates/deployment.yaml'), 'utf8').split('\n');
    const escalation = result.findings.find((f) => f.ruleId === 'kubernetes.pod-security.allow-privilege-escalation')!;
    expect(deployment[escalation.location.line! - 1]).toMatch(/securityContext:/);
  });

  it('uses vendored dependencies and points at the subchart template (the enclosing key when the value comes from values.yaml)', async () => {
    const result = await kubernetesChecker.check(folderInput(repository(['vendored-chart'])));
    expect(where(result.findings)).toContain('kubernetes.pod-security.privileged@vendored-chart/charts/agent/templates/pod.yaml:9');
    expect(result.unevaluated).toEqual([]);
    expect(result.extent).toEqual({ policies: { checked: 1, total: 1, unit: 'charts' } });
  });

  it('points findings of a local (file://) dependency at its own folder in the repository', async () => {
    const root = repository(['privileged-chart'], {});
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'umbrella'));
    writeFileSync(join(root, 'umbrella/Chart.yaml'), 'apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: privileged\n    version: 0.1.0\n    repository: file://../privileged-chart\n');
    const result = await kubernetesChecker.check(folderInput(root));
    const privileged = result.findings.filter((f) => f.ruleId === 'kubernetes.pod-security.privileged').map((f) => `${f.location.file}:${f.location.line}:${String(f.properties?.renderedFrom)}`);
    expect(privileged.sort()).toEqual(['privileged-chart/templates/daemonset.yaml:17:privileged-chart/Chart.yaml', 'privileged-chart/templates/daemonset.yaml:17:umbrella/Chart.yaml']);
  });

  it('renders values.yaml, each ci/*-values.yaml and the values files .dso.yml declares', async () => {
    const root = repository(['values-chart'], {
      '.dso.yml': 'version: 1\nhelm:\n  charts:\n    - path: values-chart\n      values: [values-chart/prod-values.yaml]\n      namespace: prod\n',
    });
    const result = await kubernetesChecker.check(folderInput(root));
    const rules = where(result.findings);
    // Only ci/debug-values.yaml turns hostPID on; only the declared prod values add sysctls, one of them unsafe.
    expect(rules).toContain('kubernetes.pod-security.host-namespaces@values-chart/templates/pod.yaml:6');
    const sysctls = result.findings.filter((f) => f.ruleId === 'kubernetes.pod-security.sysctls');
    expect(sysctls.map((f) => f.message)).toEqual([expect.stringContaining('"kernel.msgmax"')]);
    expect(sysctls[0]!.message).toContain('Pod release-web');
    const typo = await kubernetesChecker.check(folderInput(repository(['values-chart'], { '.dso.yml': 'version: 1\nhelm:\n  charts:\n    - path: values-chrat\n      values: [values-chart/prod-values.yaml]\n' })));
    expect(typo.notes.map((n) => n.message)).toContain('helm.charts names values-chrat, which holds no Chart.yaml: its values files were not rendered.');
  });

  it('does not evaluate a chart whose template fails, and refuses certification with helm\'s error', async () => {
    const result = await kubernetesChecker.check(folderInput(repository(['broken-chart'])));
    expect(result.findings).toEqual([]);
    expect(notEvaluated(result)).toEqual(['chart:broken-chart:chart-render-failed']);
    const [entry] = result.unevaluated!;
    expect(entry!.file).toBe('broken-chart/Chart.yaml');
    expect(entry!.params.error).toContain('broken/templates/configmap.yaml:6:11');
    expect(unevaluatedText(entry!, 'fr')).toMatch(/^broken-chart \(chart Helm\) : rendu Helm impossible : execution error at .*port is required/);
    expect(unevaluatedText(entry!, 'en')).toMatch(/^broken-chart \(Helm chart\): Helm rendering failed: .*port is required/);
    const gate = gateOf(result);
    expect(gate.verdict).not.toBe('pass');
    const reason = gate.reasons.find((r) => r.outcome === 'not-evaluated')!;
    expect(reason.blocking).toBe(true);
    expect(gateReasonText(reason, 'fr')).toContain('port is required');
    expect(result.extent).toEqual({ policies: { checked: 0, total: 1, unit: 'charts' } });
  });

  it('does not evaluate a chart whose remote dependency is not vendored and no platform chart repository is set', async () => {
    const result = await kubernetesChecker.check(folderInput(repository(['remote-dep-chart'])));
    expect(notEvaluated(result)).toEqual(['chart:remote-dep-chart:chart-dependency-remote']);
    expect(result.unevaluated![0]!.params).toEqual({ dependency: 'redis', repository: 'https://charts.bitnami.com/bitnami' });
    expect(gateOf(result).verdict).not.toBe('pass');
  });

  it('does not evaluate charts when no renderer exists, and blocks', async () => {
    const missing = { code: 'renderer-missing' as const, detail: 'helm is not on PATH' };
    const checker = createKubernetesChecker({
      renderer: {
        renderChart: async () => ({ error: { ...missing, renderer: 'helm' } }),
        renderOverlay: async () => ({ error: { ...missing, renderer: 'kubectl', detail: 'kubectl is not on PATH' } }),
      },
    });
    const result = await checker.check(folderInput(repository(['privileged-chart', 'overlay'])));
    expect(result.findings).toEqual([]);
    expect(notEvaluated(result)).toEqual(['chart:privileged-chart:renderer-missing', 'overlay:overlay/overlays/prod:renderer-missing']);
    expect(result.unevaluated!.map((u) => unevaluatedText(u, 'en')).sort()).toEqual([
      'overlay/overlays/prod (Kustomize overlay): kubectl not found on this machine: nothing was rendered',
      'privileged-chart (Helm chart): helm not found on this machine: nothing was rendered',
    ]);
    expect(gateOf(result).verdict).not.toBe('pass');
  });
});

describe('Kustomize overlays, rendered', () => {
  it('fails an overlay that patches in privileged: true, pointing at the patch', async () => {
    const result = await kubernetesChecker.check(folderInput(repository(['overlay'])));
    expect(where(result.findings)).toEqual(['kubernetes.pod-security.privileged@overlay/overlays/prod/debug.yaml:11']);
    expect(result.findings[0]!.message).toContain('Deployment prod/api');
    expect(gateOf(result).verdict).toBe('fail');
  });

  it('checks the base through the overlay only, at the base file when no patch wrote the field', async () => {
    const root = repository(['overlay']);
    writeFileSync(join(root, 'overlay/overlays/prod/debug.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { replicas: 2 }\n');
    writeFileSync(join(root, 'overlay/base/deployment.yaml'), readFileSync(join(fixtures, 'overlay/base/deployment.yaml'), 'utf8').replace('runAsNonRoot: true', 'runAsNonRoot: false'));
    const result = await kubernetesChecker.check(folderInput(root));
    // The pod says false (line 13), so its container, which says nothing, may run as root too (its securityContext,
    // line 19).
    expect(where(result.findings)).toEqual([
      'kubernetes.pod-security.run-as-non-root@overlay/base/deployment.yaml:13',
      'kubernetes.pod-security.run-as-non-root@overlay/base/deployment.yaml:19',
    ]);
  });
});

describe('dso check on a chart', () => {
  const dso = (root: string, env: NodeJS.ProcessEnv) => runDso(['check', root, '--format', 'json'], { env });

  it('exits 1 on a chart that does not render, listing it in the report\'s unevaluated array', async () => {
    const run = await dso(repository(['broken-chart']), { ...process.env, NO_COLOR: '1' });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as {
      unevaluated: { item: string; kind: string; code: string }[];
      gate: { verdict: string };
    };
    expect(report.unevaluated).toEqual([expect.objectContaining({ item: 'broken-chart', kind: 'chart', code: 'chart-render-failed' })]);
    expect(report.gate.verdict).not.toBe('pass');
  });

  it('exits 1 on a privileged chart, with or without helm on PATH', async () => {
    const root = repository(['privileged-chart']);
    const [withPath, withoutPath] = await Promise.all([
      dso(root, { ...process.env, NO_COLOR: '1' }),
      dso(root, { ...process.env, NO_COLOR: '1', PATH: '/nonexistent' }),
    ]);
    for (const run of [withPath, withoutPath]) {
      expect(run.code).toBe(1);
      const report = JSON.parse(run.out) as { findings: Finding[]; gate: { verdict: string } };
      expect(report.gate.verdict).toBe('fail');
      expect(report.findings.map((f) => f.ruleId)).toContain('kubernetes.pod-security.privileged');
    }
  });
});
