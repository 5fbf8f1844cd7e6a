import { nextTick } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';

// Every screen is a lazy chunk: the first paint only loads the shell.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'projects', component: () => import('./views/ProjectsView.vue') },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/usage-policy', name: 'usage-policy', component: () => import('./views/UsagePolicyView.vue') },
    { path: '/projects/new', name: 'project-create', component: () => import('./views/ProjectCreateView.vue') },
    { path: '/projects/:projectId/runs/:runId', name: 'run', component: () => import('./views/RunView.vue'), props: true },
    { path: '/projects/:projectId/:tab(overview|members|environments|repositories|service-accounts|webhooks|conformity|secrets)?', name: 'project', component: () => import('./views/ProjectView.vue'), props: true },
    { path: '/rules/:ruleId', name: 'rule', component: () => import('./views/RuleView.vue'), props: true },
    { path: '/catalogue', name: 'catalogue', component: () => import('./views/catalogue/CatalogueView.vue') },
    { path: '/security', name: 'security', component: () => import('./views/SecurityView.vue') },
    { path: '/admin/:section(zones|clusters|stages|users|usage-policies|url-allow-list|advisories|audit|health)', name: 'admin', component: () => import('./views/AdminView.vue'), props: true },
    { path: '/admin', redirect: '/admin/zones' },
    { path: '/accessibilite', name: 'accessibility', component: () => import('./views/LegalView.vue'), props: { page: 'accessibilite' }, meta: { public: true } },
    { path: '/mentions-legales', name: 'legal-notice', component: () => import('./views/LegalView.vue'), props: { page: 'mentions-legales' }, meta: { public: true } },
    { path: '/donnees-personnelles', name: 'personal-data', component: () => import('./views/LegalView.vue'), props: { page: 'donnees-personnelles' }, meta: { public: true } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { public: true } },
  ],
});

// RGAA: after a navigation, move focus to the page's title so screen readers announce the new page.
let first = true;
router.afterEach((to, from) => {
  if (first) {
    first = false;
    return;
  }
  if (to.path === from.path) return;
  // Switching tabs inside one screen keeps the focus on the tab (WAI-ARIA tabs), not on the title.
  if (to.name === from.name && (to.name === 'admin' || (to.name === 'project' && to.params.projectId === from.params.projectId))) return;
  void nextTick(() => {
    setTimeout(() => {
      const target = document.querySelector<HTMLElement>('#contenu h1') ?? document.getElementById('contenu');
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }, 0);
  });
});
