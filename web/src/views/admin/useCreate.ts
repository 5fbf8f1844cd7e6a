// The create-form life cycle shared by the administration screens: busy flag, server problem, reload after success.
import { ref, type Ref } from 'vue';
import { ApiProblem, post } from '../../api.ts';

export function useCreate<Body>(path: string, table: Ref<{ reload(): Promise<void> } | null>) {
  const problem = ref<ApiProblem | null>(null);
  const busy = ref(false);
  const done = ref(false);
  async function submit(body: Body): Promise<boolean> {
    busy.value = true;
    problem.value = null;
    done.value = false;
    try {
      await post(path, body);
      done.value = true;
      await table.value?.reload();
      return true;
    } catch (e) {
      problem.value = e instanceof ApiProblem ? e : null;
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { problem, busy, done, submit };
}
