// The console's only back end is the REST API. Errors arrive as RFC 9457 problems; we keep them as values.
import type { FieldError, Problem } from './contract.ts';
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

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'accept-language': locale.value },
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await fetch(`/api/v1${path}`, init);
  if (response.status === 204) return undefined as T;
  return answer<T>(response.status, response.statusText, await response.text());
}

/** The body of an answer, or the problem it carries (thrown, after the shell's listeners saw it). */
function answer<T>(status: number, statusText: string, text: string): T {
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
  return data as T;
}

/**
 * Sends a file as the raw request body. XMLHttpRequest rather than fetch: only it reports upload progress, which
 * the user needs to see for a document of several megabytes. `onProgress` gets a fraction from 0 to 1.
 */
export function upload<T>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
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
        resolve(answer<T>(xhr.status, xhr.statusText, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiProblem({ type: 'about:blank', title: { fr: 'Envoi interrompu', en: 'Upload interrupted' }, status: 0, detail: '' }));
    xhr.send(file);
  });
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
  total?: number;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
