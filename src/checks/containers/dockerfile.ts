// Evaluation of one Dockerfile/Containerfile: base images (EX29), final user and ports (EX32),
// remote ADD and secrets baked into the image. Pure: text in, findings and notes out.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { findingOf, type Finding, type Note } from '../model.ts';
import { containerRules as rules } from './rules.ts';
import { say } from './messages.ts';
import { parseImageReference, pinningOf } from './image-reference.ts';
import { isEndOfLife, judgeBaseImage } from './base-images.ts';
import { knownNonRootImage } from './default-user.ts';

const knownInstructions = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Names that announce a secret; `*_FILE`/`*_PATH` variants point to a secret, they do not hold it. */
const secretName = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key|client[_-]?secret)/i;
const secretReferenceName = /(_file|_path|_dir|_url|_name|_env|_id|_ttl|_length|_len|_timeout|_expiry|_expires|_header|_enabled|_type|_algorithm|_version|_policy)$/i;
/** nginx's `uwsgi_pass`, `proxy_pass`… name an upstream address, not a password. */
const upstreamDirective = /(uwsgi|proxy|fastcgi|grpc|scgi|memcached)_pass$/i;
/** Numbers and switches configure how secrets are handled; they are not secrets. */
const settingValue = /^(\d+[smhd]?|true|false|yes|no|on|off|none)$/i;

interface Stage {
  name?: string;
  line: number;
  /** Index of the earlier stage this one builds on, when FROM names a stage. */
  parent?: number;
  /** Last USER of this stage, if any. */
  user?: { value: string; line: number };
  exposes: { port: string; line: number }[];
  args: Map<string, string>;
}

export interface DockerfileResult {
  findings: Finding[];
  notes: Note[];
  /** The final stage sets no USER over this base image, whose own default user is unknown: ask its registry. */
  baseImageUser?: { image: string; fingerprint: string };
}

const lineOf = (instruction: Instruction): number => instruction.getRange().start.line + 1;

/** Replaces `$VAR`, `${VAR}`, `${VAR:-default}` from the known build arguments; unknown ones stay. */
function substitute(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, fallback?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = args.get(name);
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined && whole.includes(':-')) return fallback;
    return whole;
  });
}

export function checkDockerfile(text: string, file: string, now: Date): DockerfileResult {
  const findings: Finding[] = [];
  const notes: Note[] = [];
  let instructions: Instruction[];
  try {
    instructions = DockerfileParser.parse(text).getInstructions();
  } catch (error) {
    findings.push(findingOf(rules.unparsable, { file }, say['containers.unparsable'].parse({ reason: (error as Error).message.slice(0, 300) }), 'parse'));
    return { findings, notes };
  }
  const unknown = instructions.find((i) => !knownInstructions.has(i.getKeyword().toUpperCase()));
  if (unknown) {
    findings.push(findingOf(rules.unparsable, { file, line: lineOf(unknown) },
      say['containers.unparsable'].unknownInstruction({ keyword: unknown.getKeyword().slice(0, 40) }), 'unknown-instruction'));
    return { findings, notes };
  }
  const firstFrom = instructions.findIndex((i) => i.getKeyword().toUpperCase() === 'FROM');
  if (firstFrom < 0) {
    findings.push(findingOf(rules.unparsable, { file }, say['containers.unparsable'].noFrom({}), 'no-from'));
    return { findings, notes };
  }
  const misplaced = instructions.slice(0, firstFrom).find((i) => i.getKeyword().toUpperCase() !== 'ARG');
  if (misplaced) {
    findings.push(findingOf(rules.unparsable, { file, line: lineOf(misplaced) },
      say['containers.unparsable'].beforeFrom({ keyword: misplaced.getKeyword().toUpperCase().slice(0, 40) }), 'before-from'));
    return { findings, notes };
  }

  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  const pendingFroms: { image: string; written: string; line: number; stage: number }[] = [];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword().toUpperCase();
    const stage = stages[stages.length - 1];
    const line = lineOf(instruction);
    const args = instruction.getArguments().map((a) => a.getValue());
    switch (keyword) {
      case 'ARG':
      case 'ENV': {
        for (const property of propertiesOf(instruction)) {
          const target = stage ? stage.args : globalArgs;
          if (property.value !== null) target.set(property.name, substitute(property.value, target));
          else if (keyword === 'ARG' && stage && globalArgs.has(property.name)) stage.args.set(property.name, globalArgs.get(property.name) ?? '');
          checkSecret(keyword, property.name, property.value, line);
        }
        break;
      }
      case 'FROM':
        stages.push(openStage(args, line));
        break;
      case 'USER':
        if (stage && args[0] !== undefined) stage.user = { value: substitute(args[0], stage.args), line };
        break;
      case 'EXPOSE':
        if (stage) for (const port of args) stage.exposes.push({ port: substitute(port, stage.args), line });
        break;
      case 'ADD':
        for (const source of args.slice(0, -1)) {
          if (/^(https?|ftp):\/\//i.test(source)) {
            findings.push(findingOf(rules.addRemoteUrl, { file, line },
              say['containers.add-remote-url'].remote({ url: source.slice(0, 200) }), `add:${source}`));
          }
        }
        break;
      default:
        break;
    }
  }

  function openStage(args: string[], line: number): Stage {
    const positional = args.filter((a) => !a.startsWith('--'));
    const image = substitute(positional[0] ?? '', globalArgs);
    const asIndex = positional.findIndex((a) => a.toLowerCase() === 'as');
    const name = asIndex >= 0 ? positional[asIndex + 1]?.toLowerCase() : undefined;
    const stage: Stage = { line, exposes: [], args: new Map() };
    if (name) stage.name = name;
    const parent = stages.findIndex((s) => s.name !== undefined && s.name === image.toLowerCase());
    if (parent >= 0) {
      stage.parent = parent;
      return stage;
    }
    pendingFroms.push({ image, written: positional[0] ?? '', line, stage: stages.length });
    return stage;
  }

  /** The operating-system rules are final-image rules: they apply to the base of the final stage only. */
  function judgeFrom(image: string, written: string, line: number, final: boolean): void {
    if (image.includes('$')) {
      notes.push({ file, message: `Base image "${written.slice(0, 120)}" (line ${line}) depends on a build argument without a default value; it was not evaluated.` });
      return;
    }
    const reference = parseImageReference(image);
    if (!reference) {
      findings.push(findingOf(rules.unparsable, { file, line }, say['containers.unparsable'].invalidFrom({ image: image.slice(0, 120) }), `from:${image}`));
      return;
    }
    const verdict = judgeBaseImage(reference);
    if (verdict.status === 'no-os') return;
    if (!final) {
      // A builder stage's tag still decides what is built, so it is judged; its operating system is not shipped.
      if (pinningOf(reference) === 'floating') {
        const key = `${reference.registry ?? ''}/${reference.repository}`;
        findings.push(findingOf(rules.baseImageFloatingTag, { file, line },
          reference.tag ? say['containers.base-image-floating-tag'].latest({ image }) : say['containers.base-image-floating-tag'].noTag({ image }), key));
      }
      return;
    }
    const key = `${reference.registry ?? ''}/${reference.repository}`;
    if (pinningOf(reference) === 'floating') {
      findings.push(findingOf(rules.baseImageFloatingTag, { file, line },
        reference.tag ? say['containers.base-image-floating-tag'].latest({ image }) : say['containers.base-image-floating-tag'].noTag({ image }), key));
    } else if (pinningOf(reference) === 'tag') {
      findings.push(findingOf(rules.baseImageDigest, { file, line },
        say['containers.base-image-digest'].tagOnly({ image }), key));
    }
    switch (verdict.status) {
      case 'alpine':
        findings.push(findingOf(rules.baseImageAlpine, { file, line },
          say['containers.base-image-alpine'].alpine({ image }), key));
        break;
      case 'not-lts':
        findings.push(findingOf(rules.baseImageNotLts, { file, line },
          say['containers.base-image-not-lts'].notLts({ image, release: `${verdict.distribution}${verdict.version ? ` ${verdict.version}` : ''}` }), key));
        break;
      case 'lts':
        if (isEndOfLife(verdict.release, now)) {
          findings.push(findingOf(rules.baseImageEndOfLife, { file, line },
            say['containers.base-image-end-of-life'].endOfLife({ image, release: `${verdict.release.distribution} ${verdict.release.version}`, endOfLife: verdict.release.endOfLife }),
            `${key}:${verdict.release.distribution}:${verdict.release.version}`, { endOfLife: verdict.release.endOfLife }));
        }
        break;
      case 'unknown':
        findings.push(findingOf(rules.baseImageUnverified, { file, line },
          say['containers.base-image-unverified'].unknownOs({ image }), key));
        break;
      default:
        break;
    }
  }

  function checkSecret(keyword: string, name: string, value: string | null, line: number): void {
    if (value === null || value.trim() === '' || !secretName.test(name) || secretReferenceName.test(name) || upstreamDirective.test(name) || settingValue.test(value.trim())) return;
    if (/^\$\{?[A-Za-z_]/.test(value.trim())) return; // forwarded from another variable, not a literal
    findings.push(findingOf(rules.secretInBuildVariable, { file, line },
      say['containers.secret-in-env-or-arg'].literal({ keyword, name: name.slice(0, 100) }), `${keyword}:${name}`));
  }

  const finalIndex = stages.length - 1;
  let rootIndex: number | undefined = finalIndex;
  for (
    let hops = 0;
    rootIndex !== undefined && stages[rootIndex]?.parent !== undefined && hops <= stages.length;
    hops++
  )
    rootIndex = stages[rootIndex]?.parent;
  for (const from of pendingFroms) judgeFrom(from.image, from.written, from.line, from.stage === rootIndex);
  let baseImageUser: DockerfileResult['baseImageUser'];
  const chain: Stage[] = [];
  for (
    let i: number | undefined = finalIndex;
    i !== undefined && chain.length <= stages.length;
    i = stages[i]?.parent
  ) {
    const s = stages[i];
    if (!s) break;
    chain.push(s);
  }
  const finalStage = chain[0];
  const rootStage = chain[chain.length - 1];
  const user = chain.find((s) => s.user)?.user;
  const rootFrom = rootStage ? instructions.filter((i) => i.getKeyword().toUpperCase() === 'FROM').find((i) => lineOf(i) === rootStage.line) : undefined;
  const rootImage = rootFrom ? substitute(rootFrom.getArguments().map((a) => a.getValue()).find((a) => !a.startsWith('--')) ?? '', globalArgs) : '';
  const fromScratchOnly = rootImage.toLowerCase() === 'scratch';
  if (finalStage) {
    if (!user) {
      const base = parseImageReference(rootImage);
      const nonRoot = base ? knownNonRootImage(base) : undefined;
      if (nonRoot) {
        notes.push({ file, message: `The final stage sets no USER; base image ${rootImage.slice(0, 200)} runs unprivileged (${nonRoot}).` });
      } else if (!fromScratchOnly) {
        const finding = findingOf(rules.nonRootUser, { file, line: finalStage.line }, say['containers.non-root-user'].noUser({}), 'final-user', { baseImage: rootImage.slice(0, 300) });
        findings.push(finding);
        if (base && !rootImage.includes('$')) baseImageUser = { image: rootImage, fingerprint: finding.fingerprint };
      } else {
        findings.push(findingOf(rules.nonRootUser, { file, line: finalStage.line },
          say['containers.non-root-user'].scratchNoUser({}), 'final-user'));
      }
    } else if (user.value.includes('$')) {
      notes.push({ file, message: `USER ${user.value} (line ${user.line}) depends on a build argument without a default; the final user was not evaluated.` });
    } else {
      const name = (user.value.split(':')[0] ?? '').trim().toLowerCase();
      // ContainerAdministrator is the Windows equivalent of root.
      if (name === 'root' || /^0+$/.test(name) || name === 'containeradministrator') {
        findings.push(findingOf(rules.nonRootUser, { file, line: user.line },
          say['containers.non-root-user'].rootUser({ user: user.value.slice(0, 100) }), 'final-user'));
      }
    }
    for (const stage of chain) {
      for (const exposed of stage.exposes) {
        const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(exposed.port);
        if (!match) continue;
        const low = Number(match[1]);
        if (low <= 1024) {
          findings.push(findingOf(rules.exposedPort, { file, line: exposed.line },
            say['containers.exposed-port-above-1024'].lowPort({ port: exposed.port }), `expose:${exposed.port}`));
        }
      }
    }
  }
  return baseImageUser ? { findings, notes, baseImageUser } : { findings, notes };
}

function propertiesOf(instruction: Instruction): { name: string; value: string | null }[] {
  const withProperties = instruction as unknown as {
    getProperties?: () => { getName(): string; getValue(): string | null }[];
  };
  if (typeof withProperties.getProperties !== 'function') return [];
  return withProperties.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() }));
}
