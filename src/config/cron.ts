// Validates the cron expressions of the configuration at start (pg-boss only parses them when it schedules, and a
// typo would then surface as a log line in the night, or never). Five fields, UTC: minute hour day-of-month month
// day-of-week; each a `*`, a number, a range `a-b` or a list `a,b`, optionally stepped `/n`; months and days may be
// named (jan…dec, sun…sat). The sentence says what is wrong in French, then in English, as the operator may read
// either.

interface Field {
  fr: string;
  en: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly Field[] = [
  { fr: 'minute', en: 'minute', min: 0, max: 59 },
  { fr: 'heure', en: 'hour', min: 0, max: 23 },
  { fr: 'jour du mois', en: 'day of month', min: 1, max: 31 },
  { fr: 'mois', en: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { fr: 'jour de la semaine', en: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const example = '0 2 * * *';

/** The problem sentence (French / English) when `expression` is not a valid five-field cron expression. */
export function cronProblem(name: string, expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== fields.length) {
    return `${name}="${expression}" : une expression cron a 5 champs (minute heure jour-du-mois mois jour-de-la-semaine, p. ex. « ${example} » chaque nuit à 2 h UTC), ici ${parts.length}. / `
      + `${name}="${expression}": a cron expression has 5 fields (minute hour day-of-month month day-of-week, e.g. "${example}" every night at 2:00 UTC), this one has ${parts.length}.`;
  }
  for (const [i, field] of fields.entries()) {
    const part = parts[i]!;
    if (!validField(part, field)) {
      return `${name}="${expression}" : le champ ${field.fr} « ${part} » n'est pas valide (de ${field.min} à ${field.max}, *, a-b, a,b ou */n). / `
        + `${name}="${expression}": the ${field.en} field "${part}" is not valid (${field.min} to ${field.max}, *, a-b, a,b or */n).`;
    }
  }
  return undefined;
}

function validField(part: string, field: Field): boolean {
  return part.split(',').every((item) => {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') return false;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
    if (range === '*') return true;
    const bounds = range.split('-');
    if (bounds.length > 2) return false;
    const values = bounds.map((b) => valueOf(b, field));
    if (values.some((v) => v === undefined)) return false;
    return values.length === 1 || values[0]! <= values[1]!;
  });
}

function valueOf(token: string, field: Field): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named < 0) return undefined;
  return field.names === fields[3]!.names ? named + 1 : named;
}
