// The generated infrastructure repository passes the platform's own checks (the gate `dso check` and the chain
// apply), for the default deploy path and another one, and says what the deploy path means.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../checks/engine.ts';
import { infrastructureSkeleton, normaliseDeployPath, workloadName } from './infrastructure-skeleton.ts';

function writeTree(files: { path: string; content: string }[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dso-skeleton-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    writeFileSync(path.join(root, file.path), file.content);
  }
  return root;
}

describe('infrastructure repository skeleton', () => {
  for (const deployPath of ['deploy', 'k8s/base']) {
    it(`passes the gate with no finding above low, manifests under ${deployPath}/`, async () => {
      const files = infrastructureSkeleton({ project: 'premier-projet', application: 'Bonjour_App', image: 'console.example/premier-projet/bonjour:sha-0123456789abcdef', port: 8080, healthPath: '/healthz', deployPath });
      expect(files.map((f) => f.path)).toEqual(['README.md', `${deployPath}/deployment.yaml`, `${deployPath}/service.yaml`, `${deployPath}/networkpolicy.yaml`]);
      const root = writeTree(files);
      try {
        const report = await runChecks({ root, options: { now: new Date('2026-12-01T00:00:00Z') } });
        expect(report.gate.verdict, JSON.stringify(report.gate)).toBe('pass');
        expect(report.gate.complete).toBe(true);
        const serious = report.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity));
        expect(serious.map((f) => `${f.ruleId} ${f.location.file}`)).toEqual([]);
        // The manifests were read as Kubernetes objects (three), not skipped.
        expect(report.observations?.manifests?.objects).toBe(3);
        expect(report.observations?.manifests?.networkPolicies.length).toBe(1);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }, 60_000);
  }

  it('names the workload as Kubernetes accepts it and explains the deploy path in the README', () => {
    const files = infrastructureSkeleton({ project: 'p', application: 'Mon Appli', image: 'r/p/a:1', port: 3000, healthPath: '/sante', deployPath: '/manifests/' });
    expect(files[1]!.content).toContain('name: mon-appli');
    expect(files[1]!.content).toContain('containerPort: 3000');
    expect(files[0]!.content).toMatch(/Chemin de déploiement[\s\S]*`manifests`/);
    expect(workloadName('---')).toBe('application');
    expect(normaliseDeployPath('./a//b/')).toBe('a/b');
    expect(() => normaliseDeployPath('../etc')).toThrow();
  });
});
