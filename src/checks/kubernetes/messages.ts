// The Kubernetes checker's message catalogue: each rule's description and finding messages, French and English.
// Messages about a container take its group (containers, initContainers, ephemeralContainers, or pod for the pod
// itself) and name.
import { bindCatalogue, message } from '../localise.ts';
import type { CataloguedMessage } from '../model.ts';

type Who = { group: string; container: string };
const whoFr = (p: Who) => p.group === 'pod' ? 'Le pod' : `${p.group === 'initContainers' ? 'Le conteneur d’initialisation' : p.group === 'ephemeralContainers' ? 'Le conteneur éphémère' : 'Le conteneur'} « ${p.container} »`;
const whoEn = (p: Who) => p.group === 'pod' ? 'The pod' : `${p.group === 'initContainers' ? 'Init container' : p.group === 'ephemeralContainers' ? 'Ephemeral container' : 'Container'} "${p.container}"`;
const lowerFr = (p: Who) => whoFr(p).replace(/^L/, 'l');
const lowerEn = (p: Who) => `container "${p.container}"`;

const d = (fr: string, en: string) => ({ fr, en });

export const kubernetesCatalogue = {
  'kubernetes.pod-security.host-process': {
    description: d('Les conteneurs Windows HostProcess obtiennent un accès au niveau de l’hôte et sont interdits.', 'Windows HostProcess containers get host-level access and are forbidden.'),
    messages: {
      pod: message(() => 'Le pod demande Windows HostProcess ; retirez securityContext.windowsOptions.hostProcess.', () => 'The pod asks for Windows HostProcess; remove securityContext.windowsOptions.hostProcess.'),
      container: message<Who>((p) => `${whoFr(p)} demande Windows HostProcess ; retirez-le.`, (p) => `${whoEn(p)} asks for Windows HostProcess; remove it.`),
    },
  },
  'kubernetes.pod-security.host-namespaces': {
    description: d('Les pods ne doivent partager ni le réseau, ni les PID, ni l’IPC de l’hôte.', 'Pods must not share the host network, PID or IPC namespace.'),
    messages: {
      shared: message<{ field: string }>((p) => `${p.field} vaut true ; retirez-le pour que le pod garde son propre espace de noms.`, (p) => `${p.field} is true; remove it so the pod keeps its own namespace.`),
    },
  },
  'kubernetes.pod-security.privileged': {
    description: d('Les conteneurs ne doivent pas s’exécuter en mode privilégié.', 'Containers must not run privileged.'),
    messages: {
      privileged: message<Who>((p) => `${whoFr(p)} s’exécute en mode privilégié ; retirez securityContext.privileged.`, (p) => `${whoEn(p)} runs privileged; remove securityContext.privileged.`),
    },
  },
  'kubernetes.pod-security.capabilities-add': {
    description: d(
      'Les conteneurs ne peuvent ajouter que NET_BIND_SERVICE (restricted), ou que des capacités de l’ensemble par défaut du moteur (baseline).',
      'Containers may add only NET_BIND_SERVICE (restricted), or only capabilities of the runtime default set (baseline).'),
    messages: {
      added: message<Who & { capability: string }>((p) => `${whoFr(p)} ajoute la capacité ${p.capability} ; seule NET_BIND_SERVICE est permise.`, (p) => `${whoEn(p)} adds capability ${p.capability}; only NET_BIND_SERVICE is allowed.`),
      beyondDefault: message<Who & { capability: string }>(
        (p) => `${whoFr(p)} ajoute la capacité ${p.capability}, hors de l’ensemble par défaut du moteur de conteneurs.`,
        (p) => `${whoEn(p)} adds capability ${p.capability}, beyond the container runtime's default set.`),
    },
  },
  'kubernetes.pod-security.capabilities-drop-all': {
    description: d('Les conteneurs doivent retirer TOUTES les capacités Linux.', 'Containers must drop ALL Linux capabilities.'),
    messages: {
      notDropped: message<Who>((p) => `${whoFr(p)} doit retirer toutes les capacités (securityContext.capabilities.drop: [ALL]).`, (p) => `${whoEn(p)} must drop all capabilities (securityContext.capabilities.drop: [ALL]).`),
    },
  },
  'kubernetes.pod-security.host-path': {
    description: d('Les pods ne doivent pas monter de volumes hostPath.', 'Pods must not mount hostPath volumes.'),
    messages: {
      hostPath: message<{ volume: string }>((p) => `Le volume « ${p.volume} » monte un chemin du nœud (hostPath) ; utilisez un persistentVolumeClaim ou un emptyDir.`, (p) => `Volume "${p.volume}" mounts a path of the node (hostPath); use a persistentVolumeClaim or emptyDir.`),
    },
  },
  'kubernetes.pod-security.volume-types': {
    description: d(
      'Seuls les volumes configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected et secret sont permis.',
      'Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes are allowed.'),
    messages: {
      type: message<{ volume: string; type: string }>(
        (p) => `Le volume « ${p.volume} » est de type ${p.type}, interdit par le profil restricted ; utilisez un persistentVolumeClaim, un volume csi ou projected.`,
        (p) => `Volume "${p.volume}" has type ${p.type}, not allowed by the restricted profile; use a persistentVolumeClaim, csi or projected volume.`),
    },
  },
  'kubernetes.pod-security.host-ports': {
    description: d('Les conteneurs ne doivent pas ouvrir de ports de l’hôte.', 'Containers must not bind host ports.'),
    messages: {
      hostPort: message<Who & { port: number | string }>((p) => `${whoFr(p)} ouvre le port ${p.port} de l’hôte ; exposez-le par un Service.`, (p) => `${whoEn(p)} binds host port ${p.port}; expose it through a Service instead.`),
    },
  },
  'kubernetes.pod-security.apparmor': {
    description: d('AppArmor ne doit pas être désactivé : seuls le profil par défaut du moteur ou un profil local sont permis.', 'AppArmor must not be disabled: only the runtime default or a localhost profile is allowed.'),
    messages: {
      annotation: message<{ annotation: string; value: string }>(
        (p) => `L’annotation ${p.annotation}=${p.value} désactive AppArmor ; utilisez runtime/default ou localhost/<profil>.`,
        (p) => `Annotation ${p.annotation}=${p.value} disables AppArmor; use runtime/default or localhost/<profile>.`),
      profile: message<Who & { type: string }>((p) => `${whoFr(p)} définit le profil AppArmor ${p.type} ; utilisez RuntimeDefault ou Localhost.`, (p) => `${whoEn(p)} sets AppArmor profile ${p.type}; use RuntimeDefault or Localhost.`),
    },
  },
  'kubernetes.pod-security.selinux': {
    description: d('Les options SELinux ne peuvent définir qu’un type de conteneur permis, jamais un utilisateur ni un rôle.', 'SELinux options may set only an allowed container type, and never a user or role.'),
    messages: {
      type: message<Who & { type: string; allowed: string }>(
        (p) => `${whoFr(p)} définit le type SELinux ${p.type} ; seuls ${p.allowed} sont permis.`,
        (p) => `${whoEn(p)} sets SELinux type ${p.type}; only ${p.allowed} are allowed.`),
      field: message<Who & { field: string }>((p) => `${whoFr(p)} définit SELinux ${p.field} ; retirez-le.`, (p) => `${whoEn(p)} sets SELinux ${p.field}; remove it.`),
    },
  },
  'kubernetes.pod-security.proc-mount': {
    description: d('Le montage /proc doit rester Default (masqué).', 'The /proc mount type must stay Default (masked).'),
    messages: {
      procMount: message<Who & { value: string }>((p) => `${whoFr(p)} définit procMount ${p.value} ; retirez-le.`, (p) => `${whoEn(p)} sets procMount ${p.value}; remove it.`),
    },
  },
  'kubernetes.pod-security.seccomp': {
    description: d(
      'Un profil seccomp RuntimeDefault ou Localhost doit être défini pour le pod ou chaque conteneur, jamais Unconfined.',
      'A seccomp profile RuntimeDefault or Localhost must be set for the pod or every container, never Unconfined.'),
    messages: {
      pod: message<{ profile: string }>((p) => `Le profil seccomp du pod est ${p.profile} ; utilisez RuntimeDefault.`, (p) => `The pod seccomp profile is ${p.profile}; use RuntimeDefault.`),
      annotation: message<{ annotation: string }>((p) => `L’annotation ${p.annotation}=unconfined désactive seccomp ; utilisez runtime/default.`, (p) => `Annotation ${p.annotation}=unconfined disables seccomp; use runtime/default.`),
      container: message<Who & { profile: string }>((p) => `${whoFr(p)} utilise le profil seccomp ${p.profile} ; utilisez RuntimeDefault.`, (p) => `${whoEn(p)} uses seccomp profile ${p.profile}; use RuntimeDefault.`),
      missing: message<Who>(
        (p) => `${whoFr(p)} n’a pas de profil seccomp ; définissez securityContext.seccompProfile.type: RuntimeDefault sur le pod ou le conteneur.`,
        (p) => `${whoEn(p)} has no seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container.`),
    },
  },
  'kubernetes.pod-security.sysctls': {
    description: d('Seuls les sysctls sûrs et propres à l’espace de noms peuvent être définis.', 'Only the namespaced, safe sysctls may be set.'),
    messages: {
      unsafe: message<{ sysctl: string; version: string }>(
        (p) => `Le sysctl « ${p.sysctl} » n’est pas dans l’ensemble sûr des Pod Security Standards ${p.version} ; retirez-le.`,
        (p) => `Sysctl "${p.sysctl}" is not in the safe set of Pod Security Standards ${p.version}; remove it.`),
    },
  },
  'kubernetes.pod-security.allow-privilege-escalation': {
    description: d('Les conteneurs doivent définir allowPrivilegeEscalation: false.', 'Containers must set allowPrivilegeEscalation: false.'),
    messages: {
      escalation: message<Who>((p) => `${whoFr(p)} doit définir securityContext.allowPrivilegeEscalation: false.`, (p) => `${whoEn(p)} must set securityContext.allowPrivilegeEscalation: false.`),
    },
  },
  'kubernetes.pod-security.run-as-non-root': {
    description: d('Les pods ou tous leurs conteneurs doivent définir runAsNonRoot: true.', 'Pods or all their containers must set runAsNonRoot: true.'),
    messages: {
      false: message<Who>((p) => `${whoFr(p)} définit runAsNonRoot: false ; passez-le à true.`, (p) => `${whoEn(p)} sets runAsNonRoot: false; set it to true.`),
      missing: message<Who>(
        (p) => `${whoFr(p)} peut s’exécuter en root : définissez runAsNonRoot: true dans le securityContext du pod ou du conteneur.`,
        (p) => `${whoEn(p)} may run as root: set runAsNonRoot: true on the pod or the container securityContext.`),
    },
  },
  'kubernetes.pod-security.run-as-user': {
    description: d('runAsUser ne doit pas valoir 0 (root).', 'runAsUser must not be 0 (root).'),
    messages: {
      root: message<Who>((p) => `${whoFr(p)} définit runAsUser: 0 (root) ; utilisez un UID non privilégié comme 10001.`, (p) => `${whoEn(p)} sets runAsUser: 0 (root); use an unprivileged UID such as 10001.`),
    },
  },
  'kubernetes.pod-security.host-probes': {
    description: d(
      'Les sondes et les gestionnaires de cycle de vie ne doivent pas définir d’hôte : ils joindraient une autre machine depuis le nœud.',
      'Probes and lifecycle handlers must not set a host: they would reach another machine from the node.'),
    messages: {
      host: message<Who & { handler: string; action: string; host: string }>(
        (p) => `${whoFr(p)} envoie son ${p.handler} ${p.action} à l’hôte ${p.host} ; retirez le champ host (la vérification vise alors l’adresse du pod).`,
        (p) => `${whoEn(p)} sends its ${p.handler} ${p.action} to host ${p.host}; remove the host field (the check then targets the pod's own address).`),
    },
  },
  'kubernetes.unparsable': {
    description: d('Un manifeste Kubernetes n’a pas pu être lu comme du YAML ; il n’a pas été évalué.', 'A Kubernetes manifest could not be parsed as YAML, so it was not evaluated.'),
    messages: {
      parse: message<{ reason: string }>((p) => `Le manifeste n’a pas pu être lu : ${p.reason}.`, (p) => `Could not read the manifest: ${p.reason}.`),
    },
  },
  'kubernetes.schema-invalid': {
    description: d('Un objet Kubernetes ne respecte pas le schéma d’API de sa sorte et serait refusé par le cluster.', 'A Kubernetes object does not match the API schema of its kind and would be rejected by the cluster.'),
    messages: {
      schema: message<{ problem: string }>((p) => `non conforme au schéma : ${p.problem}`, (p) => p.problem),
    },
  },
  'kubernetes.unknown-field': {
    description: d(
      'Une charge de travail a un champ inconnu de l’API Kubernetes (souvent une faute de frappe ou d’indentation) ; il serait ignoré ou refusé.',
      'A workload has a field the Kubernetes API does not know (often a typo or wrong indentation); it would be ignored or rejected.'),
    messages: {
      unknown: message<{ field: string }>((p) => `champ inconnu « ${p.field} » (faute de frappe ou d’indentation ?).`, (p) => `unknown field "${p.field}" (typo or wrong indentation?).`),
    },
  },
  'kubernetes.container-port-above-1024': {
    description: d('Un conteneur déclare un port inférieur ou égal à 1024, ce qui demande des privilèges.', 'A container declares a port at or below 1024, which needs privileges to bind.'),
    messages: {
      low: message<Who & { port: number }>((p) => `${lowerFr(p)} écoute sur le port ${p.port} ; utilisez un port supérieur à 1024 (par ex. 8080).`, (p) => `${lowerEn(p)} listens on port ${p.port}; use a port above 1024 (e.g. 8080).`),
    },
  },
  'kubernetes.service-port-above-1024': {
    description: d('Un Service vise un port de conteneur inférieur ou égal à 1024.', 'A Service targets a container port at or below 1024.'),
    messages: {
      low: message<{ port: number }>(
        (p) => `le Service envoie le trafic au port ${p.port} du conteneur ; faites écouter le conteneur au-dessus de 1024 (par ex. 8080) et réglez targetPort en conséquence.`,
        (p) => `the Service sends traffic to container port ${p.port}; make the container listen above 1024 (e.g. 8080) and set targetPort to it.`),
    },
  },
  'kubernetes.resource-requests': {
    description: d('Les conteneurs doivent demander du CPU et de la mémoire pour que l’ordonnanceur puisse les placer.', 'Containers must request CPU and memory so the scheduler can place them.'),
    messages: {
      missing: message<Who & { resources: string }>(
        (p) => `${lowerFr(p)} n’a pas de demande ${p.resources.split(',').join(' ni ')}.`,
        (p) => `${lowerEn(p)} has no ${p.resources.split(',').join(' and ')} request.`),
    },
  },
  'kubernetes.resource-limits': {
    description: d(
      'Les conteneurs doivent fixer une limite de mémoire (et peuvent fixer une limite de CPU) pour qu’un pod ne puisse pas affamer le nœud.',
      'Containers must set a memory limit (and may set a CPU limit) so one pod cannot starve the node.'),
    messages: {
      memory: message<Who>((p) => `${lowerFr(p)} n’a pas de limite de mémoire.`, (p) => `${lowerEn(p)} has no memory limit.`),
    },
  },
  'kubernetes.liveness-probe': {
    description: d('Les conteneurs de longue durée doivent déclarer une sonde de vivacité (liveness).', 'Long-running containers must declare a liveness probe.'),
    messages: {
      missing: message<Who>((p) => `${lowerFr(p)} n’a pas de livenessProbe.`, (p) => `${lowerEn(p)} has no livenessProbe.`),
    },
  },
  'kubernetes.readiness-probe': {
    description: d('Les conteneurs de longue durée doivent déclarer une sonde de disponibilité (readiness).', 'Long-running containers must declare a readiness probe.'),
    messages: {
      missing: message<Who>((p) => `${lowerFr(p)} n’a pas de readinessProbe.`, (p) => `${lowerEn(p)} has no readinessProbe.`),
    },
  },
  'kubernetes.image-floating-tag': {
    description: d(
      'Une image de conteneur n’a pas d’étiquette ou utilise `latest` : ce qui tourne n’est pas défini par les manifestes versionnés.',
      'A container image has no tag or uses `latest`, so what runs is not defined by the versioned manifests.'),
    messages: {
      floating: message<Who & { image: string }>(
        (p) => `${lowerFr(p)} utilise l’image ${p.image} sans étiquette fixe ; épinglez une version ou une empreinte.`,
        (p) => `${lowerEn(p)} uses image ${p.image} without a fixed tag; pin a version or digest.`),
    },
  },
} as const;

export const say = bindCatalogue(kubernetesCatalogue);

/** Prefixes a message with the object it is about (`Deployment shop/web: …`), in both languages. */
export function about(object: string, said: CataloguedMessage): CataloguedMessage {
  if (!object) return said;
  return { id: said.id, params: { object, ...said.params }, text: { fr: `${object} : ${said.text.fr}`, en: `${object}: ${said.text.en}` } };
}
