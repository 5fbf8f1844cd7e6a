// One environment variable, declared once: its name, what the README says about it (default and description) and
// how its raw text becomes a typed value or a problem sentence. src/config/variables.ts lists them all; the loader
// (src/config.ts) reads them and `npm run docs:config` writes the README table from the same list.
import { cronProblem } from './cron.ts';

export interface Variable<T> {
  readonly name: string;
  /** The default as the README shows it ("(none)", "8080"…). */
  readonly defaultText: string;
  readonly description: string;
  /** The typed value of the raw text (undefined when unset or blank); an invalid value adds a problem and gives the
   * default. */
  read(raw: string | undefined, problems: string[]): T;
}

interface Declared {
  description: string;
  /** How the README shows the default when it is not the literal value (e.g. "(generated key file in
   * DSO_DATA_DIR)"). */
  defaultText?: string;
}

function variable<T>(
  name: string,
  declared: Declared,
  fallbackText: string,
  read: (raw: string, problems: string[]) => T,
  fallback: T,
): Variable<T> {
  return {
    name,
    defaultText: declared.defaultText ?? fallbackText,
    description: declared.description,
    read: (raw, problems) => (raw === undefined ? fallback : read(raw, problems)),
  };
}

/** A whole number within bounds. */
export function integer(
  name: string,
  declared: Declared & { default: number; min: number; max: number },
): Variable<number> {
  const { min, max } = declared;
  return variable(
    name,
    declared,
    String(declared.default),
    (raw, problems) => {
      const n = Number(raw);
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      problems.push(`${name}="${raw}" must be a whole number between ${min} and ${max}.`);
      return declared.default;
    },
    declared.default,
  );
}

/** true/false (also 1/0, yes/no, on/off). */
export function flag(name: string, declared: Declared & { default: boolean }): Variable<boolean> {
  return variable(name, declared, String(declared.default), (raw, problems) => {
    const value = raw.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    problems.push(`${name}="${raw}" must be true or false.`);
    return declared.default;
  }, declared.default);
}

/** Free text, optionally checked by `valid` (which returns the problem sentence, or undefined when the value is
 * fine). */
export function text(
  name: string,
  declared: Declared & { default: string; valid?: (raw: string) => string | undefined },
): Variable<string>;
export function text(
  name: string,
  declared: Declared & { default?: undefined; valid?: (raw: string) => string | undefined },
): Variable<string | undefined>;
export function text(
  name: string,
  declared: Declared & { default?: string; valid?: (raw: string) => string | undefined },
): Variable<string | undefined> {
  return variable(
    name,
    declared,
    declared.default ?? '(none)',
    (raw, problems) => {
      const problem = declared.valid?.(raw);
      if (problem === undefined) return raw;
      problems.push(problem);
      return declared.default;
    },
    declared.default,
  );
}

/** One of a few words (case-insensitive). */
export function choice<const W extends string>(
  name: string,
  declared: Declared & { values: readonly W[]; default: W },
): Variable<W> {
  return variable(
    name,
    declared,
    declared.default,
    (raw, problems) => {
      const value = raw.toLowerCase();
      if ((declared.values as readonly string[]).includes(value)) return value as W;
      problems.push(
        `${name}="${raw}" must be ${declared.values.length === 2 ? declared.values.join(' or ') : `one of ${declared.values.join(', ')}`}.`,
      );
      return declared.default;
    },
    declared.default,
  );
}

/** An http(s) URL, without its trailing slashes. */
export function httpUrl(name: string, declared: Declared & { default?: undefined }): Variable<string | undefined> {
  return variable(name, declared, '(none)', (raw, problems) => {
    try {
      const u = new URL(raw);
      if (u.protocol === 'http:' || u.protocol === 'https:') return raw.replace(/\/+$/, '');
    } catch {
      // reported below
    }
    problems.push(`${name}="${raw}" is not an http(s) URL.`);
    return undefined;
  }, undefined);
}

/** A list separated by `separator` (blank items dropped), at most `max` items. */
export function list(
  name: string,
  declared: Declared & { default: readonly string[]; separator?: string | RegExp; max?: number },
): Variable<string[]> {
  const separator = declared.separator ?? ',';
  const shown =
    declared.default.length === 0 ? '(none)' : declared.default.join(typeof separator === 'string' ? separator : ' ');
  return variable(
    name,
    declared,
    shown,
    (raw) =>
      raw
        .split(separator)
        .map((item) => item.trim())
        .filter(Boolean)
        .slice(0, declared.max ?? 1000),
    [...declared.default],
  );
}

/** A five-field cron expression (UTC), checked at start so a typo is not discovered the night it should have run. */
export function cron(name: string, declared: Declared & { default: string }): Variable<string> {
  return variable(name, declared, declared.default, (raw, problems) => {
    const problem = cronProblem(name, raw);
    if (problem === undefined) return raw;
    problems.push(problem);
    return declared.default;
  }, declared.default);
}

/** Anything else: `parse` turns the raw text into the value, or pushes a problem and returns the default. */
export function parsed<T>(
  name: string,
  declared: Declared & { default: T; defaultText: string; parse: (raw: string, problems: string[]) => T },
): Variable<T> {
  return variable(name, declared, declared.defaultText, declared.parse, declared.default);
}
