// The bench of most chain tests: a console in-process (PGlite) that may fetch from 127.0.0.1, a project owner, and
// the owner's project with one external repository (served by its own git http-backend) registered as « app ».
import { callApi, createPerson, createProject, type ApiAnswer, type ApiMethod, type TestActor } from './api-fixtures.ts';
import { startExternalRepository, type ExternalRepository } from './chain.ts';
import { createTestSystem, type TestSystem } from './server.ts';

export interface ChainProject {
  external: ExternalRepository;
  system: TestSystem;
  owner: TestActor;
  projectId: string;
  repositoryId: string;
  /** POST here to start a run, e.g. `{ ref: 'main' }`. */
  runsUrl: string;
  /** The API as the owner. */
  call(method: ApiMethod, url: string, payload?: object): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

/** `files` are the repository's first commit; `config` adds configuration (e.g. DSO_RUN_LOG_MAX_KIB). */
export async function startChainProject(slug: string, files: Record<string, string>, config: Record<string, string> = {}): Promise<ChainProject> {
  const external = await startExternalRepository(files);
  let system: TestSystem | undefined;
  try {
    system = await createTestSystem('pglite', { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1', ...config });
    const app = system.app;
    const owner = await createPerson(system.services.db, 'owner');
    const projectId = (await createProject(system.services.db, slug, owner.userId!)).id;
    const call = (method: ApiMethod, url: string, payload?: object) => callApi(app, owner, method, url, payload);
    const repo = await call('POST', '/api/v1/repositories', { projectId, name: 'app', externalUrl: external.url });
    if (repo.status !== 201) throw new Error(`the repository was not registered: HTTP ${repo.status} ${JSON.stringify(repo.body)}`);
    const repositoryId = repo.body.id as string;
    const stop = async () => {
      await system?.stop();
      await external.stop();
    };
    return { external, system, owner, projectId, repositoryId, runsUrl: `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`, call, stop };
  } catch (error) {
    await system?.stop();
    await external.stop();
    throw error;
  }
}
