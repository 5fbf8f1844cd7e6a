// ArgoCD's API contract for the stand-ins that answer as ArgoCD does (ArgoCD cannot run here): the definitions of
// ArgoCD's published API (test/data/argocd/application-swagger.json, from argoproj/argo-cd assets/swagger.json) as
// JSON Schemas that refuse any field ArgoCD does not declare, so a stand-in's answer cannot drift from ArgoCD's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';

type Json = Record<string, unknown>;

/** Validators of an Application answer and of an error answer (`runtimeError`). */
export function applicationContract() {
  const swagger = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'data', 'argocd', 'application-swagger.json'), 'utf8')) as { definitions: Record<string, Json> };
  const closed = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(closed);
    if (!node || typeof node !== 'object') return node;
    const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, closed(s)])) : closed(v)]));
    if ((copy as Json).properties && (copy as Json).additionalProperties === undefined) (copy as Json).additionalProperties = false;
    return copy;
  };
  const definitions = closed(swagger.definitions) as Record<string, Json>;
  // A RawExtension (Helm's valuesObject) is described by its protobuf form ({ raw: bytes }), but the REST API is
  // encoding/json (util/grpc/json.go), which writes it as the JSON object it holds: any object.
  definitions.runtimeRawExtension = { type: 'object' };
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  return {
    application: ajv.compile({ $ref: '#/definitions/v1alpha1Application', definitions }),
    error: ajv.compile({ $ref: '#/definitions/runtimeError', definitions }),
  };
}
