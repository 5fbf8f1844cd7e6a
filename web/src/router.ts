import { createRouter, createWebHistory } from 'vue-router';

// Every screen is a lazy chunk: the first paint only loads the shell.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'projects', component: () => import('./views/ProjectsView.vue') },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/usage-policy', name: 'usage-policy', component: () => import('./views/UsagePolicyView.vue') },
    { path: '/projects/new', name: 'project-create', component: () => import('./views/ProjectCreateView.vue') },
    { path: '/projects/:projectId', name: 'project', component: () => import('./views/ProjectView.vue'), props: true },
    { path: '/admin/:section(zones|clusters|stages|users|usage-policies|audit|health)', name: 'admin', component: () => import('./views/AdminView.vue'), props: true },
    { path: '/admin', redirect: '/admin/zones' },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { public: true } },
  ],
});
