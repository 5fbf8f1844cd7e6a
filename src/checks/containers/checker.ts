// The container image checker: every Dockerfile/Containerfile of the tree.
import type { Checker, CheckerResult } from '../model.ts';
import { containerRuleList } from './rules.ts';
import { checkDockerfile } from './dockerfile.ts';

/** `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `api.dockerfile`, `build.containerfile`. */
export function isDockerfile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  // `Dockerfile.<variant>` names a build variant; source and document files named after Dockerfiles are not ones.
  if (/\.(md|txt|json|ya?ml|sh|ps1|[cm]?[jt]sx?|py|go|rs|rb|java|kt|cs|php|html?|snap|lock|bak|orig|swp|log|xml|toml|ini|cfg)$/.test(base)) return false;
  return /^(dockerfile|containerfile)(\.[a-z0-9_.-]+)?$/.test(base) || /\.(dockerfile|containerfile)$/.test(base);
}

export const containersChecker: Checker = {
  name: 'containers',
  rules: containerRuleList,
  async check(input): Promise<CheckerResult> {
    const result: CheckerResult = { findings: [], notes: [] };
    for (const file of input.files) {
      if (!isDockerfile(file.path)) continue;
      const text = await input.readText(file.path);
      if (text === undefined) {
        result.notes.push({ file: file.path, message: 'Dockerfile not evaluated: unreadable, binary or too large.' });
        continue;
      }
      const one = checkDockerfile(text, file.path, input.options.now);
      result.findings.push(...one.findings);
      result.notes.push(...one.notes);
    }
    return result;
  },
};
