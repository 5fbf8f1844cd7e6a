// Every checker of the library, in the order they run: one explicit list (append yours), not a registry filled
// by whichever module happened to be imported. The engine, the chain, the CLI and conformity read it.
import type { Checker, Rule } from './model.ts';
import { secretsChecker } from './secrets/checker.ts';
import { configurationChecker } from './configuration/checker.ts';
import { dependenciesChecker } from './dependencies/checker.ts';
import { containersChecker } from './containers/checker.ts';
import { kubernetesChecker } from './kubernetes/checker.ts';
import { apiDescriptionChecker } from './api-description/checker.ts';
import { observabilityChecker } from './observability/checker.ts';
import { testReportsChecker } from './test-reports/checker.ts';

const checkers: readonly Checker[] = [
  secretsChecker,
  configurationChecker,
  dependenciesChecker,
  containersChecker,
  kubernetesChecker,
  apiDescriptionChecker,
  observabilityChecker,
  testReportsChecker,
];

export function allCheckers(): readonly Checker[] {
  return checkers;
}

export function allRules(): readonly Rule[] {
  return checkers.flatMap((c) => c.rules);
}
