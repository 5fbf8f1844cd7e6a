// The configuration checker (EX47): settings that must come from the environment but are written in the code.
import { textChecker } from '../worker/text-checker.ts';
import type { TextScanner } from '../worker/text-scanner.ts';
import { allConfigurationRules } from './rules.ts';
import { scanConfiguration } from './scan.ts';
import { configurationInScope } from './scope.ts';

export const configurationScanner: TextScanner = {
  name: 'configuration',
  rules: allConfigurationRules,
  wants: configurationInScope,
  scan: scanConfiguration,
};

export const configurationChecker = textChecker(configurationScanner);
