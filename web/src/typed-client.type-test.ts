// Proof that the console's client refuses what the server's contract does not allow: a view asking a path for the
// wrong type, a path or parameter the server does not have, a body or query member a route refuses. Checked by
// `npm run typecheck` (vue-tsc): each @ts-expect-error fails the check if its line ever compiles. Never run, never
// imported, so never in the bundle.
import { del, get, post, upload } from './api.ts';
import type { EvidenceDocument, ProjectDetail, Run } from './contract.ts';

export async function typedClientRefusals(): Promise<void> {
  const project: ProjectDetail = await get('/projects/{projectId}', { params: { projectId: 'p' } });
  // @ts-expect-error a project's path does not answer a run
  const notARun: Run = await get('/projects/{projectId}', { params: { projectId: 'p' } });
  // @ts-expect-error a path the console's contract does not have
  await get('/projects/{projectId}/everything', { params: { projectId: 'p' } });
  // @ts-expect-error the path's parameter is required
  await get('/projects/{projectId}');
  // @ts-expect-error a parameter the path does not have
  await get('/runs/{runId}', { params: { projectId: 'p' } });
  // @ts-expect-error a body member the route refuses
  await post('/projects', { body: { slug: 's', name: 'n', owner: 'someone' } });
  // @ts-expect-error a body without a required member
  await post('/projects', { body: { name: 'n' } });
  // @ts-expect-error a query member the route does not take
  await get('/projects/{projectId}/conformity', { params: { projectId: 'p' }, query: { language: 'fr' } });
  // @ts-expect-error a value the route's enum does not have
  await get('/runs/{runId}/findings', { params: { runId: 'r' }, query: { severity: 'urgent' } });
  // @ts-expect-error no DELETE on this path
  await del('/projects/{projectId}', { params: { projectId: 'p' } });
  // @ts-expect-error an upload answers its own type, not a project
  const notAProject: ProjectDetail = await upload('/projects/{projectId}/evidence-documents', { params: { projectId: 'p' }, query: { name: 'a.pdf' } }, new Blob(), () => {});
  const document: EvidenceDocument = await upload('/projects/{projectId}/evidence-documents', { params: { projectId: 'p' }, query: { name: 'a.pdf' } }, new Blob(), () => {});
  // A 204 answers nothing.
  const removed: undefined = await del('/projects/{projectId}/members/{userId}', { params: { projectId: 'p', userId: 'u' } });
  void [project, notARun, notAProject, document, removed];
}
