/** Public entry points of the image builder integration. */
export { buildImage, builderAvailable, type BuildDestination, type BuildRequest, type BuildResult } from './buildah.ts';
