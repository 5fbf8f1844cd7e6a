/** Public entry points of the internal git integration. */
export { createGitHttpHandler, type GitAccess, type GitAccessDecision, type GitHttpHandler, type GitOperation } from './http-backend.ts';
export { createMirror, syncMirror, listHeads, receivedRevisions, isValidBranchName, RECEIVED_REF_PREFIX, type Result, type SyncOptions, type SyncResult } from './mirror.ts';
export { checkout, resolveRevision, type CheckoutLimits, type CheckoutResult } from './checkout.ts';
export { checkRemoteUrl, isForbiddenAddress, type RemoteUrlCheck, type RemoteUrlPolicy } from './remote-url.ts';
export { classifyGitStderr, GitFailureError, type GitFailure, type GitFailureKind } from './git-failure.ts';
export { parseGitUrl, targetPath, isSlug, type GitTarget } from './repository-path.ts';
export type { RepositoryCredentials } from './credentials.ts';
