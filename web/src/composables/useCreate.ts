// The life cycle of a form that creates something through the API (useAction's POST case): besides the busy flag,
// the server's problem and the list reloaded after a success, it keeps what the server answered (a webhook's secret,
// a token: shown once). The route decides the body the form must send and the type of the answer (contract.ts).
import { ref, type Ref } from 'vue';
import { post } from '../api.ts';
import type { KeyOf, PathOf, RequestOf, ResponseOf } from '../contract.ts';
import { useAction, type Refresh } from './useAction.ts';

type Route<P extends PathOf<'POST'>> = KeyOf<'POST', P>;

/** `params`: the path's parameters, e.g. { projectId } for '/projects/{projectId}/webhooks'. */
export function useCreate<P extends PathOf<'POST'>>(path: P, refresh?: Refresh, params?: RequestOf<Route<P>>['params']) {
  const { problem, busy, done, run } = useAction(refresh);
  const created = ref<ResponseOf<Route<P>> | null>(null) as Ref<ResponseOf<Route<P>> | null>;
  /** Sends the form; true when the server accepted it (the list is then reloaded). */
  function submit(body: RequestOf<Route<P>>['body']): Promise<boolean> {
    // The request is made of the route's own parts (its parameters and body), so it has the route's shape;
    // TypeScript cannot follow that through the generic path, hence the one cast.
    const send = post as (path: P, request: { params?: unknown; body?: unknown }) => Promise<ResponseOf<Route<P>>>;
    return run(async () => {
      created.value = await send(path, { params, body });
    });
  }
  return { problem, busy, done, created, submit };
}
