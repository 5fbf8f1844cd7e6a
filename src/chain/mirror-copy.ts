// The run's view of its repository's mirror on this replica: brought up to date from the durable copy before it is
// read, and changed (synced) under the repository's cross-replica lock so the change is recorded for the others.
// A replica that never mirrored the repository — a run taken over after a crash or a rolling upgrade — rebuilds it.
import { createMirror } from '../integrations/git/mirror.ts';
import { localGitReplication, replicationKey, type GitReplication } from '../integrations/git/replication.ts';
import type { Services } from '../system/services.ts';
import { gitRoot } from './paths.ts';

export function gitReplicationOf(services: Pick<Services, 'gitReplication'>): GitReplication {
  return services.gitReplication ?? localGitReplication;
}

export function mirrorKey(services: Pick<Services, 'config'>, mirrorDir: string): string {
  return replicationKey(gitRoot(services.config.dataDir), mirrorDir);
}

/** Whether this replica has the mirror once the durable copy was applied. */
export function refreshMirror(services: Pick<Services, 'config' | 'gitReplication'>, mirrorDir: string): Promise<boolean> {
  return gitReplicationOf(services).refresh(mirrorKey(services, mirrorDir), mirrorDir, createMirror);
}

/** Runs a change of the mirror (a sync) on an up-to-date copy and records it for the other replicas. */
export function changeMirror<T>(services: Pick<Services, 'config' | 'gitReplication'>, mirrorDir: string, change: () => Promise<T>): Promise<T> {
  return gitReplicationOf(services).update(mirrorKey(services, mirrorDir), mirrorDir, createMirror, change);
}
