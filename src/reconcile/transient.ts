// A reconcile step that failed for a reason expected to clear by itself — another replica moved the GitOps
// repository under it, a remote answered "try again" — throws this. The resource then shows as progressing, with
// the reason, while the queue retries; `failed` is kept for what needs a person to act.
import { conditionMessageText, type ConditionMessage } from './condition-messages.ts';

export class TransientReconcileError extends Error {
  constructor(
    /** Condition reason, e.g. `GitopsRetrying`. */
    readonly reason: string,
    message: string | ConditionMessage,
  ) {
    super(typeof message === 'string' ? message : conditionMessageText(message).en);
    if (typeof message !== 'string') this.said = message;
  }

  /** The progressing condition's message in both languages, when the step could say it. */
  readonly said?: ConditionMessage;
}
