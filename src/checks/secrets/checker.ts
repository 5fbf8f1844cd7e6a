// The secrets checker (EX47, EX58): provider tokens, private keys, passwords, connection strings, secret-like literals.
import { textChecker } from '../worker/text-checker.ts';
import type { TextScanner } from '../worker/text-scanner.ts';
import { allSecretRules } from './rules.ts';
import { scanSecrets } from './scan.ts';

export const secretsScanner: TextScanner = {
  name: 'secrets',
  rules: allSecretRules,
  // The allow-list holds fingerprints, never secrets; everything else that is text is scanned.
  wants: (path) => path !== '.dso/allowlist',
  scan: scanSecrets,
};

export const secretsChecker = textChecker(secretsScanner);
