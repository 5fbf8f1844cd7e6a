/** Public entry points of the registry integration. */
export * from './image.ts';
export { RegistryClient, type RegistryClientOptions } from './distribution-client.ts';
export { OciLayoutStore, readOciImage } from './oci-layout.ts';
