// Who is logged in, loaded once from GET /me; the shell reacts to 401 and usage-policy problems.
import { ref } from 'vue';
import { get, onProblem } from './api.ts';
import { router } from './router.ts';

import type { Me } from './contract.ts';

export type { Me };

export const me = ref<Me | null>(null);
export const loaded = ref(false);

export async function loadMe(): Promise<void> {
  try {
    me.value = await get('/me');
  } catch {
    me.value = null;
  } finally {
    loaded.value = true;
  }
}

/** The person must accept the usage policy in force before anything else. */
export const policyPending = () =>
  Boolean(
    me.value &&
    me.value.usagePolicy.required &&
    !me.value.usagePolicy.accepted &&
    me.value.usagePolicy.currentVersion !== null,
  );
export const isAdmin = () => (me.value?.adminRoles ?? []).some((r) => r === 'platform-admin' || r === 'admin-read-only');
export const isPlatformAdmin = () => (me.value?.adminRoles ?? []).includes('platform-admin');
export const isSecurityOfficer = () => (me.value?.adminRoles ?? []).includes('security-officer');

onProblem((p) => {
  const current = router.currentRoute.value;
  if (p.status === 401 && current.name !== 'login') {
    me.value = null;
    void router.push({ name: 'login', query: { next: current.fullPath } });
  } else if (p.kind === 'usage-policy-required' && current.name !== 'usage-policy') {
    void router.push({ name: 'usage-policy', query: { next: current.fullPath } });
  }
});
