// The container checker's message catalogue: each rule's description and finding messages, French and English.
import { bindCatalogue, message } from '../localise.ts';

export const containerCatalogue = {
  'containers.unparsable': {
    description: {
      fr: 'Le Dockerfile n’a pas pu être lu comme une suite d’instructions de construction ; il n’a pas été évalué.',
      en: 'The Dockerfile could not be read as a sequence of build instructions, so it was not evaluated.',
    },
    messages: {
      parse: message<{ reason: string }>((p) => `Le Dockerfile n’a pas pu être analysé : ${p.reason}`, (p) => `Dockerfile could not be parsed: ${p.reason}`),
      unknownInstruction: message<{ keyword: string }>(
        (p) => `Instruction inconnue « ${p.keyword} » : le fichier n’est pas un Dockerfile valide et n’a pas été évalué.`,
        (p) => `Unknown instruction "${p.keyword}": the file is not a valid Dockerfile and was not evaluated.`),
      noFrom: message(
        () => 'Aucune instruction FROM : le fichier n’est pas un Dockerfile valide et n’a pas été évalué.',
        () => 'No FROM instruction: the file is not a valid Dockerfile and was not evaluated.'),
      beforeFrom: message<{ keyword: string }>(
        (p) => `${p.keyword} apparaît avant le premier FROM : le fichier n’est pas un Dockerfile valide et n’a pas été évalué.`,
        (p) => `${p.keyword} appears before the first FROM: the file is not a valid Dockerfile and was not evaluated.`),
      invalidFrom: message<{ image: string }>((p) => `FROM ne désigne aucune image valide (« ${p.image} »).`, (p) => `FROM names no valid image ("${p.image}").`),
    },
  },
  'containers.base-image-alpine': {
    description: {
      fr: 'L’image est construite sur Alpine Linux, que le cadre demande d’éviter faute de support à long terme.',
      en: 'The image is built from Alpine Linux, which the framework asks to avoid for lack of long-term support.',
    },
    messages: {
      alpine: message<{ image: string }>(
        (p) => `L’image de base ${p.image} est Alpine Linux ; utilisez une distribution à support long (Debian, Ubuntu LTS, UBI, Rocky, Alma…).`,
        (p) => `Base image ${p.image} is Alpine Linux; use a long-term-support distribution (Debian, Ubuntu LTS, UBI, Rocky, Alma…).`),
    },
  },
  'containers.base-image-not-lts': {
    description: {
      fr: 'L’image de base provient d’une distribution ou d’une version sans support à long terme.',
      en: 'The base image comes from a distribution or release without long-term support.',
    },
    messages: {
      notLts: message<{ image: string; release: string }>(
        (p) => `L’image de base ${p.image} est ${p.release}, qui n’est pas une version à support long.`,
        (p) => `Base image ${p.image} is ${p.release}, which is not a long-term-support release.`),
    },
  },
  'containers.base-image-end-of-life': {
    description: {
      fr: 'La version de l’image de base est en fin de vie et ne reçoit plus de correctifs de sécurité.',
      en: 'The base image release has reached its end of life and no longer receives security updates.',
    },
    messages: {
      endOfLife: message<{ image: string; release: string; endOfLife: string }>(
        (p) => `L’image de base ${p.image} est ${p.release}, hors support depuis le ${p.endOfLife} ; passez à une version maintenue.`,
        (p) => `Base image ${p.image} is ${p.release}, out of support since ${p.endOfLife}; move to a supported release.`),
    },
  },
  'containers.base-image-unverified': {
    description: {
      fr: 'Le système d’exploitation de l’image de base n’a pas pu être identifié ; nommez-le dans l’étiquette (par ex. -bookworm).',
      en: 'The operating system of the base image could not be identified; name it in the tag (e.g. -bookworm).',
    },
    messages: {
      unknownOs: message<{ image: string }>(
        (p) => `Le système d’exploitation de l’image de base ${p.image} n’a pas pu être identifié ; préférez une étiquette qui le nomme (par ex. -bookworm, -ubi9) ou une image de système.`,
        (p) => `The operating system of base image ${p.image} could not be identified; prefer a tag naming it (e.g. -bookworm, -ubi9) or an OS image.`),
    },
  },
  'containers.base-image-floating-tag': {
    description: {
      fr: 'Une image de base n’a pas d’étiquette ou utilise `latest` : la version du système peut changer sans prévenir.',
      en: 'A base image has no tag or uses `latest`, so the operating system release can change without notice.',
    },
    messages: {
      latest: message<{ image: string }>(
        (p) => `L’image de base ${p.image} utilise l’étiquette « latest » ; nommez une version (par ex. debian:12-slim) pour que la version du système soit connue et stable.`,
        (p) => `Base image ${p.image} uses the "latest" tag; name a release (e.g. debian:12-slim) so the OS version is known and stable.`),
      noTag: message<{ image: string }>(
        (p) => `L’image de base ${p.image} n’a pas d’étiquette ; nommez une version (par ex. debian:12-slim) pour que la version du système soit connue et stable.`,
        (p) => `Base image ${p.image} has no tag; name a release (e.g. debian:12-slim) so the OS version is known and stable.`),
    },
  },
  'containers.base-image-digest': {
    description: {
      fr: 'Une image de base n’est désignée que par son étiquette ; épingler son empreinte rend les reconstructions reproductibles.',
      en: 'A base image is referenced by tag only; pinning its digest makes rebuilds reproducible.',
    },
    messages: {
      tagOnly: message<{ image: string }>(
        (p) => `L’image de base ${p.image} n’est épinglée que par son étiquette ; ajoutez son empreinte (@sha256:…) pour des reconstructions reproductibles.`,
        (p) => `Base image ${p.image} is pinned by tag only; add its digest (@sha256:…) to make rebuilds reproducible.`),
    },
  },
  'containers.non-root-user': {
    description: {
      fr: 'L’étape finale de l’image s’exécute en root (aucune instruction USER, ou USER root/0, et une image de base qui tourne en root).',
      en: 'The final stage of the image runs as root (no USER instruction, or USER root/0, and a base image that runs as root).',
    },
    messages: {
      noUser: message(
        () => 'L’étape finale ne définit pas USER : le conteneur s’exécute en root ; ajoutez par ex. `USER 10001` après la dernière étape d’installation.',
        () => 'The final stage sets no USER, so the container runs as root; add e.g. `USER 10001` after the last installation step.'),
      scratchNoUser: message(
        () => 'L’étape finale (FROM scratch) ne définit pas USER : le processus s’exécute avec l’UID 0 ; ajoutez `USER 10001`.',
        () => 'The final stage (FROM scratch) sets no USER, so the process runs as UID 0; add `USER 10001`.'),
      baseRunsAsRoot: message<{ image: string; user: string }>(
        (p) => `L’étape finale ne définit pas USER et l’image de base ${p.image} s’exécute en ${p.user} ; ajoutez par ex. \`USER 10001\`.`,
        (p) => `The final stage sets no USER and base image ${p.image} runs as ${p.user}; add e.g. \`USER 10001\`.`),
      rootUser: message<{ user: string }>(
        (p) => `L’étape finale s’exécute en ${p.user} ; passez à un utilisateur non privilégié (par ex. USER 10001).`,
        (p) => `The final stage runs as ${p.user}; switch to an unprivileged user (e.g. USER 10001).`),
    },
  },
  'containers.exposed-port-above-1024': {
    description: {
      fr: 'L’image expose un port inférieur ou égal à 1024, ce qui demande des privilèges pour l’ouvrir.',
      en: 'The image exposes a port at or below 1024, which needs privileges to bind.',
    },
    messages: {
      lowPort: message<{ port: string }>(
        (p) => `EXPOSE ${p.port} : écoutez sur un port supérieur à 1024 (par ex. 8080) pour que le processus n’ait besoin d’aucun privilège.`,
        (p) => `EXPOSE ${p.port}: listen on a port above 1024 (e.g. 8080) so the process needs no privilege.`),
    },
  },
  'containers.add-remote-url': {
    description: {
      fr: 'ADD télécharge une URL distante à la construction sans contrôle d’intégrité ; téléchargez-la et vérifiez-la dans une étape RUN.',
      en: 'ADD downloads a remote URL at build time without integrity check; fetch and verify it in a RUN step instead.',
    },
    messages: {
      remote: message<{ url: string }>(
        (p) => `ADD récupère ${p.url} à la construction ; téléchargez-le dans une étape RUN en vérifiant sa somme de contrôle, ou utilisez ADD --checksum.`,
        (p) => `ADD fetches ${p.url} at build time; download it in a RUN step and verify its checksum, or use ADD --checksum.`),
    },
  },
  'containers.secret-in-env-or-arg': {
    description: {
      fr: 'Une variable ENV ou ARG d’allure secrète reçoit une valeur littérale, conservée dans les couches et l’historique de l’image.',
      en: 'A secret-looking ENV or ARG is given a literal value, which is stored in the image layers and history.',
    },
    messages: {
      literal: message<{ keyword: string; name: string }>(
        (p) => `${p.keyword} ${p.name} reçoit une valeur littérale (masquée) ; transmettez les secrets à l’exécution ou avec RUN --mount=type=secret.`,
        (p) => `${p.keyword} ${p.name} is given a literal value (masked); pass secrets at run time or with RUN --mount=type=secret.`),
    },
  },
} as const;

/** The catalogue's messages, ready to render: `say['containers.non-root-user'].noUser({})`. */
export const say = bindCatalogue(containerCatalogue);
