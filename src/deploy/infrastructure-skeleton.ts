// A team that must deploy needs an "infrastructure" repository: the Kubernetes manifests the platform's GitOps
// repository points each environment at (its deploy path). This writes a first one for an application image —
// a Deployment, a Service and a NetworkPolicy that already follow the platform's rules (non-root, read-only root
// file system, probes, bounded resources, no egress), so its first run certifies — and a README that says what
// each file is for and what the deploy path means. Pure: the caller gives the names, the image and the port.

export interface SkeletonRequest {
  /** The project's identifier (slug). */
  project: string;
  /** Name of the workload (Deployment, Service, labels): usually the application repository's name. */
  application: string;
  /** Image reference, pinned by tag or digest (e.g. registry.example/premier-projet/bonjour:sha-1a2b…). */
  image: string;
  /** Port the container listens on (HTTP). */
  port: number;
  /** HTTP path answering the readiness and liveness probes. */
  healthPath: string;
  /** Folder of the manifests in the repository: the repository's « Chemin de déploiement ». */
  deployPath: string;
}

export interface SkeletonFile {
  path: string;
  content: string;
  /** Why this file is there, in both languages. */
  purpose: { fr: string; en: string };
}

export const skeletonDefaults = { port: 8080, healthPath: '/healthz', deployPath: 'deploy' } as const;

/** Kubernetes names: lower-case letters, digits and dashes, at most 63 characters, starting and ending alphanumeric. */
export function workloadName(raw: string): string {
  const name = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return name || 'application';
}

/** A deploy path as the platform stores it: relative, forward slashes, no `..`, no leading or trailing slash. */
export function normaliseDeployPath(raw: string): string {
  const parts = raw.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new Error('the deploy path must stay inside the repository');
  return parts.join('/') || '.';
}

const yamlString = (value: string) => JSON.stringify(value);

export function infrastructureSkeleton(request: SkeletonRequest): SkeletonFile[] {
  const name = workloadName(request.application);
  const dir = normaliseDeployPath(request.deployPath);
  const at = (file: string) => (dir === '.' ? file : `${dir}/${file}`);
  const port = request.port;
  const labels = `app.kubernetes.io/name: ${name}\n    app.kubernetes.io/part-of: ${workloadName(request.project)}`;

  const deployment = `# ${name}: deux réplicas sans privilège (profil « restricted » des Pod Security Standards), des sondes de santé,
# des ressources bornées et des métriques annoncées. L'image est celle que la chaîne a publiée et certifiée.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "${port}"
        prometheus.io/path: /metrics
    spec:
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 20
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: ${name}
          image: ${yamlString(request.image)}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: ${port}
              protocol: TCP
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            capabilities:
              drop:
                - ALL
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              cpu: 200m
              memory: 128Mi
          readinessProbe:
            httpGet:
              path: ${yamlString(request.healthPath)}
              port: http
          livenessProbe:
            httpGet:
              path: ${yamlString(request.healthPath)}
              port: http
`;
  const service = `# Adresse stable de ${name} dans son espace de noms (port 80 vers le port ${port} des conteneurs).
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
`;
  const networkPolicy = `# Seul le trafic HTTP entrant vers ${name} est admis ; aucune sortie. Ouvrez un flux (onglet « Environnements »
# de la console) pour chaque service dont l'application a besoin.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: ${port}
          protocol: TCP
`;
  const where = dir === '.' ? 'à la racine du dépôt' : `dans le dossier \`${dir}/\``;
  const whereEn = dir === '.' ? 'at the root of the repository' : `in the \`${dir}/\` folder`;
  const readme = `# Infrastructure de ${request.project}

Ce dépôt décrit comment l'application \`${name}\` tourne sur la plateforme. La chaîne secondaire le vérifie et le
certifie comme tout dépôt ; seules ses révisions certifiées sont déployées.

## Le chemin de déploiement

Le « Chemin de déploiement » du dépôt dans la console est le dossier dont les manifestes sont appliqués à chaque
environnement : ici \`${dir}\`. Pour un environnement, la plateforme écrit dans son dépôt GitOps une application
ArgoCD qui pointe sur ce dossier, à la révision certifiée choisie ; ArgoCD l'applique dans l'espace de noms de
l'environnement. Un fichier hors de ce dossier n'est pas déployé.

## Ce qu'il contient (${where})

- \`deployment.yaml\` : l'application (image, réplicas, sondes \`${request.healthPath}\`, ressources, utilisateur non privilégié) ;
- \`service.yaml\` : son adresse stable dans l'espace de noms ;
- \`networkpolicy.yaml\` : le trafic admis (entrant sur le port ${port} seulement).

L'image est \`${request.image}\`. Après chaque nouvelle révision certifiée de l'application, remplacez son étiquette
par \`sha-<commit>\` de cette révision (l'onglet « Dépôts » de la console la donne), puis poussez ce dépôt.

## Envoyer ce dépôt

\`\`\`sh
npx dso repos push --project ${request.project} --name <nom-du-dépôt> --dir .
\`\`\`

---

*English.* This repository holds the Kubernetes manifests of \`${name}\`, ${whereEn}: the repository's deploy path,
the folder each environment's ArgoCD application points at, at the certified revision chosen when deploying.
\`deployment.yaml\` runs the image, \`service.yaml\` gives it a stable address, \`networkpolicy.yaml\` admits inbound
HTTP on port ${port} only. Update the image tag to \`sha-<commit>\` of each new certified application revision.
`;
  return [
    { path: 'README.md', content: readme, purpose: { fr: 'Ce que contient le dépôt et ce que veut dire le chemin de déploiement.', en: 'What the repository holds and what the deploy path means.' } },
    { path: at('deployment.yaml'), content: deployment, purpose: { fr: 'L’application : image, réplicas, sondes, ressources, sans privilège.', en: 'The application: image, replicas, probes, resources, unprivileged.' } },
    { path: at('service.yaml'), content: service, purpose: { fr: 'Son adresse stable dans l’espace de noms de l’environnement.', en: 'Its stable address in the environment’s namespace.' } },
    { path: at('networkpolicy.yaml'), content: networkPolicy, purpose: { fr: 'Le trafic admis : HTTP entrant seulement, aucune sortie.', en: 'Allowed traffic: inbound HTTP only, no egress.' } },
  ];
}
