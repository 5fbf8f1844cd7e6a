// Every rule of the container, Kubernetes, API description, observability and test report
// checkers has its page, and its ids follow the naming the CLI and the gate rely on.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { containersChecker } from './checker.ts';
import { kubernetesChecker } from '../kubernetes/checker.ts';
import { apiDescriptionChecker } from '../api-description/checker.ts';
import { observabilityChecker } from '../observability/checker.ts';
import { testReportsChecker } from '../test-reports/checker.ts';

const checkers = [
  containersChecker,
  kubernetesChecker,
  apiDescriptionChecker,
  observabilityChecker,
  testReportsChecker,
];

describe('rule catalogue', () => {
  it.each(checkers.flatMap((c) => c.rules.map((r) => [r.id, r] as const)))('%s has a doc page and a valid definition', (id, rule) => {
    expect(id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(rule.requirements.length).toBeGreaterThan(0);
    for (const requirement of rule.requirements) expect(requirement).toMatch(/^EX([1-9]|[1-4]\d|5[0-8])$/);
    const page = fileURLToPath(new URL(`../../../docs/rules/${id}.md`, import.meta.url));
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    for (const section of ['## What it detects', '## Why it matters', '## How to fix it', '## Example']) expect(text).toContain(section);
  });

  it('names the Pod Security Standards rules under kubernetes.pod-security.', () => {
    const pss = kubernetesChecker.rules.filter((r) => r.id.startsWith('kubernetes.pod-security.'));
    expect(pss.map((r) => r.id.slice('kubernetes.pod-security.'.length)).sort()).toEqual([
      'allow-privilege-escalation', 'apparmor', 'capabilities-add', 'capabilities-drop-all', 'host-namespaces', 'host-path', 'host-ports',
      'host-probes', 'host-process', 'privileged', 'proc-mount', 'run-as-non-root', 'run-as-user', 'seccomp', 'selinux', 'sysctls', 'volume-types',
    ]);
  });
});
