// Every error leaves as application/problem+json (RFC 9457). Problems thrown by routes keep their type;
// framework errors (validation, malformed JSON, body too large, unknown route) map to stable types;
// anything else is a 500 "internal" problem: logged with its stack, never sent to the client.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { bilingual, Problem, problemTypes, problemTypeUri, type FieldError } from '../../errors.ts';
import { localiseIssue, unknownField } from '../validation-messages.ts';
import type { App } from '../server.ts';

export function problemBody(problem: Problem, request: FastifyRequest): Record<string, unknown> {
  const lang = preferredLanguage(request);
  return {
    ...(problem.extensions ?? {}),
    type: problemTypeUri(problem.type),
    title: problem.title[lang],
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail[lang] } : {}),
    ...(problem.errors && problem.errors.length > 0
      ? { errors: problem.errors.map((e) => ({ field: e.field, message: e.message[lang] })) }
      : {}),
    instance: request.url.split('?')[0],
    requestId: request.id,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problemBody(problem, reply.request));
}

/** French by default; English when the client prefers it (the console sends its chosen language). */
export function preferredLanguage(request: FastifyRequest): 'fr' | 'en' {
  const accept = request.headers['accept-language'];
  if (typeof accept === 'string' && /^\s*en\b/i.test(accept)) return 'en';
  return 'fr';
}

function validationErrors(error: FastifyError): FieldError[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return [];
  const fields: FieldError[] = [];
  for (const issue of error.validation) {
    const base = issue.instancePath.replace(/^\//, '');
    const params = issue.params as { keys?: string[]; issue?: { code?: string; keys?: string[] } } | undefined;
    // fastify-type-provider-zod 6 reports unknown keys as keyword "unrecognized_keys" with params.keys.
    const keys = issue.keyword === 'unrecognized_keys' ? params?.keys : params?.issue?.code === 'unrecognized_keys' ? params.issue.keys : undefined;
    if (keys && keys.length > 0) {
      for (const key of keys) fields.push({ field: base ? `${base}/${key}` : key, message: unknownField });
    } else {
      fields.push({ field: base || (error.validationContext ?? 'body'), message: localiseIssue({ keyword: issue.keyword, message: issue.message, params: issue.params as Record<string, unknown> }) });
    }
  }
  return fields;
}

const invalidPart: Record<string, ReturnType<typeof bilingual>> = {
  body: bilingual('Corps de la requête invalide', 'Invalid body'),
  querystring: bilingual('Paramètres de la requête invalides', 'Invalid querystring'),
  params: bilingual('Adresse de la ressource invalide', 'Invalid params'),
  headers: bilingual('En-têtes de la requête invalides', 'Invalid headers'),
};
export const notJson = bilingual('Le corps de la requête n’est pas du JSON valide.', 'The body is not valid JSON.');
export const emptyJson = bilingual('Le corps de la requête est vide mais déclaré comme JSON.', 'The body is empty but declared as JSON.');
const tooLarge = bilingual('Le corps de la requête dépasse 1 Mo.', 'The request body exceeds 1 MB.');

export function toProblem(error: FastifyError | Error): Problem | undefined {
  if (error instanceof Problem) return error;
  const e = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    const context = e.validationContext ?? 'body';
    return new Problem('validation', invalidPart[context] ?? bilingual(`Partie de la requête invalide : ${context}`, `Invalid ${context}`), validationErrors(e));
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem('malformedJson', e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? emptyJson : notJson);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('payloadTooLarge', tooLarge);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupportedMediaType', bilingual('Envoyez du JSON (application/json).', 'Send application/json.'));
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem('validation', bilingual('Content-Length ne correspond pas au corps de la requête.', 'Content-Length does not match the body.'));
  }
  if (e instanceof SyntaxError && e.statusCode === 400) return new Problem('malformedJson', notJson);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 404) return new Problem('notFound');
    if (e.statusCode === 413) return new Problem('payloadTooLarge', tooLarge);
    if (e.statusCode === 415) return new Problem('unsupportedMediaType');
    if (e.statusCode === 429) return new Problem('rateLimited');
    // A framework refusal we do not know by code: its own English text, said as such in French.
    const said = e.message.slice(0, 300);
    return new Problem('validation', bilingual(`Requête refusée : ${said}`, said));
  }
  return undefined;
}

/**
 * What of an error may be logged. A database error carries the SQL text and every parameter (a token hash, a
 * secret, a team's text): only its SQLSTATE code, constraint, table and column are kept, never the parameters,
 * the query or the server's detail line (which quotes values).
 */
export function loggableError(error: unknown): unknown {
  const e = error as {
    name?: string;
    message?: string;
    query?: unknown;
    params?: unknown;
    cause?: unknown;
    code?: unknown;
  };
  const database = e && typeof e === 'object' && ('params' in e || 'query' in e || /^Failed query/.test(String(e.message ?? '')));
  const pg = (database ? e.cause : e) as
    | { code?: unknown; constraint?: unknown; table?: unknown; column?: unknown; severity?: unknown; routine?: unknown }
    | undefined;
  const sqlState = typeof pg?.code === 'string' && /^[0-9A-Z]{5}$/.test(pg.code) ? pg.code : undefined;
  if (!database && !sqlState) return error;
  return {
    type: 'DatabaseError',
    ...(sqlState ? { code: sqlState } : {}),
    ...(typeof pg?.constraint === 'string' ? { constraint: pg.constraint } : {}),
    ...(typeof pg?.table === 'string' ? { table: pg.table } : {}),
    ...(typeof pg?.column === 'string' ? { column: pg.column } : {}),
    ...(typeof pg?.routine === 'string' ? { routine: pg.routine } : {}),
  };
}

export function registerProblemHandler(app: App): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem) {
      if (problem.status >= 500) request.log.error({ err: loggableError(error) }, 'request failed');
      return sendProblem(reply, problem);
    }
    if (isResponseSerializationError(error)) request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    else request.log.error({ err: loggableError(error) }, 'unexpected error');
    return sendProblem(reply, new Problem('internal', bilingual(`Erreur inattendue ; indiquez l’identifiant de requête ${request.id} à l’équipe de la plateforme.`, `Unexpected error; quote request id ${request.id} to the platform team.`)));
  });
}

export { problemTypes };
