// The life cycle of a form that creates something through the API, shared by the console's forms: the busy flag
// (the button waits), the server's problem (shown by ProblemAlert and next to the fields), what the server answered
// (a webhook's secret, a token: shown once), and the list reloaded after a success.
import { ref, type Ref } from 'vue';
import { ApiProblem, post } from '../api.ts';

interface Reloadable {
  reload(): Promise<void>;
}

export function useCreate<Body, Answer = unknown>(path: string | (() => string), table?: Ref<Reloadable | null>) {
  const problem = ref<ApiProblem | null>(null);
  const busy = ref(false);
  const done = ref(false);
  const created = ref<Answer | null>(null) as Ref<Answer | null>;
  /** Sends the form; true when the server accepted it (the list is then reloaded). */
  async function submit(body: Body): Promise<boolean> {
    busy.value = true;
    problem.value = null;
    done.value = false;
    try {
      created.value = await post<Answer>(typeof path === 'string' ? path : path(), body);
      done.value = true;
      await table?.value?.reload();
      return true;
    } catch (e) {
      problem.value = e instanceof ApiProblem ? e : null;
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { problem, busy, done, created, submit };
}
