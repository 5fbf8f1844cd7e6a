// A first infrastructure repository as the API offers it (GET /projects/{projectId}/infrastructure-skeleton): which
// application and probe it is for, and each file with why it is there.
import { z } from 'zod';
import { skeletonDefaults } from '../../deploy/infrastructure-skeleton.ts';

export const skeletonParams = z.strictObject({ projectId: z.uuid() });
export const skeletonQuery = z.strictObject({
  application: z.string().min(1).max(100).describe('Name of the application repository whose image the manifests run'),
  port: z.coerce.number().int().min(1).max(65535).default(skeletonDefaults.port),
  healthPath: z.string().regex(/^\/[A-Za-z0-9._~/-]{0,200}$/).default(skeletonDefaults.healthPath),
  deployPath: z.string().min(1).max(200).default(skeletonDefaults.deployPath).describe('Folder of the manifests: the repository’s deploy path'),
  format: z.enum(['json', 'zip']).default('json'),
});
export const skeleton = z.object({
  deployPath: z.string(),
  image: z.string(),
  imagePinned: z.boolean().describe('True when the image is that of a certified revision; otherwise its tag must be replaced'),
  files: z.array(z.object({ path: z.string(), content: z.string(), purpose: z.object({ fr: z.string(), en: z.string() }) })),
});
