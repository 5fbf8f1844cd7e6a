// Errors a user can cause are values: an RFC 9457 problem with a stable `type`, a French and English title,
// a French and English detail, and per-field messages in both languages for validation errors. The server's
// error handler serialises them as application/problem+json in the request's language; anything else becomes a
// 500 "internal" problem without a stack trace.

export interface LocalisedText {
  fr: string;
  en: string;
}

export interface FieldError {
  /** JSON pointer-ish path of the field, e.g. `cpuMillicores` or `members/0/role`. */
  field: string;
  message: LocalisedText;
}

/** A text in both languages (the first argument is French: the product's default language). */
export function bilingual(fr: string, en: string): LocalisedText {
  return { fr, en };
}

/** Stable problem types; the UI switches on them (e.g. usage-policy-required shows the policy). */
export const problemTypes = {
  validation: { status: 400, title: { fr: 'Requête invalide', en: 'Invalid request' } },
  malformedJson: { status: 400, title: { fr: 'JSON mal formé', en: 'Malformed JSON' } },
  unauthenticated: { status: 401, title: { fr: 'Authentification requise', en: 'Authentication required' } },
  forbidden: { status: 403, title: { fr: 'Action non autorisée', en: 'Action not allowed' } },
  usagePolicyRequired: { status: 403, title: { fr: "Acceptation des conditions d'utilisation requise", en: 'Usage policy acceptance required' } },
  projectLocked: { status: 403, title: { fr: 'Projet verrouillé', en: 'Project locked' } },
  projectArchived: { status: 403, title: { fr: 'Projet archivé (lecture seule)', en: 'Project archived (read-only)' } },
  notFound: { status: 404, title: { fr: 'Ressource introuvable', en: 'Resource not found' } },
  conflict: { status: 409, title: { fr: 'Conflit avec une ressource existante', en: 'Conflict with an existing resource' } },
  payloadTooLarge: { status: 413, title: { fr: 'Requête trop volumineuse', en: 'Request too large' } },
  unsupportedMediaType: { status: 415, title: { fr: 'Type de contenu non pris en charge', en: 'Unsupported media type' } },
  quotaExceeded: { status: 422, title: { fr: 'Quota insuffisant', en: 'Quota exceeded' } },
  unprocessable: { status: 422, title: { fr: 'Demande impossible à satisfaire', en: 'Request cannot be fulfilled' } },
  rateLimited: { status: 429, title: { fr: 'Trop de requêtes', en: 'Too many requests' } },
  notReady: { status: 503, title: { fr: 'Service indisponible', en: 'Service unavailable' } },
  internal: { status: 500, title: { fr: 'Erreur interne', en: 'Internal error' } },
} as const satisfies Record<string, { status: number; title: LocalisedText }>;

export type ProblemType = keyof typeof problemTypes;

/** URI of a problem type: stable, documented at /api/docs. */
export function problemTypeUri(type: ProblemType): string {
  return `https://dso.example.gouv.fr/problems/${type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export class Problem extends Error {
  readonly status: number;
  readonly title: LocalisedText;
  constructor(
    readonly type: ProblemType,
    /** Human detail for this occurrence, in both languages; must never contain a secret. */
    readonly detail?: LocalisedText,
    readonly errors?: FieldError[],
    /** Extra members (e.g. quota figures) added to the problem body. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail?.en ?? problemTypes[type].title.en);
    this.status = problemTypes[type].status;
    this.title = problemTypes[type].title;
  }
}
