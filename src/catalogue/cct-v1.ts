// Version 1 of the CCT catalogue as data: the 58 requirements of the Cloud π Native framework, titled and
// summarised in our own words, each with how the platform establishes it. A new version is a new file
// (cct-v2.ts…); projects are re-evaluated against it and `diffCatalogues` shows what changed.
import type { Assessment, AttestorRole, Catalogue, EvidenceKind, LocalisedText, Requirement } from './model.ts';

const t = (fr: string, en: string): LocalisedText => ({ fr, en });

const automated = (...rules: string[]): Assessment => ({ kind: 'automated', rules });

const attested = (
  roles: AttestorRole[],
  expects: LocalisedText,
  options: { evidence?: EvidenceKind[]; validityDays?: number; perEnvironment?: boolean } = {},
): Assessment => ({
  kind: 'attested',
  roles,
  evidence: options.evidence ?? ['document', 'link', 'text'],
  validityDays: options.validityDays ?? 365,
  expects,
  ...(options.perEnvironment ? { perEnvironment: true } : {}),
});

const inherited = (how: LocalisedText): Assessment => ({ kind: 'inherited', how });

const req = (r: Requirement): Requirement => r;

const requirements: Requirement[] = [
  req({
    id: 'EX1', level: 'I', category: 'standards', nature: 'ministerial',
    title: t("Respect des référentiels de l'État", 'State standards followed'),
    summary: t(
      "La solution suit les normes industrielles, européennes et de l'État qui la concernent (accessibilité RGAA, sécurité RGS, interopérabilité RGI, système de design de l'État, doctrine cloud).",
      'The solution follows the industry, European and government standards that apply to it (RGAA accessibility, RGS security, RGI interoperability, the State design system, the cloud doctrine).',
    ),
    assessments: [attested(['owner'], t("Déclaration ou audit de conformité aux référentiels (ex. déclaration d'accessibilité).", 'Conformity statement or audit against those standards (e.g. accessibility statement).'))],
  }),
  req({
    id: 'EX2', level: 'P', category: 'standards', nature: 'ministerial',
    title: t('Pas de norme locale contraire', 'No conflicting local rule'),
    summary: t(
      'Aucune consigne de rang inférieur ne peut assouplir ni fragmenter ces exigences.',
      'No lower-ranking instruction may weaken or split these requirements.',
    ),
    assessments: [inherited(t(
      'La plateforme évalue chaque projet contre le même catalogue ; seul un officier de sécurité peut accorder une dérogation, datée et bornée.',
      'The platform evaluates every project against the same catalogue; only a security officer can grant an exception, dated and time-boxed.',
    ))],
  }),
  req({
    id: 'EX3', level: 'P', category: 'standards', nature: 'ministerial',
    title: t('Primauté du cadre et version à jour', 'Framework prevails, latest version used'),
    summary: t(
      "En cas de contradiction entre documents d'un marché, le cadre et sa liste d'exigences l'emportent ; on se réfère à leur dernière version.",
      'When documents of a procurement disagree, the framework and its requirement list win; their latest version is the reference.',
    ),
    assessments: [inherited(t(
      'La console évalue toujours contre la dernière version publiée du catalogue et affiche cette version dans chaque résultat et dossier.',
      'The console always evaluates against the latest published catalogue version and shows that version in every result and dossier.',
    ))],
  }),
  req({
    id: 'EX4', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Responsabilité de la qualité par les concepteurs', 'Builders own quality and security'),
    summary: t(
      "L'équipe qui conçoit et développe répond de la qualité continue de la solution et corrige tout défaut de sécurité avant la mise en production.",
      'The team that designs and builds answers for the ongoing quality of the solution and fixes every security defect before production.',
    ),
    assessments: [
      automated('secrets.*', 'dependencies.vulnerable-package'),
      attested(['owner'], t("Engagement signé de l'équipe sur le modèle de responsabilité.", "The team's signed commitment to the responsibility model.")),
    ],
  }),
  req({
    id: 'EX5', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Usine logicielle raccordée à la chaîne', 'Software factory wired to the chain'),
    summary: t(
      "La forge de l'équipe est raccordée techniquement à la chaîne DevSecOps, et l'équipe garde disponible et sûr le dépôt de référence du code et de l'infrastructure.",
      "The team's forge is technically connected to the DevSecOps chain, and the team keeps the reference repository of code and infrastructure available and secure.",
    ),
    assessments: [attested(['owner', 'devops'], t('Lien vers le dépôt de référence et preuve du raccordement (webhook ou appel CI).', 'Link to the reference repository and proof of the connection (webhook or CI call).'))],
  }),
  req({
    id: 'EX6', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Qui construit exploite', 'You build it, you run it'),
    summary: t(
      "L'équipe répond du bon fonctionnement de son application en production, en lien avec l'hébergeur si besoin.",
      'The team answers for its application working in production, together with the hosting provider when needed.',
    ),
    assessments: [attested(['owner'], t("Organisation d'astreinte ou de support de production.", 'On-call or production support arrangement.'))],
  }),
  req({
    id: 'EX7', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Sauvegardes pilotées par l’application', 'Backups driven by the application'),
    summary: t(
      "Organiser les sauvegardes incombe à l'application, pas à la plateforme.",
      'Arranging backups is the application’s job, not the platform’s.',
    ),
    assessments: [attested(['owner', 'devops'], t('Plan de sauvegarde (périmètre, fréquence, rétention).', 'Backup plan (scope, frequency, retention).'))],
  }),
  req({
    id: 'EX8', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Restauration testée régulièrement', 'Restore regularly rehearsed'),
    summary: t(
      "L'équipe vérifie souvent, selon un scénario préparé, qu'elle sait reconstruire toute l'architecture et ses données.",
      'The team often checks, following a prepared scenario, that it can rebuild the whole architecture and its data.',
    ),
    assessments: [attested(['devops', 'owner'], t('Compte rendu du dernier exercice de restauration.', 'Report of the last restore exercise.'), { validityDays: 180, perEnvironment: true })],
  }),
  req({
    id: 'EX9', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t("Tests fonctionnels de l'interface", 'Front-end functional tests'),
    summary: t(
      "Les tests de l'interface couvrent assez de parcours pour détecter une régression importante.",
      'Front-end tests cover enough user journeys to catch a major regression.',
    ),
    assessments: [attested(['owner', 'devops'], t("Plan de tests de l'interface et dernier rapport d'exécution.", 'Front-end test plan and latest run report.'))],
  }),
  req({
    id: 'EX10', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Couverture complète des tests du back-end', 'Full back-end unit test coverage'),
    summary: t(
      'Les tests unitaires du back-end couvrent la totalité du code.',
      'Back-end unit tests cover all of the code.',
    ),
    assessments: [automated('test-reports.*')],
  }),
  req({
    id: 'EX11', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Signalement et contribution', 'Report and contribute fixes'),
    summary: t(
      "L'équipe remonte les défauts et besoins qu'elle constate sur la chaîne, et propose des corrections testées sur son dépôt.",
      'The team reports the defects and needs it notices in the chain, and proposes tested fixes to the repository.',
    ),
    assessments: [attested(['owner'], t('Liens vers des tickets ou contributions récents.', 'Links to recent issues or contributions.'))],
  }),
  req({
    id: 'EX12', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Retour des anomalies au plus tôt (shift-left)', 'Early feedback loop (shift-left)'),
    summary: t(
      "Les erreurs de la chaîne secondaire reviennent dans le flux de travail de l'équipe ; cette chaîne reconstruit, reteste, et bloque si la qualité baisse ou si une vulnérabilité critique subsiste.",
      "Errors from the secondary chain flow back into the team's workflow; that chain rebuilds, retests, and blocks when quality drops or a critical vulnerability remains.",
    ),
    assessments: [
      inherited(t(
        'La chaîne secondaire reconstruit et analyse chaque révision, bloque la certification sur vulnérabilité critique ou baisse de qualité, et notifie l’équipe (webhook, statut de commit, courriel).',
        'The secondary chain rebuilds and scans every revision, refuses certification on a critical vulnerability or a quality drop, and notifies the team (webhook, commit status, e-mail).',
      )),
      automated('dependencies.vulnerable-package'),
      attested(['owner', 'devops'], t("Preuve que les notifications arrivent dans l'outil de suivi de l'équipe.", "Proof that notifications land in the team's tracker.")),
    ],
  }),
  req({
    id: 'EX13', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Construction et déploiement par la chaîne', 'Build and deployment by the chain operator'),
    summary: t(
      "C'est l'exploitant de la chaîne d'intégration et de déploiement qui construit l'application, lance les tests livrés par l'équipe et la déploie.",
      'The CI/CD chain operator builds, runs the supplied tests and deploys the application.',
    ),
    assessments: [inherited(t(
      'Chaque image est construite, testée et déployée par la chaîne secondaire de la plateforme.',
      "Every image is built, tested and deployed by the platform's secondary chain.",
    ))],
  }),
  req({
    id: 'EX14', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Aucune intervention manuelle en production', 'No hands-on change in production'),
    summary: t(
      "Personne ne modifie la production directement ni n'utilise l'API du cluster ; tout changement passe par une version du dépôt GitOps.",
      'Nobody changes production directly or uses the cluster API; every change goes through a version of the GitOps repository.',
    ),
    assessments: [
      inherited(t(
        "Les équipes n'ont aucun accès au cluster : la console écrit l'état voulu dans le dépôt GitOps, que l'outil de déploiement applique.",
        'Teams get no cluster access: the console writes the desired state into the GitOps repository, which the deployment tool applies.',
      )),
      // Manifests must pin what they deploy (no floating image tag), or the GitOps version is not the truth.
      automated('kubernetes.*'),
    ],
  }),
  req({
    id: 'EX15', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Tout est fourni et contrôlé', 'Everything supplied, everything checked'),
    summary: t(
      "L'équipe fournit de quoi construire, tester, exécuter et déployer l'application et ses flux réseau ; la chaîne contrôle strictement la conformité de cette infrastructure et de ces ouvertures réseau à la politique de sécurité.",
      'The team supplies what is needed to build, test, run and deploy the application and its network flows; the chain checks the infrastructure and flows against the security policy.',
    ),
    assessments: [automated('containers.*', 'kubernetes.*')],
  }),
  req({
    id: 'EX16', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Raccordement entretenu et webhook de retour', 'Maintained connection and feedback webhook'),
    summary: t(
      "Pendant toute la durée du contrat, l'équipe garde opérationnels le raccordement de sa forge et le webhook qui lui renvoie les résultats.",
      'For the whole contract, the team keeps its forge connection and the webhook that sends results back working.',
    ),
    assessments: [attested(['devops', 'owner'], t('Configuration du webhook et preuve de réception récente.', 'Webhook configuration and proof of a recent delivery.'))],
  }),
  req({
    id: 'EX17', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Agilité et petites livraisons', 'Agile, small continuous deliveries'),
    summary: t(
      "L'équipe travaille de manière agile et livre en continu par petits lots.",
      'The team works in an agile way and delivers continuously in small batches.',
    ),
    assessments: [attested(['owner'], t("Description de l'organisation et du rythme de livraison.", 'Description of the team organisation and delivery pace.'))],
  }),
  req({
    id: 'EX18', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Collaboration continue du développement à la production', 'Continuous collaboration from development to production'),
    summary: t(
      "Les acteurs collaborent en continu sur les livraisons ; l'observabilité sert à vérifier l'adéquation au besoin, et qualité, disponibilité et sécurité sont tenues jusqu'en production.",
      'People collaborate continuously on deliveries; observability is used to check fitness for the need, and quality, availability and security are held up to production.',
    ),
    assessments: [attested(['owner'], t('Modalités de collaboration (rituels, indicateurs suivis, tableaux de bord).', 'Collaboration arrangements (routines, tracked indicators, dashboards).'))],
  }),
  req({
    id: 'EX19', level: 'P', category: 'infrastructure', nature: 'ministerial',
    title: t('Disponibilité cible définie par la direction', 'Target availability owned by the application'),
    summary: t(
      "La direction d'application fixe la disponibilité visée et l'architecture technique et humaine qui la permet, à l'aide de l'offre de l'hébergeur.",
      'The application owner sets the availability target and the technical and human architecture that delivers it, using the operator’s services.',
    ),
    assessments: [attested(['owner'], t("Disponibilité cible et dossier d'architecture correspondant.", 'Availability target and the matching architecture document.'))],
  }),
  req({
    id: 'EX20', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t('Compétences entretenues', 'Skills kept up to date'),
    summary: t(
      "Les personnes sont formées régulièrement à Kubernetes, à l'agilité et au DevSecOps, et participent à la communauté de pratique.",
      'People are regularly trained in Kubernetes, agile and DevSecOps, and take part in the community of practice.',
    ),
    assessments: [attested(['owner'], t('Plan de formation ou attestations de formation.', 'Training plan or training certificates.'))],
  }),
  req({
    id: 'EX21', level: 'I', category: 'operating-model', nature: 'ministerial',
    title: t("Contribution à l'offre", 'Contribution to the offer'),
    summary: t(
      "L'équipe remonte les défauts et aide à enrichir la chaîne et l'offre cloud.",
      'The team reports defects and helps improve the chain and the cloud offer.',
    ),
    assessments: [attested(['owner'], t('Liens vers des remontées ou contributions.', 'Links to reports or contributions.'))],
  }),
  req({
    id: 'EX22', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Code testé avant soumission', 'Code tested before submission'),
    summary: t(
      'Le code est déjà testé (fonctions, technique, sécurité) quand il arrive dans la chaîne du ministère.',
      "Code is already tested (functionally, technically, for security) when it reaches the ministry's chain.",
    ),
    assessments: [automated('test-reports.*')],
  }),
  req({
    id: 'EX23', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Journaux envoyés au SOC', 'Logs shipped to the SOC'),
    summary: t(
      "Un collecteur de journaux, bâti sur les modèles proposés, est déployé avec l'application et relié au SIEM du SOC, dans le cadre d'une convention de service.",
      "The application deploys a log collector built from the offered patterns, connected to the SOC's SIEM, under a service agreement.",
    ),
    assessments: [attested(['security', 'security-officer'], t('Convention de service avec le SOC et preuve de réception des journaux.', 'Service agreement with the SOC and proof that logs arrive.'), { perEnvironment: true })],
  }),
  req({
    id: 'EX24', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Langage autorisé', 'Approved programming language'),
    summary: t(
      'Les langages utilisés figurent dans la liste des langages autorisés.',
      'The languages used are on the list of approved languages.',
    ),
    assessments: [attested(['owner', 'devops'], t('Liste des langages et versions utilisés.', 'List of languages and versions in use.'))],
  }),
  req({
    id: 'EX25', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Application supervisable', 'Application can be monitored'),
    summary: t(
      "L'application expose un point de santé qui se décrit lui-même (problem+json) et des métriques au format Prometheus, et elle est raccordée aux chaînes de supervision.",
      'The application exposes a self-describing health endpoint (problem+json) and Prometheus metrics, and is connected to the monitoring chains.',
    ),
    assessments: [
      automated('observability.*'),
      attested(['devops'], t('Lien vers le tableau de bord de supervision de l’application.', "Link to the application's monitoring dashboard."), { perEnvironment: true }),
    ],
  }),
  req({
    id: 'EX26', level: 'I', category: 'application-and-image', nature: 'ministerial',
    title: t('Éco-conception', 'Eco-design'),
    summary: t(
      "La solution suit le guide d'éco-conception et reste sobre en ressources côté serveur comme côté terminal.",
      'The solution follows the eco-design guide and stays frugal with resources on both the server and the device side.',
    ),
    assessments: [
      automated('kubernetes.*'),
      attested(['owner'], t("Auto-évaluation selon le référentiel d'éco-conception.", 'Self-assessment against the eco-design guide.')),
    ],
  }),
  req({
    id: 'EX27', level: 'I', category: 'application-and-image', nature: 'cloud-native',
    title: t('Tests capitalisés contre la régression', 'Tests accumulated against regressions'),
    summary: t(
      "Le back-end vise une couverture totale, le front-end couvre les parcours principaux, et chaque bogue donne d'abord lieu à un test automatique avant sa correction.",
      'The back end aims at full coverage, the front end covers the main journeys, and every bug first gets an automated test before its fix.',
    ),
    assessments: [automated('test-reports.*')],
  }),
  req({
    id: 'EX28', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Pods redémarrables à tout moment', 'Pods restartable at any time'),
    summary: t(
      'Un pod sans état peut être relancé à tout instant, vite, sans perdre session, donnée ni transaction.',
      'A stateless pod can be restarted at any moment, quickly, without losing a session, data or a transaction.',
    ),
    assessments: [
      automated('kubernetes.*'),
      attested(['devops'], t("Résultat d'un test de redémarrage sous charge.", 'Result of a restart-under-load test.')),
    ],
  }),
  req({
    id: 'EX29', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Images de base à support long', 'Long-term-support base images'),
    summary: t(
      'Les images partent uniquement de distributions à support long, maintenues par une communauté active avec un processus de révision maîtrisé (liste interministérielle).',
      'Images start only from long-term-support distributions maintained by an active community with a controlled review process (inter-ministerial list).',
    ),
    assessments: [automated('containers.*')],
  }),
  req({
    id: 'EX30', level: 'I', category: 'application-and-image', nature: 'ministerial',
    title: t('Composants libres et maintenus', 'Maintained open-source components'),
    summary: t(
      'On préfère des composants libres portés par une communauté active, dans des versions encore maintenues.',
      'Open-source components with an active community are preferred, in versions that are still maintained.',
    ),
    assessments: [
      automated('containers.*', 'dependencies.vulnerable-package'),
      attested(['owner', 'devops'], t('Inventaire des composants et de leur politique de maintenance.', 'Inventory of components and their maintenance policy.')),
    ],
  }),
  req({
    id: 'EX31', level: 'I', category: 'application-and-image', nature: 'ministerial',
    title: t('Architecture modulaire et faiblement couplée', 'Modular, loosely coupled architecture'),
    summary: t(
      'Les composants communiquent par des interfaces ; les couches hautes ignorent les détails des couches basses (inversion des dépendances).',
      'Components talk through interfaces, and high-level services do not depend on the details of lower layers.',
    ),
    assessments: [attested(['owner'], t("Dossier d'architecture.", 'Architecture document.'))],
  }),
  req({
    id: 'EX32', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Conteneurs sans root, ports au-delà de 1024', 'Non-root containers, ports above 1024'),
    summary: t(
      'Aucun conteneur ne tourne en root, chaque port interne dépasse 1024, et la production refuse tout conteneur root.',
      'No container needs the root user and internal ports are above 1024; a root container is refused in production.',
    ),
    assessments: [automated('containers.*', 'kubernetes.pod-security.*')],
  }),
  req({
    id: 'EX33', level: 'I', category: 'application-and-image', nature: 'ministerial',
    title: t('Sauvegardes sur stockage objet indépendant', 'Backups on independent object storage'),
    summary: t(
      "Les sauvegardes font foi sur un stockage objet (S3) séparé de la production et robuste ; l'équipe s'assure souvent qu'elle sait restaurer.",
      'Backups live on S3-style storage that is independent and resilient from production, and the team regularly checks it can restore.',
    ),
    assessments: [attested(['devops'], t('Emplacement des sauvegardes et dernier test de restauration.', 'Backup location and last restore test.'), { validityDays: 180, perEnvironment: true })],
  }),
  req({
    id: 'EX34', level: 'P', category: 'application-and-image', nature: 'ministerial',
    title: t('Images construites et certifiées par la plateforme', 'Images built and certified by the platform'),
    summary: t(
      "Les images sont compilées et certifiées dans l'orchestrateur DevSecOps du ministère ; l'équipe s'organise en conséquence.",
      "Images are compiled and certified inside the ministry's DevSecOps orchestrator; the team organises itself around that.",
    ),
    assessments: [inherited(t(
      'La chaîne secondaire reconstruit chaque image depuis les sources ; seules les révisions certifiées sont déployables.',
      'The secondary chain rebuilds every image from source; only certified revisions can be deployed.',
    ))],
  }),
  req({
    id: 'EX35', level: 'P', category: 'infrastructure', nature: 'ministerial',
    title: t('Hébergement adapté à la sensibilité des données', 'Hosting matched to data sensitivity'),
    summary: t(
      "L'hébergement (cloud public, cloud de confiance, dédié) est choisi selon la nature des données et le cadre légal.",
      'Hosting (public cloud, trusted cloud, dedicated) is chosen according to the nature of the data and the legal framework.',
    ),
    assessments: [
      inherited(t(
        'La console refuse de placer un environnement dans une zone dont le niveau de sensibilité est inférieur à celui du projet.',
        "The console refuses to place an environment in a zone whose sensitivity level is below the project's.",
      )),
      attested(['owner', 'security-officer'], t('Classification des données du projet.', "Classification of the project's data.")),
    ],
  }),
  req({
    id: 'EX36', level: 'I', category: 'shared-services', nature: 'ministerial',
    title: t('Services de plateforme utilisés', 'Platform services used'),
    summary: t(
      "L'application utilise les services fournis pour l'observabilité, le registre d'images et les secrets.",
      'The application uses the provided services for observability, the image registry and secrets.',
    ),
    assessments: [
      inherited(t(
        'Les images sont publiées dans le registre de la plateforme et les secrets servis par son coffre.',
        'Images are published to the platform registry and secrets served from its secret store.',
      )),
      attested(['devops'], t("Raccordement aux services d'observabilité.", 'Connection to the observability services.')),
    ],
  }),
  req({
    id: 'EX37', level: 'I', category: 'shared-services', nature: 'ministerial',
    title: t('Données de référence ministérielles', 'Ministry reference data'),
    summary: t(
      "L'application consomme les données de référence du ministère plutôt que ses propres copies.",
      "The application consumes the ministry's reference data rather than its own copies.",
    ),
    assessments: [attested(['owner'], t('Liste des données de référence consommées.', 'List of reference data consumed.'))],
  }),
  req({
    id: 'EX38', level: 'I', category: 'shared-services', nature: 'ministerial',
    title: t('Objets métier catalogués', 'Business objects catalogued'),
    summary: t(
      'Les objets métier de la solution sont déclarés au catalogue des données métier du ministère.',
      "The solution's business objects are registered in the ministry's business data catalogue.",
    ),
    assessments: [attested(['owner'], t('Lien vers les entrées du catalogue.', 'Link to the catalogue entries.'), { evidence: ['link', 'document'] })],
  }),
  req({
    id: 'EX39', level: 'P', category: 'shared-services', nature: 'ministerial',
    title: t('Services socles non remplacés', 'Core shared services not replaced'),
    summary: t(
      "Les services socles fournis (identité, échanges, preuve, exposition d'API, référentiels, cartographie…) sont consommés et non remplacés par un équivalent.",
      'The provided core services (identity, exchange, proof, API exposure, reference data, mapping…) are consumed, not replaced by an equivalent.',
    ),
    assessments: [attested(['owner', 'security'], t('Liste des services socles consommés.', 'List of core services consumed.'))],
  }),
  req({
    id: 'EX40', level: 'I', category: 'shared-services', nature: 'ministerial',
    title: t('Stockage objet pour les sauvegardes', 'Object storage for backups'),
    summary: t(
      'Les sauvegardes utilisent systématiquement le service de stockage objet fourni.',
      'Backups always use the provided object storage service.',
    ),
    assessments: [attested(['devops'], t('Configuration de sauvegarde pointant vers le stockage objet.', 'Backup configuration targeting the object storage.'), { perEnvironment: true })],
  }),
  req({
    id: 'EX41', level: 'P', category: 'shared-services', nature: 'ministerial',
    title: t('Administration par le bastion', 'Administration through the bastion'),
    summary: t(
      "Toute activité d'administration passe par le bastion.",
      'All administration activity goes through the bastion.',
    ),
    assessments: [attested(['security', 'devops'], t("Procédure d'administration via le bastion.", 'Administration procedure through the bastion.'))],
  }),
  req({
    id: 'EX42', level: 'I', category: 'interactions-and-flows', nature: 'ministerial',
    title: t('Échanges asynchrones par bus', 'Asynchronous exchanges over a bus'),
    summary: t(
      "L'application limite les appels synchrones et fait passer ses échanges asynchrones par un bus de messages.",
      'The application limits synchronous calls and routes its asynchronous exchanges through a message bus.',
    ),
    assessments: [attested(['owner'], t("Schéma des échanges de l'application.", "Diagram of the application's exchanges."))],
  }),
  req({
    id: 'EX43', level: 'P', category: 'interactions-and-flows', nature: 'ministerial',
    title: t('Flux usagers, services et administration séparés', 'User, service and admin flows kept apart'),
    summary: t(
      "Les flux des usagers, des services et de l'administration sont séparés, de préférence sur HTTP.",
      'User, service and administration flows are kept apart, preferably over HTTP.',
    ),
    assessments: [attested(['security', 'devops'], t('Matrice des flux par type (usager, service, administration).', 'Flow matrix by kind (user, service, administration).'), { perEnvironment: true })],
    curationNote: t(
      "La liste source ne donne pas de niveau. Nous retenons P : c'est une exigence de segmentation réseau, la topologie de la plateforme est segmentée par type de flux, et un écart à l'architecture prive l'application du socle de sécurité. Une dérogation reste possible.",
      'The source list gives no level. We chose P: it is a network segmentation requirement, the platform topology is segmented by kind of flow, and an architecture gap deprives the application of the security base. A derogation remains possible.',
    ),
  }),
  req({
    id: 'EX44', level: 'I', category: 'interactions-and-flows', nature: 'ministerial',
    title: t("API exposées par la gestion d'API", 'APIs exposed through API management'),
    summary: t(
      "Toute API exposée passe par le service de gestion d'API, qui identifie et authentifie les consommateurs ; l'application trace les appels via l'observabilité.",
      'Every exposed API goes through the API management service, which identifies and authenticates consumers; the application traces calls through observability.',
    ),
    assessments: [attested(['devops'], t("Inscription des API dans la gestion d'API.", 'Registration of the APIs in API management.'))],
  }),
  req({
    id: 'EX45', level: 'I', category: 'interactions-and-flows', nature: 'ministerial',
    title: t('Données métier exposées et kit de test', 'Business data exposed, with a test kit'),
    summary: t(
      "Les objets métier sont exposés par la gestion d'API avec une description et des conditions d'accès, et un kit de proxification sur données libres, déployable par chart Helm, permet de les essayer.",
      'Business objects are exposed through API management with a description and access conditions, and a proxy kit on open data, deployable as a Helm chart, lets others try them.',
    ),
    assessments: [attested(['owner'], t("Description de l'API, conditions d'accès et lien vers le kit.", 'API description, access conditions and link to the kit.'))],
  }),
  req({
    id: 'EX46', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t("Description d'API conforme", 'Standard API description'),
    summary: t(
      "L'application fournit une description d'API standard (par exemple OpenAPI), vérifiée avant la mise en production ; les défauts relevés sont corrigés.",
      'The application supplies a standard API description (for example OpenAPI), checked before production; reported defects are fixed.',
    ),
    assessments: [automated('api-description.*')],
  }),
  req({
    id: 'EX47', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t('Configuration externalisée', 'Configuration kept out of the code'),
    summary: t(
      "Les paramètres d'environnement, services de support, services externes et connexions sont fournis de l'extérieur ; rien n'est figé dans le code.",
      'Environment settings, backing services, external services and connections are supplied from outside; nothing is hard-coded.',
    ),
    assessments: [automated('configuration.*', 'secrets.*')],
  }),
  req({
    id: 'EX48', level: 'I', category: 'application-and-image', nature: 'cloud-native',
    title: t('Chaînes de connexion standard', 'Standard connection strings'),
    summary: t(
      "Les services tiers sont joints par des chaînes de connexion standard, pour pouvoir changer de fournisseur sans impact pour l'usager.",
      'Third-party services are reached through standard connection strings, so a provider can be changed without impact on users.',
    ),
    assessments: [attested(['devops', 'owner'], t('Liste des connexions et de leur format.', 'List of connections and their format.'))],
  }),
  req({
    id: 'EX49', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t('Processus sans état', 'Stateless processes'),
    summary: t(
      "Les processus sont indépendants et ne gardent aucun état ; l'état vit dans un magasin de données central, ce qui permet de monter en charge sans coupure.",
      'Processes are independent and keep no state; state lives in a central data store, which allows scaling without interruption.',
    ),
    assessments: [
      automated('kubernetes.pod-security.*'),
      attested(['owner', 'devops'], t("Dossier d'architecture montrant où vit l'état.", 'Architecture document showing where state lives.')),
    ],
  }),
  req({
    id: 'EX50', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t('Arrêt propre et transactions idempotentes', 'Graceful stop, idempotent transactions'),
    summary: t(
      "À la réception d'un SIGTERM, le service s'arrête proprement et ses transactions restent idempotentes.",
      'On SIGTERM the service stops gracefully and its transactions stay idempotent.',
    ),
    assessments: [attested(['devops'], t("Test d'arrêt en cours de traitement et son résultat.", 'Stop-during-processing test and its result.'))],
  }),
  req({
    id: 'EX51', level: 'I', category: 'application-and-image', nature: 'cloud-native',
    title: t('Démarrage rapide', 'Fast start-up'),
    summary: t(
      "Le service démarre aussi vite que possible en n'embarquant que le nécessaire.",
      'The service starts as fast as possible by carrying only what it needs.',
    ),
    assessments: [attested(['devops'], t('Temps de démarrage mesuré.', 'Measured start-up time.'))],
    curationNote: t(
      "La liste source ne donne pas de catégorie ; nous la rangeons avec les autres principes cloud-native du code et de l'image.",
      'The source list gives no category; we file it with the other cloud-native code and image principles.',
    ),
  }),
  req({
    id: 'EX52', level: 'I', category: 'application-and-image', nature: 'cloud-native',
    title: t('Versions successives compatibles', 'Successive versions coexist'),
    summary: t(
      'Le schéma des données laisse tourner côte à côte la version en service et la suivante, pour déployer en continu sans rupture.',
      'The data model lets the current and the next version run side by side, so deployment is continuous without breakage.',
    ),
    assessments: [attested(['owner'], t('Stratégie de migration des données.', 'Data migration strategy.'))],
  }),
  req({
    id: 'EX53', level: 'I', category: 'application-and-image', nature: 'cloud-native',
    title: t("Flux d'événements bruts nommés", 'Raw, well-named event streams'),
    summary: t(
      'Chaque service et service de support émet ses propres événements bruts, nommés selon la convention en vigueur.',
      'Each service and backing service emits its own raw events, named according to the convention.',
    ),
    assessments: [attested(['devops'], t("Exemples d'événements et convention appliquée.", 'Sample events and the convention applied.'))],
  }),
  req({
    id: 'EX54', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t("API d'abord", 'API first'),
    summary: t(
      "Toute application en ligne offre une API définie et documentée, pour que d'autres puissent s'y brancher.",
      'Every online application offers a defined and documented API so that others can build on it.',
    ),
    assessments: [automated('api-description.*')],
  }),
  req({
    id: 'EX55', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t('Performance mesurée en temps réel', 'Performance measured in real time'),
    summary: t(
      "La performance de chaque transaction se mesure en direct (événements de performance, événements métier, journaux d'intégrité et système) pour piloter la qualité de service et diagnostiquer.",
      'The performance of every transaction is measured live (performance events, business events, integrity and system logs) to steer service quality and diagnose issues.',
    ),
    assessments: [
      automated('observability.*'),
      attested(['devops'], t('Tableau de bord de performance applicative.', 'Application performance dashboard.')),
    ],
  }),
  req({
    id: 'EX56', level: 'P', category: 'application-and-image', nature: 'cloud-native',
    title: t('Authentification par les fédérations officielles', 'Sign-in through the official identity federations'),
    summary: t(
      'Les agents se connectent par le SSO agent et les citoyens par FranceConnect.',
      'Staff sign in through the staff SSO and citizens through FranceConnect.',
    ),
    assessments: [attested(['security', 'owner'], t("Configuration d'authentification de l'application.", "The application's authentication configuration."))],
  }),
  req({
    id: 'EX57', level: 'I', category: 'standards', nature: 'ministerial',
    title: t('Protection des données personnelles dès la conception', 'Personal data protection by design'),
    summary: t(
      "Pour les données personnelles, le modèle prévoit dès le départ un marquage RGPD, des champs d'anonymisation, les règles et traitements d'anonymisation et les droits associés.",
      'For personal data, the model includes from the start a GDPR tag, anonymisation fields, anonymisation rules and processes, and the related access rights.',
    ),
    assessments: [attested(['owner', 'security'], t('Registre de traitement et règles d’anonymisation.', 'Processing register and anonymisation rules.'))],
  }),
  req({
    id: 'EX58', level: 'P', category: 'operating-model', nature: 'ministerial',
    title: t('Qualité du code en progression, preuves à l’appui', 'Code quality improving, with evidence'),
    summary: t(
      "L'équipe réutilise les services du catalogue, couvre le back-end de tests, analyse son code et ses dépendances au plus tôt, refactore en continu, ne laisse jamais la qualité baisser et en fournit les preuves (rapports d'analyse, normes de développement, revues).",
      'The team reuses catalogue services, covers the back end with tests, analyses its code and dependencies early, refactors continuously, never lets quality drop, and provides the evidence (analysis reports, coding standards, reviews).',
    ),
    assessments: [
      automated('secrets.*', 'dependencies.vulnerable-package', 'test-reports.*'),
      attested(['owner'], t('Normes de développement et pratiques de revue de l’équipe.', "The team's coding standards and review practices.")),
    ],
  }),
];

export const cctV1: Catalogue = Object.freeze({
  version: '1.0.0',
  publishedAt: '2026-11-29',
  requirements: Object.freeze(requirements),
}) as Catalogue;
