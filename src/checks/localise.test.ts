// The message catalogue as users meet it: every rule describes itself in French and English, findings carry their
// message in both languages with a stable id, and the text and SARIF outputs speak the requested language.
import { describe, expect, it } from 'vitest';
import { checkDockerfile } from './containers/dockerfile.ts';
import { checkManifests } from './kubernetes/manifests.ts';
import { findingText, ruleDescription } from './localise.ts';
import { allRules } from './registry.ts';
import { toSarif } from './format/sarif.ts';
import { formatText } from './format/text.ts';
import { evaluateGate } from './gate.ts';
import type { CheckReport } from './engine.ts';
import type { Finding } from './model.ts';

const now = new Date('2026-06-01T00:00:00Z');

function reportOf(findings: Finding[]): CheckReport {
  return {
    tool: { name: 'dso', version: 'test' },
    target: { path: '.' },
    findings,
    summary: {
      findings: findings.length,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      byRule: {},
      filesListed: 1,
      filesScanned: 1,
      bytesScanned: 1,
      durationMs: 1,
      allowListed: 0,
    },
    gate: evaluateGate({ findings, rules: allRules(), now }),
    notes: [],
  };
}

describe('message catalogue', () => {
  it('gives every rule a French and an English description that differ', () => {
    const missing = allRules().filter((r) => !r.text?.fr || !r.text.en || r.text.fr === r.text.en);
    expect(missing.map((r) => r.id)).toEqual([]);
    const root = allRules().find((r) => r.id === 'containers.non-root-user');
    expect(ruleDescription(root!, 'fr')).toMatch(/s’exécute en root/);
    expect(ruleDescription(root!, 'en')).toMatch(/runs as root/);
  });

  it('renders a Dockerfile finding in both languages under a stable id, the English one staying in message', () => {
    const { findings } = checkDockerfile('FROM debian:12-slim\nRUN true\n', 'Dockerfile', now);
    const root = findings.find((f) => f.ruleId === 'containers.non-root-user');
    expect(root).toMatchObject({ messageId: 'containers.non-root-user/noUser' });
    expect(root!.text!.fr).toMatch(/^L’étape finale ne définit pas USER/);
    expect(root!.message).toBe(root!.text!.en);
    expect(findingText(root!, 'en')).toMatch(/^The final stage sets no USER/);
  });

  it('names the Kubernetes object and container in French', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.2.3' }] } } },
    };
    const findings = checkManifests([deployment], 'k8s/web.yaml');
    const nonRoot = findings.find((f) => f.ruleId === 'kubernetes.pod-security.run-as-non-root');
    expect(nonRoot!.text!.fr).toBe('Deployment shop/web : Le conteneur « app » peut s’exécuter en root : définissez runAsNonRoot: true dans le securityContext du pod ou du conteneur.');
    expect(nonRoot!.params).toMatchObject({ object: 'Deployment shop/web', container: 'app' });
    const limits = findings.find((f) => f.ruleId === 'kubernetes.resource-requests');
    expect(limits!.text!.fr).toBe('Deployment shop/web : le conteneur « app » n’a pas de demande cpu ni memory.');
  });

  it('writes SARIF and the text report in French by default and in English on request', () => {
    const { findings } = checkDockerfile('FROM debian:12-slim\nEXPOSE 80\nUSER 10001\n', 'Dockerfile', now);
    const report = reportOf(findings);
    const sarif = (lang?: 'fr' | 'en') => toSarif(report, allRules(), lang) as { runs: { results: { ruleId: string; message: { text: string } }[]; tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[] };
    const exposed = (s: ReturnType<typeof sarif>) => s.runs[0]!.results.find((r) => r.ruleId === 'containers.exposed-port-above-1024')!.message.text;
    expect(exposed(sarif())).toMatch(/^EXPOSE 80 : écoutez sur un port supérieur à 1024/);
    expect(exposed(sarif('en'))).toMatch(/^EXPOSE 80: listen on a port above 1024/);
    expect(sarif('en').runs[0]!.tool.driver.rules.find((r) => r.id === 'containers.exposed-port-above-1024')!.shortDescription.text).toMatch(/^The image exposes a port/);
    expect(formatText(report, { colour: false, lang: 'fr' })).toMatch(/écoutez sur un port supérieur à 1024/);
    expect(formatText(report, { colour: false, lang: 'en' })).toMatch(/listen on a port above 1024/);
  });

  it('keeps the English sentence of findings from older reports that have no catalogued text', () => {
    expect(findingText({ message: 'Old sentence.' }, 'fr')).toBe('Old sentence.');
  });
});
