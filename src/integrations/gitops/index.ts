// Public entry of the GitOps integration: what the reconciler, the API and the CLI call.
export type { DesiredState, Platform, Zone, Cluster, Project, ProjectRoleBinding, NetworkFlow, FlowPeer, FlowPort, SecretReference, Environment, Stage, Quotas, Deployment, RenderError, EnvironmentService, ChartService, OperatorService } from './model.ts';
export { chartDigestAnnotation, serviceApplicationName, serviceFile } from './services.ts';
export { renderDesiredState, renderProject, type DesiredStateRender, type ProjectRender, type EnvironmentFailure, type RenderOptions } from './render.ts';
export { validateObject, validateObjects, type ManifestCheck } from './validate.ts';
export { applyChanges, writeTree, ensureRepository, platformAuthor, gitopsBranch, type Changes, type WriteResult, type WriteStats, type WriteOptions } from './writer.ts';
export { commitToRemote, GitopsContendedError, type ExternalRemote } from './push.ts';
export { keepPrevious, type TreeFiles, type TreeEntry } from './tree-input.ts';
export { clusterFolder, projectFolder, environmentFolder, projectFolderOnAnyCluster, namespaceOf } from './layout.ts';
export type { ChangeSummary } from './commit-message.ts';
