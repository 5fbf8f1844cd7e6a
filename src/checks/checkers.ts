// The composition root of the check library: every checker, in the order they run.
// One import + one registerChecker line per checker module; append yours below.
import { registerChecker } from './registry.ts';
import { secretsChecker } from './secrets/checker.ts';
import { configurationChecker } from './configuration/checker.ts';
import { dependenciesChecker } from './dependencies/checker.ts';
import { containersChecker } from './containers/checker.ts';
import { kubernetesChecker } from './kubernetes/checker.ts';
import { apiDescriptionChecker } from './api-description/checker.ts';
import { observabilityChecker } from './observability/checker.ts';
import { testReportsChecker } from './test-reports/checker.ts';

registerChecker(secretsChecker);
registerChecker(configurationChecker);
registerChecker(dependenciesChecker);
registerChecker(containersChecker);
registerChecker(kubernetesChecker);
registerChecker(apiDescriptionChecker);
registerChecker(observabilityChecker);
registerChecker(testReportsChecker);
