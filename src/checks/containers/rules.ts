// Rules of the container image checker (Dockerfile, Containerfile).
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { containerCatalogue } from './messages.ts';

// The descriptions come from the catalogue (messages.ts); the English one written here is replaced by it.
const rule = (id: string, kind: Rule['kind'], severity: Rule['severity'], requirements: string[], description: string): Rule => ({
  id, kind, severity, requirements, description,
});

export const containerRules = withDescriptions({
  unparsable: rule('containers.unparsable', 'parse', 'medium', ['EX29', 'EX32'],
    'The Dockerfile could not be read as a sequence of build instructions, so it was not evaluated.'),
  baseImageAlpine: rule('containers.base-image-alpine', 'policy', 'high', ['EX29'],
    'The image is built from Alpine Linux, which the framework asks to avoid for lack of long-term support.'),
  baseImageNotLts: rule('containers.base-image-not-lts', 'policy', 'high', ['EX29'],
    'The base image comes from a distribution or release without long-term support.'),
  baseImageEndOfLife: rule('containers.base-image-end-of-life', 'policy', 'high', ['EX29'],
    'The base image release has reached its end of life and no longer receives security updates.'),
  baseImageUnverified: rule('containers.base-image-unverified', 'quality', 'info', ['EX30'],
    'The operating system of the base image could not be identified; name it in the tag (e.g. -bookworm).'),
  baseImageFloatingTag: rule('containers.base-image-floating-tag', 'policy', 'medium', ['EX29'],
    'A base image has no tag or uses `latest`, so the operating system release can change without notice.'),
  baseImageDigest: rule('containers.base-image-digest', 'quality', 'info', ['EX30'],
    'A base image is referenced by tag only; pinning its digest makes rebuilds reproducible.'),
  nonRootUser: rule('containers.non-root-user', 'policy', 'high', ['EX32'],
    'The final stage of the image runs as root (no USER instruction, or USER root/0).'),
  exposedPort: rule('containers.exposed-port-above-1024', 'policy', 'medium', ['EX32'],
    'The image exposes a port at or below 1024, which needs privileges to bind.'),
  addRemoteUrl: rule('containers.add-remote-url', 'policy', 'medium', ['EX58'],
    'ADD downloads a remote URL at build time without integrity check; fetch and verify it in a RUN step instead.'),
  secretInBuildVariable: rule('containers.secret-in-env-or-arg', 'secret', 'high', ['EX47', 'EX58'],
    'A secret-looking ENV or ARG is given a literal value, which is stored in the image layers and history.'),
} as const, containerCatalogue);

export const containerRuleList: readonly Rule[] = Object.values(containerRules);
