// The life cycle of a form that creates something through the API (useAction's POST case): besides the busy flag,
// the server's problem and the list reloaded after a success, it keeps what the server answered (a webhook's secret,
// a token: shown once).
import { ref, type Ref } from 'vue';
import { post } from '../api.ts';
import { useAction, type Refresh } from './useAction.ts';

export function useCreate<Body, Answer = unknown>(path: string | (() => string), refresh?: Refresh) {
  const { problem, busy, done, run } = useAction(refresh);
  const created = ref<Answer | null>(null) as Ref<Answer | null>;
  /** Sends the form; true when the server accepted it (the list is then reloaded). */
  function submit(body: Body): Promise<boolean> {
    return run(async () => {
      created.value = await post<Answer>(typeof path === 'string' ? path : path(), body);
    });
  }
  return { problem, busy, done, created, submit };
}
