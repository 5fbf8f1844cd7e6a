// Who is logged in, loaded once from GET /me; the shell reacts to 401 and usage-policy problems.
import { ref } from 'vue';
import { get, onProblem } from './api.ts';
import { router } from './router.ts';

export interface Me {
  id: string;
  displayName: string;
  email?: string | null;
  adminRoles: string[];
  usagePolicy?: { currentVersion: number | null; accepted: boolean };
}

export const me = ref<Me | null>(null);
export const loaded = ref(false);

export async function loadMe(): Promise<void> {
  try {
    me.value = await get<Me>('/me');
  } catch {
    me.value = null;
  } finally {
    loaded.value = true;
  }
}

export const isAdmin = () => (me.value?.adminRoles ?? []).some((r) => r === 'platform-admin' || r === 'admin-read-only');
export const isSecurityOfficer = () => (me.value?.adminRoles ?? []).includes('security-officer');

onProblem((p) => {
  if (p.status === 401 && router.currentRoute.value.name !== 'login') {
    me.value = null;
    void router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
  } else if (p.kind === 'usage-policy-required' && router.currentRoute.value.name !== 'usage-policy') {
    void router.push({ name: 'usage-policy', query: { next: router.currentRoute.value.fullPath } });
  }
});
