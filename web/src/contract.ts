// The API's types as the server declares them: each is inferred (z.infer) from the zod schema the route validates
// and serializes with (src/api/schemas), so the console cannot drift from the server without `npm run typecheck`
// failing. `Routes` maps each call the console makes ("METHOD /path/{param}", relative to /api/v1) to the schemas
// of its body, query and answer; the client in api.ts takes only those keys, so a view cannot claim another type
// for a path. Type-only imports: nothing of the server reaches the browser bundle.
import type { z } from 'zod';
import type * as admin from '../../src/api/schemas/admin.ts';
import type * as advisories from '../../src/api/schemas/advisories.ts';
import type * as attestations from '../../src/api/schemas/attestations.ts';
import type * as catalogue from '../../src/api/schemas/catalogue.ts';
import type { condition } from '../../src/api/schemas/common.ts';
import type * as conformity from '../../src/api/schemas/conformity.ts';
import type * as deployments from '../../src/api/schemas/deployments.ts';
import type * as derogations from '../../src/api/schemas/derogations.ts';
import type * as services from '../../src/api/schemas/environment-services.ts';
import type * as environments from '../../src/api/schemas/environments.ts';
import type * as skeleton from '../../src/api/schemas/infrastructure-skeleton.ts';
import type * as me from '../../src/api/schemas/me.ts';
import type * as members from '../../src/api/schemas/members.ts';
import type { health } from '../../src/api/schemas/ops.ts';
import type { fieldError, problem } from '../../src/api/schemas/problem.ts';
import type * as projects from '../../src/api/schemas/projects.ts';
import type * as repositories from '../../src/api/schemas/repositories.ts';
import type * as requirements from '../../src/api/schemas/requirements.ts';
import type * as restoreTests from '../../src/api/schemas/restore-tests.ts';
import type * as roles from '../../src/api/schemas/roles.ts';
import type * as rules from '../../src/api/schemas/rules.ts';
import type * as runs from '../../src/api/schemas/runs.ts';
import type * as secrets from '../../src/api/schemas/secrets.ts';
import type * as serviceAccounts from '../../src/api/schemas/service-accounts.ts';
import type * as allowList from '../../src/api/schemas/url-allow-list.ts';
import type * as webhooks from '../../src/api/schemas/webhooks.ts';

/** A page of a list: the items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Problem = z.infer<typeof problem>;
export type FieldError = z.infer<typeof fieldError>;
export type Condition = z.infer<typeof condition>;
export type Health = z.infer<typeof health>;
export type Me = z.infer<typeof me.me>;
export type CurrentUsagePolicy = z.infer<typeof me.currentUsagePolicy>;
export type ProjectDetail = z.infer<typeof projects.projectDetail>;
export type ConformitySummary = z.infer<typeof projects.conformitySummary>;
export type Conformity = z.infer<typeof conformity.conformity>;
export type RequirementConformity = Conformity['requirements'][number];
export type ConformityTarget = RequirementConformity['targets'][number];
export type ConformityEvidence = ConformityTarget['evidence'][number];
export type HistoryPoint = z.infer<typeof conformity.historyPoint>;
export type RestoreTest = z.infer<typeof restoreTests.restoreTest>;
export type Run = z.infer<typeof runs.run>;
export type RunStep = z.infer<typeof runs.runStep>;
export type Finding = z.infer<typeof runs.finding>;
export type FindingPage = z.infer<typeof runs.findingPage>;
export type DeploymentStatus = z.infer<typeof deployments.deploymentStatus>;
export type Derogation = z.infer<typeof derogations.derogation>;
export type Secret = z.infer<typeof secrets.secretMetadata>;
export type EvidenceDocument = z.infer<typeof attestations.evidenceDocument>;
export type CatalogueRequirement = z.infer<typeof requirements.catalogueRequirement>;
export type AttestedAssessment = z.infer<typeof requirements.attestedAssessment>;
export type RulePage = z.infer<typeof rules.rulePage>;
export type RuleBlock = RulePage['sections'][number]['blocks'][number];
export type RuleExample = RulePage['examples'][number];
export type RuleInline = Extract<RuleBlock, { kind: 'paragraph' }>['inlines'][number];
export type InfrastructureSkeleton = z.infer<typeof skeleton.skeleton>;
export type User = z.infer<typeof admin.user>;
export type Repository = z.infer<typeof repositories.repository>;
export type Cluster = z.infer<typeof admin.cluster>;
export type Stage = z.infer<typeof admin.stage>;
export type AuditEvent = z.infer<typeof admin.auditEvent>;
export type AllowList = z.infer<typeof allowList.allowList>;
export type AdvisoryStatus = z.infer<typeof advisories.advisoryStatus>;
export type AdvisoryEcosystemStatus = z.infer<typeof advisories.advisoryEcosystemStatus>;
export type CatalogueItem = z.infer<typeof catalogue.catalogueItem>;
export type CatalogueItemDetail = z.infer<typeof catalogue.catalogueItemDetail>;
export type CatalogueVersion = CatalogueItem['versions'][number];
export type CatalogueVersionDetail = CatalogueItemDetail['versions'][number];
export type CatalogueFinding = z.infer<typeof catalogue.catalogueFinding>;
export type CatalogueInstall = z.infer<typeof catalogue.catalogueInstall>;
export type CatalogueSource = z.infer<typeof catalogue.catalogueSource>;
export type CatalogueAdvisoryHit = z.infer<typeof catalogue.catalogueAdvisoryHit>;
export type EnvironmentService = z.infer<typeof services.service>;

/** One call: the schemas of its body and query (what the console sends) and of its answer (absent: 204). */
interface Route {
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
}

/** Every call the console makes, by method and path template (relative to /api/v1, as in OpenAPI). */
export interface Routes {
  'GET /me': { response: typeof me.me };
  'GET /me/usage-policy': { response: typeof me.currentUsagePolicy };
  'POST /me/usage-policy': { body: typeof me.usagePolicyAccept; response: typeof me.usagePolicyAcceptance };

  'GET /admin/url-allow-list': { response: typeof allowList.allowList };
  'PUT /admin/url-allow-list': { body: typeof allowList.allowListUpdate; response: typeof allowList.allowList };
  'GET /admin/zones': { query: typeof admin.adminListQuery; response: typeof admin.zonePage };
  'POST /admin/zones': { body: typeof admin.zoneCreate; response: typeof admin.zone };
  'GET /admin/clusters': { query: typeof admin.clusterListQuery; response: typeof admin.clusterPage };
  'POST /admin/clusters': { body: typeof admin.clusterCreate; response: typeof admin.cluster };
  'GET /admin/stages': { query: typeof admin.adminListQuery; response: typeof admin.stagePage };
  'POST /admin/stages': { body: typeof admin.stageCreate; response: typeof admin.stage };
  'GET /admin/users': { query: typeof admin.userListQuery; response: typeof admin.userPage };
  'PATCH /admin/users/{id}': { body: typeof admin.userUpdate; response: typeof admin.user };
  'GET /admin/usage-policies': { query: typeof admin.adminListQuery; response: typeof admin.usagePolicyPage };
  'POST /admin/usage-policies': { body: typeof admin.usagePolicyCreate; response: typeof me.usagePolicy };
  'GET /admin/audit': { query: typeof admin.auditQuery; response: typeof admin.auditPage };
  'GET /advisories': { response: typeof advisories.advisoryStatus };

  'GET /catalogue': { query: typeof catalogue.catalogueListQuery; response: typeof catalogue.catalogueList };
  'GET /catalogue/{itemId}': { response: typeof catalogue.catalogueItemDetail };
  'PUT /catalogue/{itemId}/installs': { body: typeof catalogue.operatorInstallsUpdate; response: typeof catalogue.catalogueItem };
  'POST /catalogue/{itemId}/versions/{version}/publish': { body: typeof catalogue.publishRequest; response: typeof catalogue.catalogueItem };
  'GET /catalogue/sources': { response: typeof catalogue.catalogueSourceList };
  'POST /catalogue/sources': { body: typeof catalogue.catalogueSourceCreate; response: typeof catalogue.catalogueSource };
  'POST /catalogue/sources/{sourceId}/sync': { response: typeof catalogue.catalogueSyncResult };
  'GET /catalogue/advisories': { response: typeof catalogue.catalogueAdvisories };

  'GET /projects': { query: typeof projects.projectListQuery; response: typeof projects.projectPage };
  'POST /projects': { body: typeof projects.projectCreate; response: typeof projects.project };
  'GET /projects/{projectId}': { response: typeof projects.projectDetail };
  'GET /projects/{projectId}/conformity': { query: typeof conformity.conformityQuery; response: typeof conformity.conformity };
  'GET /projects/{projectId}/conformity/history': { query: typeof conformity.historyQuery; response: typeof conformity.historyPage };
  'GET /projects/{projectId}/restore-tests': { response: typeof restoreTests.restoreTestList };
  'POST /projects/{projectId}/restore-tests': { body: typeof restoreTests.restoreTestCreate; response: typeof restoreTests.restoreTest };
  'GET /projects/{projectId}/derogations': { query: typeof derogations.derogationListQuery; response: typeof derogations.derogationPage };
  'POST /projects/{projectId}/derogations': { body: typeof derogations.derogationCreate; response: typeof derogations.derogation };
  'GET /derogations': { query: typeof derogations.derogationListQuery; response: typeof derogations.derogationPage };
  'POST /derogations/{derogationId}/decision': { body: typeof derogations.derogationDecision; response: typeof derogations.derogation };
  'GET /projects/{projectId}/attestations': { query: typeof attestations.attestationListQuery; response: typeof attestations.attestationPage };
  'POST /projects/{projectId}/attestations': { body: typeof attestations.attestationCreate; response: typeof attestations.attestation };
  'POST /projects/{projectId}/evidence-documents': { query: typeof attestations.evidenceUploadQuery; response: typeof attestations.evidenceDocument };
  'GET /requirements': { query: typeof requirements.requirementListQuery; response: typeof requirements.requirementCatalogue };
  'GET /rules/{ruleId}': { query: typeof rules.ruleQuery; response: typeof rules.rulePage };

  'GET /projects/{projectId}/members': { query: typeof members.memberListQuery; response: typeof members.memberPage };
  'POST /projects/{projectId}/members': { body: typeof members.memberAdd; response: typeof members.member };
  'PATCH /projects/{projectId}/members/{userId}': { body: typeof members.memberUpdate; response: typeof members.member };
  'DELETE /projects/{projectId}/members/{userId}': Route;
  'GET /roles': { query: typeof roles.roleListQuery; response: typeof roles.roleList };
  'GET /service-accounts': { query: typeof serviceAccounts.serviceAccountListQuery; response: typeof serviceAccounts.serviceAccountPage };
  'POST /service-accounts': { body: typeof serviceAccounts.serviceAccountCreate; response: typeof serviceAccounts.createdServiceAccount };
  'GET /projects/{projectId}/webhooks': { query: typeof webhooks.webhookListQuery; response: typeof webhooks.webhookPage };
  'POST /projects/{projectId}/webhooks': { body: typeof webhooks.webhookCreate; response: typeof webhooks.webhookWithSecret };
  'GET /projects/{projectId}/webhooks/{webhookId}/deliveries': { query: typeof webhooks.webhookListQuery; response: typeof webhooks.deliveryPage };
  'GET /projects/{projectId}/secrets': { response: typeof secrets.secretList };
  'PUT /projects/{projectId}/secrets/{name}': { body: typeof secrets.secretPut; response: typeof secrets.secretMetadata };
  'DELETE /projects/{projectId}/secrets/{name}': Route;

  'GET /repositories': { query: typeof repositories.repositoryListQuery; response: typeof repositories.repositoryPage };
  'POST /repositories': { body: typeof repositories.repositoryCreate; response: typeof repositories.repository };
  'PATCH /repositories/{id}': { body: typeof repositories.repositoryUpdate; response: typeof repositories.repository };
  'GET /projects/{projectId}/repositories/{repositoryId}/runs': { query: typeof runs.runListQuery; response: typeof runs.runPage };
  'POST /projects/{projectId}/repositories/{repositoryId}/runs': { body: typeof runs.runStart; response: typeof runs.run };
  'GET /runs/{runId}': { response: typeof runs.run };
  'POST /runs/{runId}/cancel': { response: typeof runs.run };
  'GET /runs/{runId}/findings': { query: typeof runs.findingsQuery; response: typeof runs.findingPage };
  'GET /projects/{projectId}/infrastructure-skeleton': { query: typeof skeleton.skeletonQuery; response: typeof skeleton.skeleton };

  'GET /environments': { query: typeof environments.environmentListQuery; response: typeof environments.environmentPage };
  'POST /environments': { body: typeof environments.environmentCreate; response: typeof environments.environment };
  'GET /projects/{projectId}/environments/{environmentId}/deployments': { query: typeof deployments.deploymentListQuery; response: typeof deployments.deploymentPage };
  'POST /projects/{projectId}/environments/{environmentId}/deployments': { body: typeof deployments.deploymentCreate; response: typeof deployments.deployment };
  'POST /projects/{projectId}/environments/{environmentId}/deployments/promote': { body: typeof deployments.deploymentPromote; response: typeof deployments.deployment };
  'POST /projects/{projectId}/environments/{environmentId}/deployments/rollback': { body: typeof deployments.deploymentRollback; response: typeof deployments.deployment };
  'GET /projects/{projectId}/environments/{environmentId}/deployment-status': { response: typeof deployments.deploymentStatus };
  'GET /projects/{projectId}/environments/{environmentId}/services': { query: typeof services.serviceListQuery; response: typeof services.serviceList };
  'POST /projects/{projectId}/environments/{environmentId}/services': { body: typeof services.serviceCreate; response: typeof services.service };
  'POST /projects/{projectId}/environments/{environmentId}/services/{serviceId}/upgrade': { body: typeof services.serviceUpgrade; response: typeof services.service };
  'DELETE /projects/{projectId}/environments/{environmentId}/services/{serviceId}': { query: typeof services.serviceDeleteQuery };
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteKey = keyof Routes;
/** The path templates `method` has, e.g. PathOf<'GET'> includes '/projects/{projectId}'. */
export type PathOf<M extends Method> = { [K in RouteKey]: K extends `${M} ${infer P}` ? P : never }[RouteKey];
/** The route of `method` and `path` (never when there is none). */
export type KeyOf<M extends Method, P extends string> = Extract<`${M} ${P}`, RouteKey>;

/** `{projectId}` and the like in a path template. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
type Template<K extends RouteKey> = K extends `${Method} ${infer P}` ? P : never;
type ParamsPart<K extends RouteKey> = [ParamNames<Template<K>>] extends [never] ? { params?: never } : { params: Record<ParamNames<Template<K>>, string> };
type QueryPart<R> = R extends { query: infer Q extends z.ZodType } ? { query?: z.input<Q> } : { query?: never };
type BodyPart<R> = R extends { body: infer B extends z.ZodType } ? (undefined extends z.input<B> ? { body?: z.input<B> } : { body: z.input<B> }) : { body?: never };

/** What a call sends: the path's parameters, the query and the body its route declares, nothing else. */
export type RequestOf<K extends RouteKey> = ParamsPart<K> & QueryPart<Routes[K]> & BodyPart<Routes[K]>;
/** The body a route takes. */
export type BodyOf<K extends RouteKey> = NonNullable<RequestOf<K>['body']>;
/** The query a route takes. */
export type QueryOf<K extends RouteKey> = NonNullable<RequestOf<K>['query']>;
/** The request argument: optional when nothing in it is required. */
export type RequestArgs<K extends RouteKey> = object extends RequestOf<K> ? [request?: RequestOf<K>] : [request: RequestOf<K>];
/** What a call answers (after the server's serialization); undefined for 204. */
export type ResponseOf<K extends RouteKey> = Routes[K] extends { response: infer R extends z.ZodType } ? z.output<R> : undefined;
/** The type of each item of a list answer. */
export type ItemOf<K extends RouteKey> = ResponseOf<K> extends { items: (infer T)[] } ? T : never;
/** GET paths that answer a page of items (what PagedTable lists). */
export type ListPath = { [P in PathOf<'GET'>]: ResponseOf<KeyOf<'GET', P>> extends { items: unknown[]; nextCursor: string | null } ? P : never }[PathOf<'GET'>];
