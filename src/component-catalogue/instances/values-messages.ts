// What a chart's values.schema.json refused, as sentences in French and English. Ajv writes its messages in English
// only ("must be integer"); a team filling the console form in French must read "Doit être un nombre entier". Each
// error is rendered again from its keyword and parameters, as src/api/validation-messages.ts does for zod; a keyword
// we have no sentence for keeps Ajv's English text in English and says which rule refused it in French.
import type { ErrorObject } from 'ajv';
import type { LocalisedText } from '../../errors.ts';

/** JSON pointer escaping of one property name (RFC 6901), for names that hold "/" or "~". */
export function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The member an error is about when Ajv reports it on the parent object (a missing or unknown property): the
 * field path then names the property itself, so the form can show the message next to it.
 */
export function childOf(error: Pick<ErrorObject, 'keyword' | 'params'>): string | undefined {
  const params = error.params as Record<string, unknown>;
  const name = {
    required: params.missingProperty,
    dependentRequired: params.missingProperty,
    dependencies: params.missingProperty,
    additionalProperties: params.additionalProperty,
    unevaluatedProperties: params.unevaluatedProperty,
    propertyNames: params.propertyName,
  }[error.keyword];
  return typeof name === 'string' ? name : undefined;
}

const typeNames: Record<string, LocalisedText> = {
  string: { fr: 'une chaîne de caractères', en: 'a string' },
  integer: { fr: 'un nombre entier', en: 'an integer' },
  number: { fr: 'un nombre', en: 'a number' },
  boolean: { fr: 'un booléen (true ou false)', en: 'a boolean (true or false)' },
  object: { fr: 'un objet', en: 'an object' },
  array: { fr: 'une liste', en: 'an array' },
  null: { fr: 'null', en: 'null' },
};

const formatNames: Record<string, LocalisedText> = {
  'date-time': { fr: 'un horodatage ISO 8601 (par exemple 2026-11-29T12:00:00Z)', en: 'an ISO 8601 date-time (e.g. 2026-11-29T12:00:00Z)' },
  date: { fr: 'une date AAAA-MM-JJ', en: 'a YYYY-MM-DD date' },
  time: { fr: 'une heure HH:MM:SS', en: 'an HH:MM:SS time' },
  duration: { fr: 'une durée ISO 8601 (par exemple P1D)', en: 'an ISO 8601 duration (e.g. P1D)' },
  email: { fr: 'une adresse électronique', en: 'an e-mail address' },
  hostname: { fr: 'un nom d’hôte', en: 'a host name' },
  ipv4: { fr: 'une adresse IPv4', en: 'an IPv4 address' },
  ipv6: { fr: 'une adresse IPv6', en: 'an IPv6 address' },
  uri: { fr: 'une URI absolue', en: 'an absolute URI' },
  'uri-reference': { fr: 'une référence d’URI', en: 'a URI reference' },
  url: { fr: 'une URL', en: 'a URL' },
  uuid: { fr: 'un UUID', en: 'a UUID' },
  regex: { fr: 'une expression régulière', en: 'a regular expression' },
};

const list = (values: unknown): string => (Array.isArray(values) ? values : [values]).map((v) => JSON.stringify(v)).join(', ');

function typeName(type: unknown): LocalisedText {
  const names = (Array.isArray(type) ? type : String(type).split(',')).map((t) => typeNames[String(t)] ?? { fr: String(t), en: String(t) });
  return { fr: names.map((n) => n.fr).join(' ou '), en: names.map((n) => n.en).join(' or ') };
}

const comparisonFr: Record<string, string> = { '>=': 'supérieur ou égal à', '<=': 'inférieur ou égal à', '>': 'strictement supérieur à', '<': 'strictement inférieur à' };
const comparisonEn: Record<string, string> = { '>=': 'greater than or equal to', '<=': 'less than or equal to', '>': 'greater than', '<': 'less than' };

const plural = (n: unknown, fr: [string, string], en: [string, string]): LocalisedText => {
  const many = Number(n) > 1;
  return { fr: `${String(n)} ${many ? fr[1] : fr[0]}`, en: `${String(n)} ${many ? en[1] : en[0]}` };
};

/** One Ajv error as a sentence in both languages, about the field its path names. */
export function localiseSchemaError(error: Pick<ErrorObject, 'keyword' | 'params' | 'message'>): LocalisedText {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { fr: 'Champ obligatoire', en: 'Required' };
    case 'dependentRequired':
    case 'dependencies':
      return { fr: `Obligatoire quand « ${String(p.property)} » est renseigné`, en: `Required when "${String(p.property)}" is set` };
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return { fr: 'Champ inconnu du chart', en: 'Unknown field for this chart' };
    case 'propertyNames':
      return { fr: 'Nom de champ refusé par le schéma du chart', en: 'Field name refused by the chart’s schema' };
    case 'type': {
      const name = typeName(p.type);
      return { fr: `Doit être ${name.fr}`, en: `Must be ${name.en}` };
    }
    case 'enum':
      return { fr: `Valeur attendue parmi : ${list(p.allowedValues)}`, en: `Must be one of: ${list(p.allowedValues)}` };
    case 'const':
      return { fr: `Seule valeur permise : ${list(p.allowedValue)}`, en: `Must be ${list(p.allowedValue)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const comparison = String(p.comparison);
      return { fr: `Doit être ${comparisonFr[comparison] ?? comparison} ${String(p.limit)}`, en: `Must be ${comparisonEn[comparison] ?? comparison} ${String(p.limit)}` };
    }
    case 'multipleOf':
      return { fr: `Doit être un multiple de ${String(p.multipleOf)}`, en: `Must be a multiple of ${String(p.multipleOf)}` };
    case 'minLength': {
      const n = plural(p.limit, ['caractère', 'caractères'], ['character', 'characters']);
      return { fr: `Au moins ${n.fr}`, en: `At least ${n.en}` };
    }
    case 'maxLength': {
      const n = plural(p.limit, ['caractère', 'caractères'], ['character', 'characters']);
      return { fr: `Au plus ${n.fr}`, en: `At most ${n.en}` };
    }
    case 'minItems':
    case 'contains': {
      const n = plural(p.limit ?? p.minContains ?? 1, ['élément', 'éléments'], ['item', 'items']);
      return error.keyword === 'contains' ? { fr: `Doit contenir au moins ${n.fr} conforme${Number(p.minContains ?? 1) > 1 ? 's' : ''} au schéma`, en: `Must contain at least ${n.en} matching the schema` } : { fr: `Au moins ${n.fr}`, en: `At least ${n.en}` };
    }
    case 'maxItems':
    case 'additionalItems':
    case 'unevaluatedItems': {
      const n = plural(p.limit, ['élément', 'éléments'], ['item', 'items']);
      return { fr: `Au plus ${n.fr}`, en: `At most ${n.en}` };
    }
    case 'minProperties': {
      const n = plural(p.limit, ['champ', 'champs'], ['field', 'fields']);
      return { fr: `Au moins ${n.fr}`, en: `At least ${n.en}` };
    }
    case 'maxProperties': {
      const n = plural(p.limit, ['champ', 'champs'], ['field', 'fields']);
      return { fr: `Au plus ${n.fr}`, en: `At most ${n.en}` };
    }
    case 'uniqueItems':
      return { fr: `Les éléments ${String(p.j)} et ${String(p.i)} sont identiques : chaque élément doit être unique`, en: `Items ${String(p.j)} and ${String(p.i)} are identical: each item must be unique` };
    case 'pattern':
      return { fr: `Doit respecter le motif ${String(p.pattern)}`, en: `Must match the pattern ${String(p.pattern)}` };
    case 'format': {
      const name = formatNames[String(p.format)] ?? { fr: `au format « ${String(p.format)} »`, en: `in the "${String(p.format)}" format` };
      return { fr: `Doit être ${name.fr}`, en: `Must be ${name.en}` };
    }
    case 'anyOf':
      return { fr: 'Ne correspond à aucune des formes permises par le schéma', en: 'Matches none of the forms the schema allows' };
    case 'oneOf':
      return p.passingSchemas ? { fr: 'Correspond à plusieurs formes alors qu’une seule est permise', en: 'Matches more than one form where exactly one is allowed' } : { fr: 'Ne correspond à aucune des formes permises par le schéma', en: 'Matches none of the forms the schema allows' };
    case 'not':
    case 'false schema':
      return { fr: 'Valeur interdite par le schéma du chart', en: 'Value forbidden by the chart’s schema' };
    case 'if':
      return { fr: `Ne respecte pas la condition « ${String(p.failingKeyword)} » du schéma`, en: `Does not meet the schema's "${String(p.failingKeyword)}" condition` };
    default: {
      const en = error.message ?? error.keyword;
      return { fr: `Refusé par la règle « ${error.keyword} » du schéma du chart (${en})`, en: en.charAt(0).toUpperCase() + en.slice(1) };
    }
  }
}
