// The one list of route plugins. Each module default-exports `async function (app: App, services: Services)`.
// Append one line per file; `prefix` is where its paths are mounted.
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

export interface RouteModule {
  default: (app: App, services: Services) => Promise<void>;
}

export const routeModules: { prefix: string; load: () => Promise<RouteModule> }[] = [
  { prefix: '', load: () => import('./ops.ts') },
  { prefix: '', load: () => import('./auth.ts') },
  { prefix: '/api/v1', load: () => import('./me.ts') },
  { prefix: '/api/v1', load: () => import('./projects.ts') },
  { prefix: '/api/v1', load: () => import('./members.ts') },
  { prefix: '/api/v1', load: () => import('./roles.ts') },
  { prefix: '/api/v1', load: () => import('./environments.ts') },
  { prefix: '/api/v1', load: () => import('./repositories.ts') },
  { prefix: '/api/v1', load: () => import('./infrastructure-skeleton.ts') },
  { prefix: '/api/v1', load: () => import('./service-accounts.ts') },
  { prefix: '/api/v1', load: () => import('./admin-zones.ts') },
  { prefix: '/api/v1', load: () => import('./admin-clusters.ts') },
  { prefix: '/api/v1', load: () => import('./admin-stages.ts') },
  { prefix: '/api/v1', load: () => import('./admin-users.ts') },
  { prefix: '/api/v1', load: () => import('./admin-usage-policies.ts') },
  { prefix: '/api/v1', load: () => import('./admin-url-allow-list.ts') },
  { prefix: '/api/v1', load: () => import('./admin-audit.ts') },
  { prefix: '/api/v1', load: () => import('./advisories.ts') },
  { prefix: '/api/v1', load: () => import('./runs.ts') },
  { prefix: '/api/v1', load: () => import('./hooks.ts') },
  { prefix: '/api/v1', load: () => import('./webhooks.ts') },
  { prefix: '/api/v1', load: () => import('./requirements.ts') },
  { prefix: '/api/v1', load: () => import('./rules.ts') },
  { prefix: '/api/v1', load: () => import('./conformity.ts') },
  { prefix: '/api/v1', load: () => import('./derogations.ts') },
  { prefix: '/api/v1', load: () => import('./attestations.ts') },
  { prefix: '/api/v1', load: () => import('./not-applicable.ts') },
  { prefix: '/api/v1', load: () => import('./restore-tests.ts') },
  { prefix: '/api/v1', load: () => import('./dossier.ts') },
  { prefix: '/api/v1', load: () => import('./deployments.ts') },
  { prefix: '/api/v1', load: () => import('./secrets.ts') },
  { prefix: '/api/v1', load: () => import('./network-flows.ts') },
  { prefix: '/api/v1', load: () => import('./component-catalogue.ts') },
  { prefix: '/api/v1', load: () => import('./environment-services.ts') },
];
