// Requirements the platform establishes from what it observes itself, outside the chain's checks: a push from
// the team's forge (EX5), feedback delivered back to the team's tools (EX16), small and frequent deliveries —
// the DORA measures (EX17) — and restore tests recorded through the API (EX8). Pure: project facts, policy and
// the time in, a verdict out (same shape as the run evidence of evidence.ts).
import type { EvidenceObservation, EvidenceVerdict } from './evidence.ts';
import type { ProjectFacts } from './facts.ts';
import type { LocalisedText, PlatformFact } from './model.ts';
import type { ConformityPolicy } from './policy.ts';

const DAY_MS = 86_400_000;
const t = (fr: string, en: string): LocalisedText => ({ fr, en });
const iso = (ms: number) => new Date(ms).toISOString();

function missing(fact: PlatformFact, message: LocalisedText, howTo: LocalisedText, code: 'evidence-missing' | 'evidence-expired' = 'evidence-missing'): EvidenceVerdict {
  return { met: false, state: 'awaiting-evidence', shortfall: { code, evidence: fact, message, howTo } };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The DORA measures shown on the project page: deployments in the window, per week, median lead time, and median
 * change size (lines added and deleted since the revision the environment ran before, over the deployments where
 * it could be measured).
 */
export function deliveryMeasures(
  facts: ProjectFacts,
  policy: ConformityPolicy,
):
  | {
    windowDays: number;
    deployments: number;
    perWeek: number;
    medianLeadTimeHours?: number;
    medianChangeLines?: number;
    changesMeasured: number;
    productionDeployments: number;
    lastDeploymentAt?: string;
  }
  | undefined {
  const d = facts.platform?.delivery;
  if (!d) return undefined;
  const lead = median(d.leadTimesHours);
  const change = median(d.changeSizesLines ?? []);
  return {
    windowDays: policy.delivery.windowDays,
    deployments: d.deployments,
    perWeek: Math.round((d.deployments / (policy.delivery.windowDays / 7)) * 100) / 100,
    ...(lead !== undefined ? { medianLeadTimeHours: Math.round(lead * 10) / 10 } : {}),
    ...(change !== undefined ? { medianChangeLines: Math.round(change) } : {}),
    changesMeasured: d.changeSizesLines?.length ?? 0,
    productionDeployments: d.productionDeployments,
    ...(d.lastDeploymentAt ? { lastDeploymentAt: d.lastDeploymentAt } : {}),
  };
}

/** How recent a restore test must be when the catalogue does not say (EX8). */
export const defaultRestoreTestMaxAgeDays = 180;

export function judgePlatformFact(
  fact: PlatformFact,
  facts: ProjectFacts,
  policy: ConformityPolicy,
  now: Date,
  maxAgeDays?: number,
): EvidenceVerdict {
  const nowMs = now.getTime();
  const seen = (
    observedAt: string,
    summary: LocalisedText,
    extra: Partial<EvidenceObservation> = {},
  ): EvidenceVerdict => ({ met: true, observation: { evidence: fact, observedAt, summary, ...extra } });
  const platform = facts.platform;
  if (!platform && fact !== 'forge-push')
    return missing(
      fact,
      t(
        'Les observations de la plateforme ne sont pas disponibles (évaluation hors ligne).',
        "The platform's observations are not available (offline evaluation).",
      ),
      t(
        'Évaluez la conformité sur la plateforme (API ou console).',
        'Evaluate conformity on the platform (API or console).',
      ),
    );
  switch (fact) {
    case 'forge-push': {
      const pushes = facts.repositories
        .map((r) => r.lastForgePush)
        .filter((p): p is NonNullable<typeof p> => p !== undefined);
      const last = pushes.sort((a, b) => (a.at < b.at ? 1 : -1))[0];
      const howTo = t(
        'Configurez le webhook de push de votre forge vers la plateforme (page du dépôt, « Raccordement de la forge »).',
        "Set up your forge's push webhook to the platform (repository page, “Forge connection”).",
      );
      if (!last)
        return missing(
          fact,
          t("Aucun push reçu de la forge de l'équipe.", "No push received from the team's forge."),
          howTo,
        );
      const until = Date.parse(last.at) + policy.forgePushMaxAgeDays * DAY_MS;
      if (nowMs >= until)
        return missing(
          fact,
          t(
            `Dernier push reçu le ${last.at}, il y a plus de ${policy.forgePushMaxAgeDays} jour(s).`,
            `Last push received at ${last.at}, more than ${policy.forgePushMaxAgeDays} day(s) ago.`,
          ),
          howTo,
          'evidence-expired',
        );
      return seen(
        last.at,
        t(`Dernier push reçu de la forge le ${last.at}.`, `Last push received from the forge at ${last.at}.`),
        { runId: last.runId, url: `/api/v1/runs/${last.runId}`, validUntil: iso(until) },
      );
    }
    case 'feedback-delivered': {
      const f = platform!.feedback;
      const howTo = t(
        "Déclarez un webhook de notification (ou le statut de commit) et vérifiez qu'il répond.",
        'Declare a notification webhook (or commit status) and check that it answers.',
      );
      if (!f.lastDeliveredAt)
        return missing(
          fact,
          t(
            "Aucun retour n'a été livré avec succès aux outils de l'équipe.",
            "No feedback was delivered successfully to the team's tools.",
          ),
          howTo,
        );
      const until = Date.parse(f.lastDeliveredAt) + policy.feedbackMaxAgeDays * DAY_MS;
      if (nowMs >= until)
        return missing(
          fact,
          t(
            `Dernière livraison réussie le ${f.lastDeliveredAt}, il y a plus de ${policy.feedbackMaxAgeDays} jour(s).`,
            `Last successful delivery at ${f.lastDeliveredAt}, more than ${policy.feedbackMaxAgeDays} day(s) ago.`,
          ),
          howTo,
          'evidence-expired',
        );
      if (f.lastFailedAt && f.lastFailedAt > f.lastDeliveredAt)
        return {
          met: false,
          state: 'not-satisfied',
          shortfall: {
            code: 'evidence-contradicts',
            evidence: fact,
            message: t(
              `La dernière livraison (${f.lastFailedAt}) a échoué.`,
              `The last delivery (${f.lastFailedAt}) failed.`,
            ),
            howTo,
          },
        };
      const statuses = f.commitStatusesInWindow ?? 0;
      return seen(
        f.lastDeliveredAt,
        t(
          `${f.deliveredInWindow} livraison(s) réussie(s) depuis le ${f.windowStart} (dont statuts de commit : ${statuses} envoyé(s)), la dernière le ${f.lastDeliveredAt}.`,
          `${f.deliveredInWindow} successful deliver(ies) since ${f.windowStart} (commit statuses sent: ${statuses}), the last at ${f.lastDeliveredAt}.`,
        ),
        { url: `/api/v1/projects/${facts.projectId}/commit-status-deliveries`, validUntil: iso(until) },
      );
    }
    case 'delivery-measures': {
      const m = deliveryMeasures(facts, policy)!;
      const d = policy.delivery;
      const howTo = t(
        `Livrez par petits incréments : au moins ${d.minDeployments} déploiement(s) en ${d.windowDays} jours, délai médian commit → déploiement ≤ ${d.maxLeadTimeHours} h, taille médiane des changements ≤ ${d.maxChangeLines} lignes.`,
        `Deliver in small increments: at least ${d.minDeployments} deployment(s) in ${d.windowDays} days, median commit → deployment lead time ≤ ${d.maxLeadTimeHours} h, median change size ≤ ${d.maxChangeLines} lines.`,
      );
      if (m.deployments === 0)
        return missing(
          fact,
          t(
            `Aucun déploiement sur les ${d.windowDays} derniers jours.`,
            `No deployment in the last ${d.windowDays} days.`,
          ),
          howTo,
        );
      const size =
        m.medianChangeLines !== undefined
          ? t(
              `, taille médiane des changements ${m.medianChangeLines} ligne(s)`,
              `, median change size ${m.medianChangeLines} line(s)`,
            )
          : t('', '');
      const summary = t(
        `${m.deployments} déploiement(s) en ${d.windowDays} jours (${m.perWeek}/semaine), délai médian ${m.medianLeadTimeHours ?? '?'} h${size.fr}.`,
        `${m.deployments} deployment(s) in ${d.windowDays} days (${m.perWeek}/week), median lead time ${m.medianLeadTimeHours ?? '?'} h${size.en}.`,
      );
      if (
        m.deployments < d.minDeployments ||
        (m.medianLeadTimeHours !== undefined && m.medianLeadTimeHours > d.maxLeadTimeHours) ||
        (m.medianChangeLines !== undefined && m.medianChangeLines > d.maxChangeLines)
      )
        return {
          met: false,
          state: 'not-satisfied',
          shortfall: { code: 'evidence-contradicts', evidence: fact, message: summary, howTo },
          observation: { evidence: fact, observedAt: now.toISOString(), summary },
        };
      const oldest = facts.platform?.delivery.oldestAt;
      return seen(m.lastDeploymentAt ?? now.toISOString(), summary, {
        url: `/api/v1/projects/${facts.projectId}/deployments`,
        ...(oldest ? { validUntil: iso(Date.parse(oldest) + d.windowDays * DAY_MS) } : {}),
      });
    }
    case 'restore-rehearsed': {
      const r = platform!.lastRestoreTest;
      const howTo = t(
        'Enregistrez chaque exercice de restauration (POST /api/v1/projects/{id}/restore-tests) ou faites-le par un job automatisé.',
        'Record each restore exercise (POST /api/v1/projects/{id}/restore-tests) or run it as an automated job.',
      );
      if (!r) return missing(fact, t('Aucun test de restauration enregistré.', 'No restore test recorded.'), howTo);
      const days = maxAgeDays ?? defaultRestoreTestMaxAgeDays;
      const until = Date.parse(r.at) + days * DAY_MS;
      const url = `/api/v1/projects/${facts.projectId}/restore-tests`;
      if (nowMs >= until)
        return missing(
          fact,
          t(
            `Dernier test de restauration le ${r.at}, il y a plus de ${days} jours.`,
            `Last restore test at ${r.at}, more than ${days} days ago.`,
          ),
          howTo,
          'evidence-expired',
        );
      if (!r.succeeded) {
        const message = t(
          `Le dernier test de restauration (${r.at}) a échoué.`,
          `The last restore test (${r.at}) failed.`,
        );
        return {
          met: false,
          state: 'not-satisfied',
          shortfall: { code: 'evidence-contradicts', evidence: fact, message, howTo },
          observation: { evidence: fact, observedAt: r.at, summary: message, url },
        };
      }
      return seen(
        r.at,
        t(
          `Restauration réussie le ${r.at}, enregistrée par ${r.recordedBy} (valable ${days} jours).`,
          `Restore succeeded at ${r.at}, recorded by ${r.recordedBy} (valid for ${days} days).`,
        ),
        { url, validUntil: iso(until) },
      );
    }
  }
}
