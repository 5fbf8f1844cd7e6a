// Status conditions, Kubernetes style: one entry per type; lastTransitionTime only moves when the status flips.
// Messages are catalogued (code + parameters, src/reconcile/condition-messages.ts) so that the console and the CLI
// say them in the user's language; `message` keeps the English text for logs and older clients.
import type { Condition } from '../db/schema.ts';
import { conditionMessage, conditionMessageText, type ConditionMessage } from './condition-messages.ts';

export function setCondition(conditions: readonly Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: Date): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous && previous.status === next.status ? previous.lastTransitionTime : now.toISOString();
  return [...conditions.filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}

/** The stored form of a catalogued message: the English text, the code and its parameters. */
function said(message: ConditionMessage): Pick<Condition, 'message' | 'code' | 'params'> {
  return {
    message: conditionMessageText(message).en,
    code: message.code,
    ...(message.params ? { params: message.params } : {}),
  };
}

export function readyConditions(conditions: readonly Condition[], now: Date): Condition[] {
  const withReady = setCondition(conditions, { type: 'Ready', status: 'True', reason: 'Reconciled', ...said(conditionMessage('reconciled')) }, now);
  const settled = conditions.some((c) => c.type === 'Progressing') ? setCondition(withReady, { type: 'Progressing', status: 'False', reason: 'Reconciled', message: '' }, now) : withReady;
  return setCondition(settled, { type: 'Failed', status: 'False', reason: 'Reconciled', message: '' }, now);
}

export function failedConditions(
  conditions: readonly Condition[],
  step: string,
  message: ConditionMessage,
  now: Date,
): Condition[] {
  const reason = `${step.replace(/(^|[-_\s])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}Failed`;
  const withReady = setCondition(conditions, { type: 'Ready', status: 'False', reason, ...said(message) }, now);
  return setCondition(withReady, { type: 'Failed', status: 'True', reason, ...said(message) }, now);
}

/** Still converging: a transient failure is being retried (Ready stays False, Failed is not raised). */
export function progressingConditions(
  conditions: readonly Condition[],
  reason: string,
  message: ConditionMessage,
  now: Date,
): Condition[] {
  const withReady = setCondition(conditions, { type: 'Ready', status: 'False', reason, ...said(message) }, now);
  return setCondition(withReady, { type: 'Progressing', status: 'True', reason, ...said(message) }, now);
}
