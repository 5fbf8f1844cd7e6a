// Rules of the test and coverage report reader.
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { testReportCatalogue } from './messages.ts';

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const testReportRules = withDescriptions({
  failingTests: {
    id: 'test-reports.failing-tests', kind: 'quality', severity: 'high', requirements: ['EX22', 'EX27'],
    description: 'A test report shows failing or erroring tests.',
  },
  unparsable: {
    id: 'test-reports.unparsable', kind: 'parse', severity: 'medium', requirements: ['EX10', 'EX27'],
    description: 'A test or coverage report could not be read, so its results are unknown.',
  },
  backEndCoverage: {
    id: 'test-reports.back-end-coverage', kind: 'quality', severity: 'low', requirements: ['EX10', 'EX27'],
    description: 'Line coverage of the back end is below the 100% target set by the framework.',
  },
} as const satisfies Record<string, Rule>, testReportCatalogue);

export const testReportRuleList: readonly Rule[] = Object.values(testReportRules);
