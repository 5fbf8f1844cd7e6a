// Plain-JavaScript entry of a scan worker: worker threads do not inherit the parent's TypeScript loader,
// so the worker registers tsx itself before loading the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./scan-worker.ts');
