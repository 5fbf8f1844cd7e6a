// The container image checker: every Dockerfile/Containerfile of the tree. Development images (.devcontainer/,
// Dockerfile.dev…) are checked too but their findings are informational (scope `development`): they never ship.
// When the final stage sets no USER, the base image's own default user counts: known by name, or read from its
// registry when the caller provides an inspector.
import type { Checker, CheckerResult, ImageInspector, Note } from '../model.ts';
import { isRootUser } from './default-user.ts';
import { containerRuleList } from './rules.ts';
import { checkDockerfile } from './dockerfile.ts';
import { bounded } from '../observations/model.ts';

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
    /** One registry request per image. */
    const inspected = new Map<string, Promise<{ user: string } | { error: string }>>();
    for (const file of input.files) {
      if (!isDockerfile(file.path)) continue;
      const text = await input.readText(file.path);
      if (text === undefined) {
        result.notes.push({ file: file.path, message: 'Dockerfile not evaluated: unreadable, binary or too large.' });
        continue;
      }
      const one = checkDockerfile(text, file.path, input.options.now);
      let findings = one.findings;
      if (one.baseImageUser && input.options.inspectImage) {
        const runsUnprivileged = await baseRunsUnprivileged(
          input.options.inspectImage,
          one.baseImageUser.image,
          file.path,
          result.notes,
          inspected,
        );
        if (runsUnprivileged) findings = findings.filter((f) => f.fingerprint !== one.baseImageUser?.fingerprint);
      }
      const development = isDevelopmentImage(file.path);
      for (const f of findings) if (development) f.scope = 'development';
      result.findings.push(...findings);
      result.notes.push(...one.notes);
    }
    const dockerfiles = input.files.filter((f) => isDockerfile(f.path)).map((f) => f.path);
    if (dockerfiles.length > 0) result.observations = { dockerfiles: bounded(dockerfiles) };
    return result;
  },
};

/** `.devcontainer/Dockerfile`, `Dockerfile.dev`, `Dockerfile.debug`, `Dockerfile.playwright` (test runners),
 * `dev.Dockerfile`, `docker/dev/Dockerfile`. */
export function isDevelopmentImage(path: string): boolean {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  return /(^|\/)\.devcontainer\//.test(lower) || /^(dockerfile|containerfile)[.-](dev|devel|development|local|debug|test|tests|e2e|ci|playwright|cypress)$/.test(base) ||
    /(^|[.-])(dev|devel|development)\.(dockerfile|containerfile)$/.test(base) || /(^|\/)(dev|development)\/(dockerfile|containerfile)$/.test(lower);
}

async function baseRunsUnprivileged(
  inspect: ImageInspector,
  image: string,
  file: string,
  notes: Note[],
  inspected: Map<string, Promise<{ user: string } | { error: string }>>,
): Promise<boolean> {
  let pending = inspected.get(image);
  if (!pending) {
    pending = inspect(image).catch((error: unknown) => ({
      error: error instanceof Error ? error.message : String(error),
    }));
    inspected.set(image, pending);
  }
  const answer = await pending;
  if ('error' in answer) {
    notes.push({
      file,
      message: `The default user of base image ${image.slice(0, 200)} could not be read from its registry (${answer.error.slice(0, 200)}); it is taken to be root.`,
    });
    return false;
  }
  if (isRootUser(answer.user)) return false;
  notes.push({
    file,
    message: `The final stage sets no USER; base image ${image.slice(0, 200)} runs as ${answer.user.slice(0, 60)} (read from its registry).`,
  });
  return true;
}
