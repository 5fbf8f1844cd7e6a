// What reaches a route has already been through the same guard, whatever the route: JSON bodies in UTF-8 only
// (another charset: 415; invalid bytes: 400), no NUL, C0 control (other than tab, newline and carriage return) or
// text-direction override in any string of the body, the query or the path (400 naming the field) — they break
// storage, logs and what reviewers read — and no anonymous request to the API gets as far as body validation: it is
// told to authenticate (401) instead of learning the shape of what it may not send. Errors the framework answers
// before any route (malformed URL, oversized headers, broken HTTP) are problem+json too.
import type { Socket } from 'node:net';
import { bilingual, Problem, problemTypes, problemTypeUri, type FieldError } from '../../errors.ts';
import type { App } from '../server.ts';
import { sendProblem } from './problem-handler.ts';

/** Largest request body accepted (JSON, forms). */
export const bodyLimitBytes = 1024 * 1024;

/** NUL, C0 controls but tab, newline and carriage return, DEL, and the bidi embeddings, overrides and isolates. */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Routes of /api/v1 that answer anonymous callers (forges' push webhooks authenticate by signature; the Helm
 * repository of published catalogue versions is read by ArgoCD, see routes/component-catalogue.ts).
 */
const anonymousApi = ['/api/v1/hooks/', '/api/v1/openapi.json', '/api/v1/catalogue/repository/'];

/** Fields of `value` (JSON pointer-ish paths, at most `max`) whose text holds a forbidden character. */
export function forbiddenCharacterFields(value: unknown, base = '', max = 20, out: string[] = []): string[] {
  if (out.length >= max) return out;
  if (typeof value === 'string') {
    if (FORBIDDEN.test(value)) out.push(base || 'body');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => forbiddenCharacterFields(item, base ? `${base}/${i}` : String(i), max, out));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN.test(key)) out.push(base ? `${base}/${key.replace(FORBIDDEN, '?')}` : key.replace(FORBIDDEN, '?'));
      forbiddenCharacterFields(item, base ? `${base}/${key}` : key, max, out);
    }
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function registerInputGuard(app: App): void {
  // JSON in UTF-8 only: a declared charset other than UTF-8 is refused rather than misread, and invalid bytes are
  // refused rather than replaced.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new Problem('unsupportedMediaType', bilingual(`Envoyez du JSON encodé en UTF-8 (charset=${charset.slice(0, 40)} n’est pas accepté).`, `Send JSON encoded in UTF-8 (charset=${charset.slice(0, 40)} is not accepted).`)), undefined);
    }
    const bytes = body as Buffer;
    if (bytes.length === 0) return done(new Problem('malformedJson', bilingual('Le corps de la requête est vide mais déclaré comme JSON.', 'The body is empty but declared as JSON.')), undefined);
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      return done(new Problem('validation', bilingual('Le corps de la requête n’est pas de l’UTF-8 valide.', 'The body is not valid UTF-8.'), [{ field: 'body', message: bilingual('Encodage UTF-8 invalide', 'Invalid UTF-8') }]), undefined);
    }
    try {
      done(null, JSON.parse(text, (key, value) => {
        if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
        return value;
      }));
    } catch {
      done(new Problem('malformedJson', bilingual('Le corps de la requête n’est pas du JSON valide.', 'The body is not valid JSON.')), undefined);
    }
  });

  app.addHook('preValidation', async (request) => {
    // The matched route (not the path: the console's wildcard route also matches unknown /api/v1 paths, which 404).
    const route = request.is404 ? '' : (request.routeOptions.url ?? '');
    if (request.actor?.kind === 'anonymous' && route.startsWith('/api/v1/') && !anonymousApi.some((p) => route.startsWith(p))) {
      throw new Problem('unauthenticated', bilingual('Connectez-vous, ou envoyez un jeton d’API (Authorization: Bearer …).', 'Log in, or send an API token (Authorization: Bearer …).'));
    }
    const fields: FieldError[] = [];
    for (const [where, value] of [['', request.body], ['query', request.query], ['params', request.params]] as const) {
      for (const field of forbiddenCharacterFields(value)) {
        fields.push({ field: where && field !== 'body' ? `${where}/${field}` : field === 'body' && where ? where : field, message: bilingual('Caractère interdit (NUL, contrôle ou direction du texte)', 'Forbidden character (NUL, control or text direction)') });
      }
    }
    if (fields.length > 0) throw new Problem('validation', bilingual('Un texte contient un caractère interdit (NUL, caractère de contrôle ou forçage du sens du texte).', 'A text holds a forbidden character (NUL, control character or text-direction override).'), fields);
  });
}

/** Malformed URLs (bad percent-encoding…) found by the router, before any route. */
export function frameworkErrorAsProblem(error: Error & { code?: string }, request: Parameters<typeof sendProblem>[0]['request'], reply: Parameters<typeof sendProblem>[0]): void {
  const problem = error.code === 'FST_ERR_BAD_URL' ? new Problem('validation', bilingual('L’URL est mal formée (encodage pour-cent invalide).', 'The URL is malformed (invalid percent-encoding).')) : new Problem('validation', bilingual('La requête n’a pu être aiguillée vers aucune route.', 'The request could not be routed.'));
  void request;
  sendProblem(reply, problem);
}

/** Errors Node's HTTP parser answers before fastify sees a request: oversized headers (431), broken HTTP (400). */
export function clientErrorAsProblem(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: tooLarge ? 'https://dso.example.gouv.fr/problems/request-header-fields-too-large' : problemTypeUri('validation'),
    title: tooLarge ? 'En-têtes de requête trop volumineux / Request header fields too large' : `${problemTypes.validation.title.fr} / ${problemTypes.validation.title.en}`,
    status,
    detail: tooLarge ? 'The request headers exceed the server limit (16 KiB).' : 'The request is not valid HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
