// The one list of route plugins. Each module default-exports `async function (app: App, services: Services)`.
// Append one line per file; `prefix` is where its paths are mounted.
import type { App } from '../server.ts';
import type { Services } from '../services.ts';

export interface RouteModule {
  default: (app: App, services: Services) => Promise<void>;
}

export const routeModules: { prefix: string; load: () => Promise<RouteModule> }[] = [
  { prefix: '', load: () => import('./ops.ts') },
  { prefix: '', load: () => import('./auth.ts') },
];
