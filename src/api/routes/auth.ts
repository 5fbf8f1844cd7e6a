// Browser login (OIDC) and logout. Filled in with the relying party; see integrations/identity.
import type { App } from '../server.ts';
import type { Services } from '../services.ts';

export default async function authRoutes(_app: App, _services: Services): Promise<void> {}
