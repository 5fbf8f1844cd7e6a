// Where the platform serves its Helm repository of published catalogue versions: ArgoCD Applications of service
// instances name it as their Helm source (`repoURL`), and read `index.yaml` and the archives from it.
import type { Config } from '../config.ts';

/** Path of the Helm repository under the platform's public URL (index.yaml and charts/<name>-<version>.tgz below
 * it). */
export const chartRepositoryPath = '/api/v1/catalogue/repository';

export function chartRepositoryUrl(services: { config: Pick<Config, 'publicUrl'> }): string {
  return `${services.config.publicUrl.replace(/\/+$/, '')}${chartRepositoryPath}`;
}
