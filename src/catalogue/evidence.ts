// No claim without proof: the machine evidence an automated assessment needs, judged against the platform's
// policy. A need is met (with an observation saying what was seen, when, and where to check it), missing (the
// requirement is "awaiting evidence", with how to provide it) or contradicted (the evidence shows the
// requirement is not met). Pure: the repository's last certified run and the policy in, verdicts out.
import type { CertifiedRunFacts } from './facts.ts';
import type { EvidenceNeed, LocalisedText, PlatformFact } from './model.ts';
import type { ConformityPolicy } from './policy.ts';

const DAY_MS = 86_400_000;
const t = (fr: string, en: string): LocalisedText => ({ fr, en });

export interface EvidenceObservation {
  evidence: EvidenceNeed | PlatformFact;
  /** When the platform measured or observed it. */
  observedAt: string;
  summary: LocalisedText;
  runId?: string;
  /** Where to see it (the run's evidence bundle, the deliveries, the deployments…). */
  url?: string;
  /** When it stops counting (advisory freshness, recent pushes…). */
  validUntil?: string;
}

export type EvidenceReasonCode = 'evidence-missing' | 'evidence-contradicts' | 'evidence-expired';

export interface EvidenceShortfall {
  code: EvidenceReasonCode;
  evidence: EvidenceNeed | PlatformFact;
  message: LocalisedText;
  /** What the team can do to provide or fix it. */
  howTo: LocalisedText;
}

export type EvidenceVerdict =
  | { met: true; observation: EvidenceObservation }
  | { met: false; state: 'awaiting-evidence' | 'not-satisfied'; shortfall: EvidenceShortfall; observation?: EvidenceObservation };

export const evidenceLabels: Record<EvidenceNeed | PlatformFact, LocalisedText> = {
  'test-results': t('Rapports de tests du projet', "The project's test reports"),
  coverage: t('Rapport de couverture', 'Coverage report'),
  'end-to-end-results': t('Rapports de tests de bout en bout', 'End-to-end test reports'),
  'platform-image': t('Image reconstruite par la plateforme', 'Image rebuilt by the platform'),
  'fresh-advisories': t('Dépendances évaluées sur des avis récents', 'Dependencies evaluated against recent advisories'),
  'approved-languages': t('Langages approuvés', 'Approved languages'),
  'log-collector': t('Collecte des journaux', 'Log collection'),
  'graceful-stop': t('Arrêt propre mesuré (SIGTERM)', 'Graceful stop measured (SIGTERM)'),
  'fast-start': t('Démarrage rapide mesuré', 'Fast start-up measured'),
  'oidc-issuers': t("Fédérations d'identité officielles", 'Official identity federations'),
  'flow-separation': t('Flux séparés par nature', 'Flows kept apart by kind'),
  'platform-gateway': t('Routes exposées par la passerelle de la plateforme', "Routes exposed through the platform's gateway"),
  'object-storage-backups': t('Sauvegardes vers le stockage objet', 'Backups to object storage'),
  'environment-connections': t("Connexions lues dans l'environnement", 'Connections read from the environment'),
  'forge-push': t('Forge raccordée (push reçu)', 'Forge connected (push received)'),
  'feedback-delivered': t('Retours livrés à l’équipe', 'Feedback delivered to the team'),
  'delivery-measures': t('Mesures de livraison (DORA)', 'Delivery measures (DORA)'),
  'restore-rehearsed': t('Restauration répétée', 'Restore rehearsed'),
};

function missing(evidence: EvidenceNeed | PlatformFact, message: LocalisedText, howTo: LocalisedText): EvidenceVerdict {
  return { met: false, state: 'awaiting-evidence', shortfall: { code: 'evidence-missing', evidence, message, howTo } };
}

function contradicts(
  evidence: EvidenceNeed | PlatformFact,
  message: LocalisedText,
  howTo: LocalisedText,
  observation?: EvidenceObservation,
): EvidenceVerdict {
  return {
    met: false,
    state: 'not-satisfied',
    shortfall: { code: 'evidence-contradicts', evidence, message, howTo },
    ...(observation ? { observation } : {}),
  };
}

const list = (items: readonly string[], max = 5) => (items.length > max ? `${items.slice(0, max).join(', ')}… (+${items.length - max})` : items.join(', '));

const noManifests = (need: EvidenceNeed) =>
  missing(
    need,
    t('Aucun manifeste Kubernetes lu dans la dernière exécution certifiée : rien ne montre ce qui est déployé.', 'No Kubernetes manifest read in the last certified run: nothing shows what is deployed.'),
    t('Versionnez les manifestes ou le chart Helm de l’application dans ce dépôt (ou déclarez l’exigence non applicable à ce dépôt).', "Keep the application's manifests or Helm chart in this repository (or declare the requirement not applicable to it)."),
  );


/** Judge one need against the repository's last certified run. */
export function judgeEvidence(
  need: EvidenceNeed,
  run: CertifiedRunFacts,
  policy: ConformityPolicy,
  now: Date,
): EvidenceVerdict {
  const m = run.measurements;
  const seen = (summary: LocalisedText, extra: Partial<EvidenceObservation> = {}): EvidenceVerdict => ({
    met: true,
    observation: {
      evidence: need,
      observedAt: run.finishedAt,
      summary,
      runId: run.runId,
      ...(run.links?.bundleUrl ? { url: run.links.bundleUrl } : {}),
      ...extra,
    },
  });
  const observed = (summary: LocalisedText): EvidenceObservation => ({
    evidence: need,
    observedAt: run.finishedAt,
    summary,
    runId: run.runId,
    ...(run.links?.bundleUrl ? { url: run.links.bundleUrl } : {}),
  });
  const manifests = m?.observations?.manifests;
  switch (need) {
    case 'graceful-stop':
    case 'fast-start':
      return judgeRuntime(need, run, policy, seen, observed);
    case 'test-results': {
      const tests = m?.tests;
      if (!tests || tests.tests === 0)
        return missing(
          need,
          t(
            'Aucun rapport de tests JUnit dans la dernière exécution certifiée.',
            'No JUnit test report in the last certified run.',
          ),
          t(
            'Déclarez la commande de test et ses rapports JUnit dans .dso.yml (test.command, test.reports).',
            'Declare the test command and its JUnit reports in .dso.yml (test.command, test.reports).',
          ),
        );
      if (tests.failures + tests.errors > 0)
        return contradicts(
          need,
          t(
            `${tests.failures + tests.errors} test(s) en échec sur ${tests.tests}.`,
            `${tests.failures + tests.errors} of ${tests.tests} test(s) failing.`,
          ),
          t('Corrigez les tests en échec.', 'Fix the failing tests.'),
          observed(t(`${tests.tests} tests exécutés`, `${tests.tests} tests run`)),
        );
      return seen(
        t(
          `${tests.tests} tests exécutés, tous réussis (${tests.reports.length} rapport(s)).`,
          `${tests.tests} tests run, all passing (${tests.reports.length} report(s)).`,
        ),
      );
    }
    case 'coverage': {
      const coverage = m?.coverage;
      if (!coverage)
        return missing(
          need,
          t(
            'Aucun rapport de couverture (lcov, Cobertura, JaCoCo) : la couverture est inconnue.',
            'No coverage report (lcov, Cobertura, JaCoCo): coverage is unknown.',
          ),
          t(
            'Produisez un rapport de couverture du back-end et déclarez-le dans .dso.yml (test.reports).',
            'Produce a back-end coverage report and declare it in .dso.yml (test.reports).',
          ),
        );
      if (coverage.lineRate < policy.coverageMinimumPercent)
        return contradicts(
          need,
          t(
            `Couverture des lignes ${coverage.lineRate} %, sous le seuil de ${policy.coverageMinimumPercent} %.`,
            `Line coverage ${coverage.lineRate}%, below the ${policy.coverageMinimumPercent}% threshold.`,
          ),
          t('Ajoutez des tests sur les lignes non couvertes.', 'Add tests for the uncovered lines.'),
          observed(t(`Couverture ${coverage.lineRate} %`, `Coverage ${coverage.lineRate}%`)),
        );
      return seen(
        t(
          `Couverture des lignes ${coverage.lineRate} % (${coverage.linesCovered}/${coverage.linesValid}), seuil ${policy.coverageMinimumPercent} %.`,
          `Line coverage ${coverage.lineRate}% (${coverage.linesCovered}/${coverage.linesValid}), threshold ${policy.coverageMinimumPercent}%.`,
        ),
      );
    }
    case 'end-to-end-results': {
      const e2e = m?.observations?.endToEnd;
      if (!e2e || e2e.tests === 0)
        return missing(
          need,
          t(
            'Aucun rapport JUnit de tests de bout en bout (Playwright, Cypress…).',
            'No end-to-end JUnit report (Playwright, Cypress…).',
          ),
          t(
            'Exécutez les tests de bout en bout dans la commande de test et déclarez leur rapport JUnit (chemin contenant e2e, playwright ou cypress).',
            'Run the end-to-end tests in the test command and declare their JUnit report (a path containing e2e, playwright or cypress).',
          ),
        );
      if (e2e.failures + e2e.errors > 0)
        return contradicts(
          need,
          t(
            `${e2e.failures + e2e.errors} test(s) de bout en bout en échec sur ${e2e.tests}.`,
            `${e2e.failures + e2e.errors} of ${e2e.tests} end-to-end test(s) failing.`,
          ),
          t('Corrigez les tests de bout en bout en échec.', 'Fix the failing end-to-end tests.'),
        );
      return seen(
        t(
          `${e2e.tests} tests de bout en bout réussis (${list(e2e.reports)}).`,
          `${e2e.tests} end-to-end tests passing (${list(e2e.reports)}).`,
        ),
      );
    }
    case 'platform-image': {
      const dockerfiles = m?.observations?.dockerfiles ?? [];
      const images = [...new Set((manifests?.workloads ?? []).flatMap((w) => w.images))];
      if (dockerfiles.length === 0 && images.length === 0)
        return missing(
          need,
          t(
            'Ni Dockerfile ni charge de travail dans la dernière exécution certifiée : aucune image à reconstruire.',
            'Neither a Dockerfile nor a workload in the last certified run: no image to rebuild.',
          ),
          t(
            "Ajoutez le Dockerfile de l'application (ou déclarez l’exigence non applicable à ce dépôt).",
            "Add the application's Dockerfile (or declare the requirement not applicable to this repository).",
          ),
        );
      if (dockerfiles.length > 0 && !m?.imageDigest)
        return missing(
          need,
          t(
            "La révision certifiée n'a pas d'image construite et publiée par la plateforme.",
            'The certified revision has no image built and published by the platform.',
          ),
          t(
            "Relancez la chaîne quand le constructeur d'images est disponible ; l'image est alors reconstruite et publiée.",
            'Run the chain again once the image builder is available; the image is then rebuilt and published.',
          ),
        );
      if (images.length > 0) {
        if (policy.registryHosts.length === 0)
          return missing(
            need,
            t(
              "Aucun registre de la plateforme n'est configuré : impossible de vérifier l'origine des images déployées.",
              'No platform registry is configured: the origin of deployed images cannot be checked.',
            ),
            t(
              "L'administrateur configure le registre de la plateforme (DSO_REGISTRY_URL).",
              "The administrator configures the platform's registry (DSO_REGISTRY_URL).",
            ),
          );
        const foreign = images.filter((image) => !policy.registryHosts.some((host) => image.startsWith(`${host}/`)));
        if (foreign.length > 0)
          return contradicts(
            need,
            t(
              `Images déployées non construites par la plateforme : ${list(foreign)}.`,
              `Deployed images not built by the platform: ${list(foreign)}.`,
            ),
            t(
              'Déployez les images publiées par la chaîne secondaire (registre de la plateforme).',
              "Deploy the images the secondary chain publishes (the platform's registry).",
            ),
          );
      }
      return seen(
        t(
          `${m?.imageDigest ? `Image ${m.imageDigest} construite et publiée par la plateforme` : 'Pas d’image à construire'}${images.length ? ` ; ${images.length} image(s) déployée(s), toutes du registre de la plateforme` : ''}.`,
          `${m?.imageDigest ? `Image ${m.imageDigest} built and published by the platform` : 'No image to build'}${images.length ? `; ${images.length} deployed image(s), all from the platform registry` : ''}.`,
        ),
      );
    }
    case 'fresh-advisories': {
      const unresolved = (m?.unevaluated ?? []).filter((u) => u.kind === 'dependency' || u.kind === 'advisories');
      if (unresolved.length > 0)
        return missing(
          need,
          t(
            `${unresolved.length} élément(s) non évalué(s) contre les avis : ${list(unresolved.map((u) => u.item))}.`,
            `${unresolved.length} item(s) not evaluated against advisories: ${list(unresolved.map((u) => u.item))}.`,
          ),
          t(
            'Épinglez les versions (fichier de verrouillage) et faites importer une base d’avis récente ; la chaîne réévalue ensuite.',
            'Pin versions (lockfile) and have a recent advisory database imported; the chain then re-evaluates.',
          ),
        );
      const deps = m?.observations?.dependencies;
      if (!deps)
        return missing(
          need,
          t(
            'La dernière exécution certifiée ne dit pas contre quels avis les dépendances ont été évaluées.',
            'The last certified run does not say which advisories the dependencies were evaluated against.',
          ),
          t(
            'Relancez la chaîne sur la révision : les dépendances sont réévaluées.',
            'Run the chain again on the revision: the dependencies are re-evaluated.',
          ),
        );
      if (deps.components === 0) return seen(t('Aucune dépendance déclarée.', 'No dependency declared.'));
      const db = deps.database;
      const updated = db?.updatedAt ? Date.parse(db.updatedAt) : NaN;
      if (!db || db.origin === 'default' || Number.isNaN(updated))
        return missing(
          need,
          t(
            `${deps.components} dépendance(s) évaluée(s) sans base d'avis à jour.`,
            `${deps.components} dependenc(ies) evaluated without an up-to-date advisory database.`,
          ),
          t(
            "L'administrateur importe une base d'avis OSV récente (dso advisories import), puis la chaîne réévalue.",
            'The administrator imports a recent OSV advisory database (dso advisories import), then the chain re-evaluates.',
          ),
        );
      const validUntil = updated + policy.advisoryMaxAgeDays * DAY_MS;
      if (now.getTime() >= validUntil)
        return {
          met: false,
          state: 'awaiting-evidence',
          shortfall: {
            code: 'evidence-expired',
            evidence: need,
            message: t(
              `Avis du ${db.updatedAt}, plus vieux que ${policy.advisoryMaxAgeDays} jour(s).`,
              `Advisories of ${db.updatedAt}, older than ${policy.advisoryMaxAgeDays} day(s).`,
            ),
            howTo: t(
              "Importez une base d'avis récente et relancez la chaîne (l'exécution nocturne le fait).",
              'Import a recent advisory database and run the chain again (the nightly run does).',
            ),
          },
        };
      return seen(
        t(
          `${deps.components} dépendance(s) évaluée(s) contre les avis du ${db.updatedAt}.`,
          `${deps.components} dependenc(ies) evaluated against advisories of ${db.updatedAt}.`,
        ),
        { validUntil: new Date(validUntil).toISOString() },
      );
    }
    case 'approved-languages': {
      const languages = m?.observations?.languages;
      if (!languages)
        return missing(
          need,
          t(
            'La dernière exécution certifiée ne dit pas quels langages le dépôt contient.',
            'The last certified run does not say which languages the repository contains.',
          ),
          t('Relancez la chaîne sur la révision.', 'Run the chain again on the revision.'),
        );
      const found = Object.keys(languages);
      const refused = found.filter((l) => !policy.approvedLanguages.includes(l));
      if (refused.length > 0)
        return contradicts(
          need,
          t(
            `Langage(s) hors de la liste approuvée : ${list(refused)}.`,
            `Language(s) outside the approved list: ${list(refused)}.`,
          ),
          t(
            'Remplacez ce code ou demandez son approbation aux administrateurs (ou une dérogation).',
            'Replace this code or ask the administrators to approve the language (or for a derogation).',
          ),
        );
      return seen(
        t(
          `Langages détectés : ${found.length ? list(found, 10) : 'aucun'} ; tous approuvés.`,
          `Languages detected: ${found.length ? list(found, 10) : 'none'}; all approved.`,
        ),
      );
    }
    default: {
      // A chart or overlay that did not render hides part of what is deployed: nothing is claimed about it.
      const unrendered = (m?.unevaluated ?? []).filter(
        (u) => u.kind === 'chart' || u.kind === 'overlay' || u.kind === 'manifest',
      );
      if (unrendered.length > 0)
        return missing(
          need,
          t(
            `Manifestes non évalués : ${list(unrendered.map((u) => u.item))}.`,
            `Manifests not evaluated: ${list(unrendered.map((u) => u.item))}.`,
          ),
          t(
            'Corrigez le rendu du chart ou de l’overlay (voir l’exécution) ; la preuve est relue à la prochaine exécution.',
            'Fix the chart or overlay rendering (see the run); the evidence is read again at the next run.',
          ),
        );
      return judgeManifestEvidence(need, manifests, policy, seen);
    }
  }
}

function judgeManifestEvidence(
  need: EvidenceNeed,
  manifests: NonNullable<NonNullable<CertifiedRunFacts['measurements']>['observations']>['manifests'],
  policy: ConformityPolicy,
  seen: (summary: LocalisedText) => EvidenceVerdict,
): EvidenceVerdict {
  if (!manifests || manifests.objects === 0) return noManifests(need);
  const workloads = manifests.workloads;
  const names = (items: readonly { kind: string; name: string }[]) => list(items.map((w) => `${w.kind}/${w.name}`));
  switch (need) {
    case 'log-collector': {
      const shipped = workloads.filter((w) => w.logCollector);
      if (manifests.logCollectors.length === 0 && shipped.length === 0) {
        if (workloads.length === 0) return noManifests(need);
        return contradicts(need, t('Aucun collecteur de journaux dans les manifestes (sidecar, DaemonSet, ClusterLogForwarder, annotation de collecte).', 'No log collector in the manifests (sidecar, DaemonSet, ClusterLogForwarder, collection annotation).'), t('Ajoutez la configuration de collecte vers le SOC (par exemple l’annotation dso.gouv.fr/logs ou un sidecar fluent-bit).', 'Add log shipping to the SOC (for instance the dso.gouv.fr/logs annotation or a fluent-bit sidecar).'));
      }
      return seen(t(`Collecte des journaux : ${list([...manifests.logCollectors, ...shipped.map((w) => `${w.kind}/${w.name}`)])}.`, `Log collection: ${list([...manifests.logCollectors, ...shipped.map((w) => `${w.kind}/${w.name}`)])}.`));
    }
    case 'oidc-issuers': {
      const issuers = manifests.oidcIssuers;
      if (issuers.length === 0)
        return missing(need, t("Aucun émetteur OIDC dans la configuration de l'application.", "No OIDC issuer in the application's configuration."), t("Configurez l'émetteur OIDC par une variable (par exemple OIDC_ISSUER) dans les manifestes, ou déclarez l'exigence non applicable.", 'Set the OIDC issuer through a variable (e.g. OIDC_ISSUER) in the manifests, or declare the requirement not applicable.'));
      const foreign = issuers.filter((i) => !policy.oidcIssuers.some((ok) => i.replace(/\/+$/, '') === ok.replace(/\/+$/, '')));
      if (foreign.length > 0)
        return contradicts(need, t(`Émetteur(s) OIDC non déclaré(s) par les administrateurs : ${list(foreign)}.`, `OIDC issuer(s) not declared by the administrators: ${list(foreign)}.`), t('Utilisez une fédération officielle (SSO agents, FranceConnect) déclarée par les administrateurs (DSO_OIDC_FEDERATIONS).', 'Use an official federation (staff SSO, FranceConnect) declared by the administrators (DSO_OIDC_FEDERATIONS).'));
      return seen(t(`Émetteur(s) OIDC officiel(s) : ${list(issuers)}.`, `Official OIDC issuer(s): ${list(issuers)}.`));
    }
    case 'flow-separation': {
      const policies = manifests.networkPolicies;
      if (policies.length === 0)
        return missing(need, t('Aucune NetworkPolicy dans les manifestes.', 'No NetworkPolicy in the manifests.'), t('Déclarez les NetworkPolicy de l’application, chacune étiquetée dso.gouv.fr/flow=user|service|admin.', "Declare the application's NetworkPolicies, each labelled dso.gouv.fr/flow=user|service|admin."));
      const unlabelled = policies.filter((p) => p.flow === undefined || !['user', 'service', 'admin'].includes(p.flow));
      if (unlabelled.length > 0)
        return contradicts(need, t(`NetworkPolicy sans nature de flux (usager, service, administration) : ${list(unlabelled.map((p) => p.name))}.`, `NetworkPolicies without a flow kind (user, service, admin): ${list(unlabelled.map((p) => p.name))}.`), t('Étiquetez chaque NetworkPolicy dso.gouv.fr/flow=user|service|admin : une politique ne mélange pas les natures de flux.', 'Label each NetworkPolicy dso.gouv.fr/flow=user|service|admin: one policy never mixes flow kinds.'));
      const kinds = [...new Set(policies.map((p) => p.flow!))].sort();
      return seen(t(`${policies.length} NetworkPolicy séparant les flux : ${kinds.join(', ')}.`, `${policies.length} NetworkPolicies keeping flows apart: ${kinds.join(', ')}.`));
    }
    case 'platform-gateway': {
      const routes = manifests.routes.filter((r) => !r.name.startsWith('gateway:'));
      if (routes.length === 0) return seen(t('Aucune route HTTP exposée.', 'No HTTP route exposed.'));
      if (policy.gatewayClasses.length === 0)
        return missing(need, t("Aucune classe de passerelle de la plateforme n'est configurée.", 'No platform gateway class is configured.'), t("L'administrateur déclare les classes de passerelle de la gestion d'API (DSO_GATEWAY_CLASSES).", 'The administrator declares the API management gateway classes (DSO_GATEWAY_CLASSES).'));
      const outside = routes.filter((r) => !r.classes.some((c) => policy.gatewayClasses.includes(c)));
      if (outside.length > 0)
        return contradicts(need, t(`Route(s) exposée(s) hors de la passerelle de la plateforme : ${names(outside)}.`, `Route(s) exposed outside the platform's gateway: ${names(outside)}.`), t(`Utilisez la classe ${policy.gatewayClasses.join(' ou ')} (ingressClassName ou parentRefs).`, `Use the ${policy.gatewayClasses.join(' or ')} class (ingressClassName or parentRefs).`));
      return seen(t(`${routes.length} route(s) exposée(s) par la passerelle de la plateforme.`, `${routes.length} route(s) exposed through the platform's gateway.`));
    }
    case 'object-storage-backups': {
      const backups = manifests.backups;
      if (backups.length === 0)
        return missing(need, t('Aucune ressource de sauvegarde (CloudNativePG ScheduledBackup, Velero, k8up) dans les manifestes.', 'No backup resource (CloudNativePG ScheduledBackup, Velero, k8up) in the manifests.'), t('Déclarez la sauvegarde des données vers le stockage objet de la plateforme, ou l’exigence non applicable (application sans état).', "Declare backups to the platform's object storage, or the requirement not applicable (stateless application)."));
      if (policy.objectStorageEndpoints.length === 0)
        return missing(need, t("Aucun stockage objet de la plateforme n'est configuré.", 'No platform object storage is configured.'), t("L'administrateur déclare le stockage objet (DSO_OBJECT_STORAGE_ENDPOINTS).", 'The administrator declares the object storage (DSO_OBJECT_STORAGE_ENDPOINTS).'));
      const targeted = backups.filter((b) =>
        b.destinations.some((d) => policy.objectStorageEndpoints.some((e) => d.startsWith(e))),
      );
      if (targeted.length === 0)
        return contradicts(need, t(`Sauvegardes hors du stockage objet de la plateforme : ${names(backups)}.`, `Backups outside the platform's object storage: ${names(backups)}.`), t(`Écrivez les sauvegardes vers ${policy.objectStorageEndpoints.join(' ou ')}.`, `Write backups to ${policy.objectStorageEndpoints.join(' or ')}.`));
      return seen(t(`Sauvegardes vers le stockage objet de la plateforme : ${names(targeted)}.`, `Backups to the platform's object storage: ${names(targeted)}.`));
    }
    case 'environment-connections': {
      if (workloads.length === 0) return noManifests(need);
      const literal = workloads.flatMap((w) => w.literalConnectionUrls.map((u) => `${w.name}: ${u}`));
      if (literal.length > 0)
        return contradicts(need, t(`Chaîne(s) de connexion écrite(s) en clair dans les manifestes : ${list(literal, 3)}.`, `Connection string(s) written in clear in the manifests: ${list(literal, 3)}.`), t('Lisez les URL des services depuis l’environnement, alimenté par un Secret ou une ConfigMap (valueFrom, envFrom).', 'Read service URLs from the environment, filled from a Secret or ConfigMap (valueFrom, envFrom).'));
      const variables = [...new Set(workloads.flatMap((w) => w.connectionVariables))];
      return seen(t(`Connexions lues dans l'environnement${variables.length ? ` (${list(variables)})` : ''}.`, `Connections read from the environment${variables.length ? ` (${list(variables)})` : ''}.`));
    }
    default:
      return noManifests(need);
  }
}

/**
 * EX50 and EX51 from what the chain measured by starting the image it built: never satisfied without that
 * measure (no image built, image not started here: awaiting evidence with the reason).
 */
function judgeRuntime(need: 'graceful-stop' | 'fast-start', run: CertifiedRunFacts, policy: ConformityPolicy, seen: (summary: LocalisedText) => EvidenceVerdict, observed: (summary: LocalisedText) => EvidenceObservation): EvidenceVerdict {
  const m = run.measurements;
  const r = m?.runtime;
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  if (!r) {
    if (!m?.imageDigest)
      return missing(need, t("Aucune image construite par la plateforme dans la dernière exécution certifiée : rien n'a été démarré ni mesuré.", 'No image built by the platform in the last certified run: nothing was started or measured.'), t("Ajoutez un Dockerfile (ou la section image de .dso.yml) : la chaîne construit l'image puis la démarre pour mesurer son démarrage et son arrêt.", 'Add a Dockerfile (or the image section of .dso.yml): the chain builds the image, then starts it to measure its start-up and stop.'));
    return missing(need, t("L'image de la dernière exécution certifiée n'a pas été démarrée par la chaîne (exécution antérieure à la mesure).", 'The image of the last certified run was not started by the chain (a run older than the measurement).'), t('Relancez la chaîne sur la révision : elle démarre l’image et mesure son démarrage et son arrêt.', 'Run the chain again on the revision: it starts the image and measures its start-up and stop.'));
  }
  if (r.status === 'not-started')
    return missing(need, t(`L'image n'a pas pu être démarrée par la chaîne : ${r.reason?.message.fr ?? 'raison inconnue'}`, `The chain could not start the image: ${r.reason?.message.en ?? 'unknown reason'}`), t("Donnez à l'image une commande (ENTRYPOINT ou CMD) qui démarre le service ; voir le journal de l'étape build.", "Give the image a command (ENTRYPOINT or CMD) that starts the service; see the build step's log."));
  if (r.exitedEarly)
    return contradicts(need, t(`L'image s'est arrêtée d'elle-même ${seconds(r.exitedEarly.afterMs)} s après son démarrage (code ${r.exitedEarly.exitCode ?? '?'}), avant tout SIGTERM.`, `The image stopped by itself ${seconds(r.exitedEarly.afterMs)}s after starting (code ${r.exitedEarly.exitCode ?? '?'}), before any SIGTERM.`), t("Le service doit rester actif jusqu'au SIGTERM ; voir sa sortie dans le journal de l'étape build.", 'The service must keep running until SIGTERM; see its output in the build step log.'));
  if (need === 'fast-start') {
    if (!r.probe)
      return missing(need, t("L'image n'expose aucun port et .dso.yml n'en déclare pas : sa disponibilité ne peut pas être mesurée.", 'The image exposes no port and .dso.yml declares none: its readiness cannot be measured.'), t('Déclarez le port (EXPOSE) ou image.readiness (port, chemin) dans .dso.yml.', 'Declare the port (EXPOSE) or image.readiness (port, path) in .dso.yml.'));
    const where = `${r.probe.port}${r.probe.path ?? ''}`;
    if (r.readyMs === undefined)
      return contradicts(need, t(`Le service n'a pas répondu sur ${where} dans les ${seconds(r.startWaitMs ?? 0)} s d'attente (seuil ${policy.startMaxSeconds} s).`, `The service did not answer on ${where} within the ${seconds(r.startWaitMs ?? 0)}s wait (threshold ${policy.startMaxSeconds}s).`), t('Réduisez le travail fait au démarrage ; vérifiez le port et le chemin de disponibilité déclarés.', 'Cut the work done at start-up; check the declared port and readiness path.'));
    if (r.readyMs > policy.startMaxSeconds * 1000)
      return contradicts(need, t(`Prêt en ${seconds(r.readyMs)} s, au-delà du seuil de ${policy.startMaxSeconds} s.`, `Ready in ${seconds(r.readyMs)}s, beyond the ${policy.startMaxSeconds}s threshold.`), t("Réduisez le travail fait au démarrage et n'embarquez que le nécessaire.", 'Cut the work done at start-up and carry only what is needed.'), observed(t(`Prêt en ${seconds(r.readyMs)} s`, `Ready in ${seconds(r.readyMs)}s`)));
    return seen(t(`Image démarrée dans la chaîne : prête en ${seconds(r.readyMs)} s (port ${where}), seuil ${policy.startMaxSeconds} s.`, `Image started in the chain: ready in ${seconds(r.readyMs)}s (port ${where}), threshold ${policy.startMaxSeconds}s.`));
  }
  const stop = r.stop;
  if (!stop) return missing(need, t("L'arrêt de l'image n'a pas été mesuré.", "The image's stop was not measured."), t('Relancez la chaîne sur la révision.', 'Run the chain again on the revision.'));
  const howTo = t('Traitez SIGTERM : terminez les requêtes en cours, fermez les connexions, puis sortez (le service tourne en PID 1, comme dans un pod).', 'Handle SIGTERM: finish the requests in progress, close connections, then exit (the service runs as PID 1, as in a pod).');
  if (stop.killed)
    return contradicts(need, t(`Toujours actif ${seconds(stop.stopWaitMs)} s après SIGTERM : arrêté de force (seuil ${policy.stopMaxSeconds} s).`, `Still running ${seconds(stop.stopWaitMs)}s after SIGTERM: killed (threshold ${policy.stopMaxSeconds}s).`), howTo);
  if (stop.afterMs > policy.stopMaxSeconds * 1000)
    return contradicts(need, t(`Arrêté ${seconds(stop.afterMs)} s après SIGTERM, au-delà du seuil de ${policy.stopMaxSeconds} s.`, `Stopped ${seconds(stop.afterMs)}s after SIGTERM, beyond the ${policy.stopMaxSeconds}s threshold.`), howTo);
  if (stop.exitCode !== 0)
    return contradicts(need, t(`Arrêté après SIGTERM avec le code ${stop.exitCode ?? '?'} : l'arrêt n'est pas propre.`, `Stopped after SIGTERM with code ${stop.exitCode ?? '?'}: not a clean stop.`), howTo);
  return seen(t(`Image démarrée dans la chaîne : arrêtée proprement ${seconds(stop.afterMs)} s après SIGTERM (code 0), seuil ${policy.stopMaxSeconds} s.`, `Image started in the chain: stopped cleanly ${seconds(stop.afterMs)}s after SIGTERM (code 0), threshold ${policy.stopMaxSeconds}s.`));
}
