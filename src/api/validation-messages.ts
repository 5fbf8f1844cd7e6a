// Field messages of a request the schemas refused, in French and English. Zod writes its messages in English
// (its global locale, left untouched: the CLI and the configuration parser use it too); here each issue is
// rendered again from its code and parameters with zod's own French locale, per request. Messages our schemas
// give themselves (a regex's "lowercase letters, digits…") are translated from the table below: every such
// message must appear in it (test/validation-messages.test.ts reads the schemas to check).
import { z } from 'zod';
import type { LocalisedText } from '../errors.ts';

/** The English messages our schemas set, with their French text. */
export const schemaMessagesFr: Record<string, string> = {
  'lowercase letters, digits and "-" (not at either end), at most 40 characters': 'lettres minuscules, chiffres et « - » (ni au début ni à la fin), 40 caractères au plus',
  'an http(s) URL without credentials in it (give them in "credentials")': 'une URL http(s) sans identifiants (donnez-les dans « credentials »)',
  'give exactly one of token or password': 'donnez soit un jeton, soit un mot de passe, pas les deux',
  'no NUL character': 'aucun caractère NUL',
  'a git branch name': 'un nom de branche git',
  'required for an external repository': 'obligatoire pour un dépôt externe',
  'a hosted repository has no external URL': 'un dépôt hébergé n’a pas d’URL externe',
  'a hosted repository has no credentials': 'un dépôt hébergé n’a pas d’identifiants',
  'letters, digits, "-", "_" and "." (a Kubernetes Secret key)': 'lettres, chiffres, « - », « _ » et « . » (une clé de Secret Kubernetes)',
  'between 1 and 50 keys': 'entre 1 et 50 clés',
  'at most 256 KiB of values in all': '256 Kio de valeurs au plus en tout',
  'give exactly one of userId or email': 'donnez soit userId, soit email, pas les deux',
  'an IPv4 or IPv6 range, e.g. 10.0.0.0/24': 'une plage IPv4 ou IPv6, par exemple 10.0.0.0/24',
  'a Kubernetes label key': 'une clé de label Kubernetes',
  'a Kubernetes label value': 'une valeur de label Kubernetes',
  'between 1 and 20 labels (an empty selector would mean every namespace)': 'entre 1 et 20 labels (un sélecteur vide désignerait tous les namespaces)',
  'a branch or tag name, or refs/heads/… refs/tags/…': 'un nom de branche ou d’étiquette, ou refs/heads/… refs/tags/…',
  'a commit sha (hex)': 'un identifiant de commit (hexadécimal)',
  'a commit id (7 to 64 hexadecimal digits)': 'un identifiant de commit (7 à 64 chiffres hexadécimaux)',
  'a host name, an IP address or a CIDR range (e.g. forge.intra, 192.0.2.10, 198.51.100.0/24)': 'un nom d’hôte, une adresse IP ou une plage CIDR (par exemple forge.intra, 192.0.2.10, 198.51.100.0/24)',
  'an S256 code challenge (base64url of a SHA-256 digest)': 'un code challenge S256 (base64url d’une empreinte SHA-256)',
  'a PKCE code verifier (43 to 128 characters)': 'un code verifier PKCE (43 à 128 caractères)',
  'ISO 8601 instant with offset expected (e.g. 2026-11-29T12:00:00Z)': 'horodatage ISO 8601 avec fuseau attendu (par exemple 2026-11-29T12:00:00Z)',
};

const unknownField: LocalisedText = { fr: 'Champ inconnu', en: 'Unknown field' };

/** An issue as fastify-type-provider-zod reports it: zod's code as `keyword`, zod's other members as `params`. */
export interface ReportedIssue {
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Zod strips the refused value from its issues; its English message still names the type it received. */
function sampleOfReceivedType(englishMessage: string): unknown {
  const received = /received (\w+)/.exec(englishMessage)?.[1];
  const samples: Record<string, unknown> = { undefined: undefined, null: null, string: '', number: 0, boolean: false, array: [], object: {}, bigint: 0n, NaN: Number.NaN };
  return received && received in samples ? samples[received] : undefined;
}

let french: ((issue: never) => string | { message: string } | undefined | null) | undefined;
function frenchLocale() {
  french ??= z.locales.fr().localeError as never;
  return french!;
}

/** One issue in both languages; an issue with an unknown message keeps its English text in both. */
export function localiseIssue(issue: ReportedIssue): LocalisedText {
  const en = issue.message ?? 'invalid';
  if (issue.keyword === 'unrecognized_keys') return unknownField;
  const own = schemaMessagesFr[en];
  if (own) return { fr: own, en };
  if (issue.keyword === 'custom') return { fr: en, en };
  const params = issue.params ?? {};
  const raw = { ...params, code: issue.keyword, ...(issue.keyword === 'invalid_type' ? { input: sampleOfReceivedType(en) } : {}) };
  let fr: string | undefined;
  try {
    const answer = frenchLocale()(raw as never);
    fr = typeof answer === 'string' ? answer : (answer?.message ?? undefined);
  } catch {
    fr = undefined;
  }
  return { fr: fr ?? en, en };
}

export { unknownField };
