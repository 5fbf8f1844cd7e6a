// How the evaluation policy is written: by the platform's administrators in DSO_EVALUATION_POLICY
// (`chart=block!,dependency=warn,unknown-severity=block`, `!` = enforced, projects cannot change it), and by a project
// in its `.dso.yml` (`evaluation: { unevaluated: { dependency: block }, unknownSeverity: warn }`). Both are parsed
// here, with problems said in French and English; `mergeEvaluationPolicy` (unevaluated.ts) combines them. Pure.
import {
  defaultEvaluationPolicy,
  unevaluatedKinds,
  type EvaluationPolicy,
  type EvaluationPolicyKey,
  type ProjectEvaluationPolicy,
  type UnevaluatedAction,
  type UnevaluatedKind,
} from './unevaluated.ts';

export interface PolicyProblem {
  /** Where: the `.dso.yml` path (`evaluation.unevaluated.chart`) or the platform entry. */
  path: string;
  fr: string;
  en: string;
}

const actions: readonly UnevaluatedAction[] = ['block', 'warn'];
const severityActions: readonly EvaluationPolicy['unknownSeverity'][] = ['block', 'warn', 'ignore'];

const isKind = (k: string): k is UnevaluatedKind => (unevaluatedKinds as readonly string[]).includes(k);

/** DSO_EVALUATION_POLICY: entries `<kind>=<action>` (optionally ending with `!`), comma separated, over the
 * defaults. */
export function parsePlatformEvaluationPolicy(
  text: string | undefined,
  base: EvaluationPolicy = defaultEvaluationPolicy,
): { policy: EvaluationPolicy; problems: string[] } {
  const policy: EvaluationPolicy = { unevaluated: { ...base.unevaluated }, unknownSeverity: base.unknownSeverity };
  const enforced: EvaluationPolicyKey[] = [];
  const problems: string[] = [];
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+)\s*=\s*([a-z]+)(!?)$/.exec(entry);
    const key = match?.[1] ?? '';
    const value = match?.[2] ?? '';
    if (match && isKind(key) && (actions as readonly string[]).includes(value)) {
      policy.unevaluated[key] = value as UnevaluatedAction;
      if (match[3]) enforced.push(key);
    } else if (match && key === 'unknown-severity' && (severityActions as readonly string[]).includes(value)) {
      policy.unknownSeverity = value as EvaluationPolicy['unknownSeverity'];
      if (match[3]) enforced.push('unknownSeverity');
    } else {
      problems.push(
        `DSO_EVALUATION_POLICY entry "${entry}" must look like <kind>=block|warn[!] with kind one of ${unevaluatedKinds.join(', ')}, or unknown-severity=block|warn|ignore[!].`,
      );
    }
  }
  if (enforced.length > 0) policy.enforced = enforced;
  return { policy, problems };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `.dso.yml` `evaluation:`; what is wrong is reported and left out (the platform's value then applies). */
export function projectEvaluationPolicyOf(raw: unknown): {
  policy?: ProjectEvaluationPolicy;
  problems: PolicyProblem[];
} {
  if (raw === undefined || raw === null) return { problems: [] };
  const problems: PolicyProblem[] = [];
  if (!isRecord(raw)) {
    return {
      problems: [
        {
          path: 'evaluation',
          fr: '« evaluation » doit être un objet (clés unevaluated, unknownSeverity).',
          en: '"evaluation" must be a mapping (keys unevaluated, unknownSeverity).',
        },
      ],
    };
  }
  const policy: ProjectEvaluationPolicy = {};
  for (const key of Object.keys(raw)) {
    if (key !== 'unevaluated' && key !== 'unknownSeverity')
      problems.push({
        path: `evaluation.${key.slice(0, 64)}`,
        fr: `Clé inconnue ignorée : « ${key.slice(0, 64)} ».`,
        en: `Unknown key ignored: "${key.slice(0, 64)}".`,
      });
  }
  if (raw.unevaluated !== undefined) {
    if (!isRecord(raw.unevaluated)) {
      problems.push({
        path: 'evaluation.unevaluated',
        fr: '« unevaluated » doit associer un type (chart, overlay, manifest, dependency, advisories) à block ou warn.',
        en: '"unevaluated" must map a kind (chart, overlay, manifest, dependency, advisories) to block or warn.',
      });
    } else {
      const unevaluated: Partial<Record<UnevaluatedKind, UnevaluatedAction>> = {};
      for (const [kind, action] of Object.entries(raw.unevaluated)) {
        const where = `evaluation.unevaluated.${kind.slice(0, 64)}`;
        if (!isKind(kind))
          problems.push({
            path: where,
            fr: `Type inconnu (acceptés : ${unevaluatedKinds.join(', ')}).`,
            en: `Unknown kind (accepted: ${unevaluatedKinds.join(', ')}).`,
          });
        else if (typeof action !== 'string' || !(actions as readonly string[]).includes(action))
          problems.push({ path: where, fr: 'Indiquez block ou warn.', en: 'Give block or warn.' });
        else unevaluated[kind] = action as UnevaluatedAction;
      }
      policy.unevaluated = unevaluated;
    }
  }
  if (raw.unknownSeverity !== undefined) {
    if (
      typeof raw.unknownSeverity !== 'string' ||
      !(severityActions as readonly string[]).includes(raw.unknownSeverity)
    ) {
      problems.push({
        path: 'evaluation.unknownSeverity',
        fr: 'Indiquez block, warn ou ignore.',
        en: 'Give block, warn or ignore.',
      });
    } else {
      policy.unknownSeverity = raw.unknownSeverity as EvaluationPolicy['unknownSeverity'];
    }
  }
  return { policy, problems };
}
