// The language of user-facing text in an answer: `?lang=` when given, else Accept-Language, French by default.
import type { FastifyRequest } from 'fastify';

export type Language = 'fr' | 'en';

export function requestLanguage(request: FastifyRequest, explicit?: string): Language {
  if (explicit === 'en' || explicit === 'fr') return explicit;
  const header = request.headers['accept-language'];
  return typeof header === 'string' && header.trim().toLowerCase().startsWith('en') ? 'en' : 'fr';
}
