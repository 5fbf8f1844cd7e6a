// Rules of the dependency checker.
// EX58: the team analyses the CVEs of the packages it imports; EX12: the secondary chain blocks
// revisions that carry critical vulnerabilities; EX30: components are kept on maintained versions.
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { dependencyCatalogue } from './messages.ts';

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const dependencyRules = withDescriptions({
  vulnerablePackage: {
    id: 'dependencies.vulnerable-package',
    kind: 'vulnerability',
    severity: 'high',
    requirements: ['EX58', 'EX12', 'EX30'],
    description: 'A locked dependency version is affected by a known vulnerability (OSV advisory); the severity comes from its CVSS score.',
  },
  unparsable: {
    id: 'dependencies.unparsable',
    kind: 'parse',
    severity: 'low',
    requirements: ['EX58'],
    description: 'A lockfile or dependency manifest could not be read, so its packages were not checked for vulnerabilities.',
  },
} as const satisfies Record<string, Rule>, dependencyCatalogue);

export const allDependencyRules: readonly Rule[] = Object.values(dependencyRules);
