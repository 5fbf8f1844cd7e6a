// Everything a service instance must pass before it is committed, in order: the version is published (and, for an
// operator, the host runs that operator on the environment's cluster), the values match values.schema.json, the
// chart rendered with those values passes the same checks as teams' code, and what it asks fits in the
// environment's quota next to its other services. Refusals are values with French and English text.
//
// A version published with an exception keeps its known blocking findings: an instance is refused only for blocking
// findings its values add (rules the published version did not already break), so that values which break Pod
// Security are caught while an accepted exception stays usable.
import { checkChartVersion, type CatalogueFinding, type ChartCheckResult } from '../check.ts';
import { footprintOf, quotaShortfalls, type Footprint, type QuotaShortfall } from './footprint.ts';
import { validateValues, withChartDefaults, type ValuesProblem } from './values.ts';

export interface InstantiableVersion {
  kind: 'chart' | 'operator';
  version: string;
  publishedAt: Date | null;
  archive: Buffer | null;
  valuesSchema: Record<string, unknown> | null;
  /** The chart's values.yaml: the schema is checked on these defaults overlaid with the instance's values, as helm
   * does. */
  defaultValues?: string | null;
  /** Findings of the published version (default values), with their blocking flag. */
  findings: readonly { ruleId: string; blocking?: boolean }[];
}

export interface PrepareInput {
  version: InstantiableVersion;
  values: Record<string, unknown>;
  namespace: string;
  name: string;
  /** The environment's quota. */
  quota: Footprint;
  /** What the environment's other services already take. */
  others: Footprint;
  /** For an operator: whether the host runs it on the environment's cluster. */
  operatorInstalled?: boolean;
  now?: Date;
}

export type Refusal =
  | { reason: 'version-not-published' | 'operator-not-installed' | 'not-rendered'; message: { fr: string; en: string } }
  | { reason: 'values-invalid'; message: { fr: string; en: string }; problems: ValuesProblem[] }
  | { reason: 'checks-failed'; message: { fr: string; en: string }; findings: CatalogueFinding[] }
  | { reason: 'quota-exceeded'; message: { fr: string; en: string }; shortfalls: QuotaShortfall[]; footprint: Footprint };

export type Prepared = { ok: true; check: ChartCheckResult; footprint: Footprint } | { ok: false; refusal: Refusal };

/** The check with an instance's values; a test or the benchmark can replace it. */
export type InstanceCheck = typeof checkChartVersion;

export async function prepareInstance(
  input: PrepareInput,
  check: InstanceCheck = checkChartVersion,
): Promise<Prepared> {
  const { version } = input;
  if (!version.publishedAt) {
    return {
      ok: false,
      refusal: {
        reason: 'version-not-published',
        message: {
          fr: `La version ${version.version} n'est pas publiée au catalogue : seules les versions publiées peuvent être déployées.`,
          en: `Version ${version.version} is not published in the catalogue: only published versions can be deployed.`,
        },
      },
    };
  }
  if (version.kind === 'operator' && input.operatorInstalled === false) {
    return {
      ok: false,
      refusal: {
        reason: 'operator-not-installed',
        message: {
          fr: "L'opérateur de ce service n'est pas installé sur le cluster de cet environnement.",
          en: "This service's operator is not installed on this environment's cluster.",
        },
      },
    };
  }
  const problems = validateValues(version.valuesSchema, withChartDefaults(version.defaultValues, input.values));
  if (problems.length > 0) {
    const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
    const fr = problems.map((p) => `${p.field || '/'} : ${lower(p.message.fr)}`).join(' ; ');
    const en = problems.map((p) => `${p.field || '/'}: ${lower(p.message.en)}`).join('; ');
    return {
      ok: false,
      refusal: {
        reason: 'values-invalid',
        problems,
        message: {
          fr: `Valeurs refusées par le schéma du chart : ${fr}.`,
          en: `Values refused by the chart's schema: ${en}.`,
        },
      },
    };
  }
  if (!version.archive) {
    return {
      ok: false,
      refusal: {
        reason: 'not-rendered',
        message: {
          fr: "Cette version n'a pas de chart empaqueté à rendre.",
          en: 'This version has no packaged chart to render.',
        },
      },
    };
  }
  const result = await check({
    archive: version.archive,
    values: input.values,
    namespace: input.namespace,
    releaseName: input.name,
    ...(input.now ? { now: input.now } : {}),
  });
  if (result.verdict === 'unevaluated') {
    const why = result.unevaluated
      .map((u) => u.message)
      .join(' ')
      .slice(0, 500);
    return {
      ok: false,
      refusal: {
        reason: 'not-rendered',
        message: {
          fr: `Le chart ne se rend pas avec ces valeurs : ${why}`,
          en: `The chart does not render with these values: ${why}`,
        },
      },
    };
  }
  const accepted = new Set(version.findings.filter((f) => f.blocking).map((f) => f.ruleId));
  const added = result.findings.filter((f) => f.blocking && !accepted.has(f.ruleId));
  if (added.length > 0) {
    const rules = [...new Set(added.map((f) => f.ruleId))].join(', ');
    return {
      ok: false,
      refusal: {
        reason: 'checks-failed',
        findings: added,
        message: {
          fr: `Avec ces valeurs, le service ne passe pas les contrôles de la plateforme (${rules}) : ${added[0]!.message}`,
          en: `With these values the service fails the platform's checks (${rules}): ${added[0]!.message}`,
        },
      },
    };
  }
  const footprint = footprintOf(result.manifests);
  const shortfalls = quotaShortfalls(input.quota, input.others, footprint);
  if (shortfalls.length > 0) {
    const unit = (s: QuotaShortfall) => (s.resource === 'cpuMillicores' ? 'm CPU' : ' Mi');
    const fr = shortfalls
      .map((s) => `${s.requested}${unit(s)} demandés, ${s.available}${unit(s)} disponibles`)
      .join(' ; ');
    const en = shortfalls
      .map((s) => `${s.requested}${unit(s)} requested, ${s.available}${unit(s)} available`)
      .join('; ');
    return {
      ok: false,
      refusal: {
        reason: 'quota-exceeded',
        shortfalls,
        footprint,
        message: {
          fr: `Le service dépasse le quota de l'environnement : ${fr}.`,
          en: `The service exceeds the environment's quota: ${en}.`,
        },
      },
    };
  }
  return { ok: true, check: result, footprint };
}
