// The life cycle of one request a form or a row's button sends (save an edit, delete, change a role, start a run):
// the busy flag (the button waits), the server's problem (shown by ProblemAlert and next to the fields), whether it
// went through (the "saved" notice), and the list reloaded after a success. useCreate is its POST-and-keep-the-answer
// case; every form of the console goes through one of the two, so none hand-rolls these flags again.
import { ref, type Ref } from 'vue';
import { ApiProblem } from '../api.ts';

export interface Reloadable {
  reload(): Promise<void>;
}

/** What to refresh after a success: a PagedTable (its ref) or the view's own loader. */
export type Refresh = Ref<Reloadable | null> | (() => Promise<unknown>);

export function useAction(refresh?: Refresh) {
  const problem = ref<ApiProblem | null>(null);
  const busy = ref(false);
  const done = ref(false);
  /** Sends the request; true when the server accepted it (what shows the list is then reloaded). */
  async function run(request: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    problem.value = null;
    done.value = false;
    try {
      await request();
      done.value = true;
      await (typeof refresh === 'function' ? refresh() : refresh?.value?.reload());
      return true;
    } catch (e) {
      problem.value = e instanceof ApiProblem ? e : null;
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { problem, busy, done, run };
}
