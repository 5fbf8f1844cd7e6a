// The console's only back end is the REST API. Each call names its route by method and path template (contract.ts
// `Routes`): the parameters, query and body it sends and the type of its answer come from the server's schemas, so
// a view cannot ask a path for a type it does not answer. Errors arrive as RFC 9457 problems; we keep them as values.
import type { FieldError, KeyOf, Method, PathOf, Problem, RequestArgs, RequestOf, ResponseOf, RouteKey } from './contract.ts';
import { locale } from './i18n.ts';

export type { FieldError };

/** A problem from the server (contract), or one the console makes itself with a title in both languages. */
export type ProblemBody = Pick<Problem, 'type' | 'status' | 'detail' | 'errors' | 'instance' | 'requestId'> & {
  title: Problem['title'] | { fr: string; en: string };
  /** Extension members some problem types add (figures a user can act on). */
  [extension: string]: unknown;
};

export class ApiProblem extends Error {
  constructor(readonly problem: ProblemBody) {
    super(typeof problem.title === 'string' ? problem.title : problem.title.fr);
  }
  get status(): number {
    return this.problem.status;
  }
  /** Last path segment of the type URI, e.g. `usage-policy-required`. */
  get kind(): string {
    return this.problem.type.split('/').pop() ?? '';
  }
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field.endsWith(`/${field}`) || e.field.endsWith(`.${field}`))?.message;
  }
}

type Listener = (p: ApiProblem) => void;
const listeners: Listener[] = [];
/** The app shell listens for 401 (go to login) and usage-policy-required (show the policy). */
export function onProblem(listener: Listener): void {
  listeners.push(listener);
}

/** The address of a call: the path template filled with its (encoded) parameters, then the query. */
function address(path: string, request: { params?: Record<string, string>; query?: unknown } | undefined): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request?.params?.[name] ?? ''));
  return `/api/v1${filled}${query((request?.query ?? {}) as Record<string, QueryValue>)}`;
}

async function send(method: Method, path: string, request?: { params?: Record<string, string>; query?: unknown; body?: unknown }): Promise<unknown> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'accept-language': locale.value },
  };
  // Every POST carries a JSON body (an empty object when the route takes none), as the server expects.
  const body = request?.body ?? (method === 'POST' ? {} : undefined);
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await fetch(address(path, request), init);
  if (response.status === 204) return undefined;
  return answer(response.status, response.statusText, await response.text());
}

/** One call of the API, by route key ('GET /projects/{projectId}'): what it sends and answers is the route's. */
export function api<K extends RouteKey>(route: K, ...[request]: RequestArgs<K>): Promise<ResponseOf<K>> {
  const space = route.indexOf(' ');
  return send(route.slice(0, space) as Method, route.slice(space + 1), request as RequestOf<K> & { params?: Record<string, string> }) as Promise<ResponseOf<K>>;
}
export const get = <P extends PathOf<'GET'>>(path: P, ...request: RequestArgs<KeyOf<'GET', P>>) => api(`GET ${path}` as KeyOf<'GET', P>, ...request);
export const post = <P extends PathOf<'POST'>>(path: P, ...request: RequestArgs<KeyOf<'POST', P>>) => api(`POST ${path}` as KeyOf<'POST', P>, ...request);
export const put = <P extends PathOf<'PUT'>>(path: P, ...request: RequestArgs<KeyOf<'PUT', P>>) => api(`PUT ${path}` as KeyOf<'PUT', P>, ...request);
export const patch = <P extends PathOf<'PATCH'>>(path: P, ...request: RequestArgs<KeyOf<'PATCH', P>>) => api(`PATCH ${path}` as KeyOf<'PATCH', P>, ...request);
export const del = <P extends PathOf<'DELETE'>>(path: P, ...request: RequestArgs<KeyOf<'DELETE', P>>) => api(`DELETE ${path}` as KeyOf<'DELETE', P>, ...request);

/** The body of an answer, or the problem it carries (thrown, after the shell's listeners saw it). */
function answer(status: number, statusText: string, text: string): unknown {
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (status < 200 || status >= 300) {
    const problem = data && typeof data === 'object' && 'type' in data ? (data as ProblemBody) : { type: 'about:blank', title: statusText || `HTTP ${status}`, status };
    const error = new ApiProblem(problem);
    for (const l of listeners) l(error);
    throw error;
  }
  return data;
}

/**
 * Sends a file as the raw request body. XMLHttpRequest rather than fetch: only it reports upload progress, which
 * the user needs to see for a document of several megabytes. `onProgress` gets a fraction from 0 to 1.
 */
export function upload<P extends PathOf<'POST'>>(path: P, request: RequestOf<KeyOf<'POST', P>>, file: Blob, onProgress: (fraction: number) => void): Promise<ResponseOf<KeyOf<'POST', P>>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', address(path, request as { params?: Record<string, string>; query?: unknown }));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', locale.value);
    // The server decides the type from the bytes; a neutral declared type keeps every parser out of the way.
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      try {
        resolve(answer(xhr.status, xhr.statusText, xhr.responseText) as ResponseOf<KeyOf<'POST', P>>);
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiProblem({ type: 'about:blank', title: { fr: 'Envoi interrompu', en: 'Upload interrupted' }, status: 0, detail: '' }));
    xhr.send(file);
  });
}

type QueryValue = string | number | boolean | undefined | null;

export function query(params: Record<string, QueryValue>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
