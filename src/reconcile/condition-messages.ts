// What a status condition says, as a stable code plus parameters, rendered in French and in English here — like
// step notes (src/chain/step-notes.ts) and verdict reasons. The database keeps the code, the parameters and the
// English text (`message`, for logs and older clients); the API renders the request's language and sends both
// texts, so the console and the CLI show French by default without re-running a reconcile. Pure: no I/O.
import type { LocalisedText } from '../errors.ts';

export type ConditionParams = Record<string, string | number>;

const str = (params: ConditionParams, name: string) => String(params[name] ?? '');

/** Reconcile steps by the name the composition root gives them (src/api/compose.ts), in words. */
const stepNames: Record<string, LocalisedText> = {
  'chain-mirrors': { fr: 'miroirs des dépôts', en: 'repository mirrors' },
  gitops: { fr: 'dépôt GitOps', en: 'GitOps repository' },
  render: { fr: 'rendu des manifestes', en: 'manifest rendering' },
};

function stepName(params: ConditionParams): LocalisedText {
  const step = str(params, 'step');
  return stepNames[step] ?? { fr: step, en: step };
}

/** Each condition message in both languages, from its parameters. `fr`/`en` parameters carry text already said in
 * both. */
const texts = {
  'reconciled': () => ({ fr: 'État souhaité appliqué.', en: 'Desired state applied.' }),
  'repository.url-refused': (p) => ({ fr: `Adresse de dépôt refusée — ${str(p, 'fr')}`, en: `Repository URL refused — ${str(p, 'en')}` }),
  'render.refused': (p) => ({ fr: str(p, 'fr'), en: str(p, 'en') }),
  'gitops.failed': (p) => ({ fr: str(p, 'fr'), en: str(p, 'en') }),
  'gitops.contended': () => ({ fr: 'Une autre instance a modifié le dépôt GitOps en même temps : nouvel essai en cours.', en: 'Another replica moved the GitOps repository at the same time; trying again.' }),
  // An error no step put into words (a crash, a library's message): the step is named, the error kept as it came.
  'step.failed': (p) => ({ fr: `Échec de l’étape « ${stepName(p).fr} » : ${str(p, 'error')}`, en: str(p, 'error') }),
  'step.retrying': (p) => ({ fr: `Étape « ${stepName(p).fr} » en cours de nouvel essai : ${str(p, 'error')}`, en: str(p, 'error') }),
} satisfies Record<string, (params: ConditionParams) => LocalisedText>;

export type ConditionMessageCode = keyof typeof texts;

/** What a condition says, as data: `conditionText` renders it in both languages. */
export interface ConditionMessage {
  code: ConditionMessageCode;
  params?: ConditionParams;
}

export const conditionMessageCodes = Object.keys(texts) as ConditionMessageCode[];

/** Bound on each parameter written into a user-visible condition (a step's error may be long). */
const maxParamLength = 1000;

export function conditionMessage(code: ConditionMessageCode, params?: ConditionParams): ConditionMessage {
  if (!params) return { code };
  const bounded = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, maxParamLength) : v]));
  return { code, params: bounded };
}

/** Both texts of a message; an unknown code (written by a newer version) shows itself. */
export function conditionMessageText(said: { code: string; params?: ConditionParams }): LocalisedText {
  const render = (texts as Record<string, ((params: ConditionParams) => LocalisedText) | undefined>)[said.code];
  return render ? render(said.params ?? {}) : { fr: said.code, en: said.code };
}

/** A stored condition's text in both languages: from its code, or — rows written before codes — its message as is. */
export function conditionText(condition: { message: string; code?: string; params?: ConditionParams }): LocalisedText {
  if (!condition.code) return { fr: condition.message, en: condition.message };
  return conditionMessageText({ code: condition.code, ...(condition.params ? { params: condition.params } : {}) });
}

/** Thrown by a reconcile step that can say why it failed in both languages: the message becomes the Failed
 * condition. */
export class ReconcileFailure extends Error {
  constructor(readonly said: ConditionMessage) {
    super(conditionMessageText(said).en);
  }
}

/** What an error thrown by step `step` says: its own message when it has one, else the error framed by the step. */
export function conditionMessageOfError(error: unknown, step: string, retrying = false): ConditionMessage {
  const said = (error as { said?: ConditionMessage } | null)?.said;
  if (said && typeof said.code === 'string') return said;
  const text = error instanceof Error ? error.message : String(error);
  return conditionMessage(retrying ? 'step.retrying' : 'step.failed', { step, error: text });
}
