import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { scopeSettingsOf } from '../checks/scope.ts';
import { projectEvaluationPolicyOf } from '../checks/evaluation-policy.ts';
import type { SandboxLimits } from './sandbox/run-tests.ts';

/**
 * `.dso.yml` at a repository's root tells the secondary chain how to test and build it.
 * Parsing is bounded (size, aliases, counts) and every path must stay inside the
 * repository. Requested limits above the platform maxima are clamped, with a warning the
 * team sees in its run; nonsensical values are refused. Format documented in docs/dso-yml.md.
 */
export interface Message {
  /** Where in the file, e.g. `test.limits.cpuSeconds`. */
  path: string;
  fr: string;
  en: string;
}

/** junit, lcov, cobertura and jacoco are read (tests run/failed, line coverage); sarif and cyclonedx are listed. */
export type ReportFormat = 'junit' | 'lcov' | 'cobertura' | 'jacoco' | 'sarif' | 'cyclonedx';

export interface DsoConfig {
  version: 1;
  test?: {
    command: string;
    reports: Array<{ path: string; format: ReportFormat }>;
    env: Record<string, string>;
    limits: SandboxLimits;
  };
  /** `readiness`: where the started image answers when ready (EX51); default: the first port the image exposes. */
  image?: { file: string; context: string; readiness?: { port: number; path?: string } };
}

export type DsoConfigResult =
  { ok: true; config: DsoConfig; warnings: Message[] } | { ok: false; errors: Message[]; warnings: Message[] };

/** Platform maxima and defaults, set by the administrators (per zone if they wish). */
export interface PlatformTestLimits {
  max: SandboxLimits;
  defaults: SandboxLimits;
}

export const DEFAULT_PLATFORM_LIMITS: PlatformTestLimits = {
  max: { cpuSeconds: 1800, wallSeconds: 3600, memoryBytes: 8 * 1024 ** 3, outputBytes: 4 * 1024 ** 2 },
  defaults: { cpuSeconds: 600, wallSeconds: 900, memoryBytes: 4 * 1024 ** 3, outputBytes: 1024 ** 2 },
};

export const DSO_YML_MAX_BYTES = 64 * 1024;
const REPORT_FORMATS: ReportFormat[] = ['junit', 'lcov', 'cobertura', 'jacoco', 'sarif', 'cyclonedx'];
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
const RESERVED_ENV = new Set(['PATH', 'HOME', 'TMPDIR', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'CI', 'LANG']);

/** Limits as written in the file, and how they map onto the sandbox's. */
const LIMIT_FIELDS = [
  { key: 'cpuSeconds', unit: 1, target: 'cpuSeconds' },
  { key: 'wallSeconds', unit: 1, target: 'wallSeconds' },
  { key: 'memoryMiB', unit: 1024 ** 2, target: 'memoryBytes' },
  { key: 'outputKiB', unit: 1024, target: 'outputBytes' },
] as const;

export function parseDsoYml(
  text: string | null,
  platform: PlatformTestLimits = DEFAULT_PLATFORM_LIMITS,
): DsoConfigResult {
  const errors: Message[] = [];
  const warnings: Message[] = [];
  const error = (p: string, fr: string, en: string) => errors.push({ path: p, fr, en });
  const warn = (p: string, fr: string, en: string) => warnings.push({ path: p, fr, en });

  if (text === null) {
    warn(
      '',
      'Pas de fichier .dso.yml : aucun test déclaré, image construite depuis Dockerfile.',
      'No .dso.yml file: no tests declared, image built from Dockerfile.',
    );
    return { ok: true, config: { version: 1, image: { file: 'Dockerfile', context: '.' } }, warnings };
  }
  if (Buffer.byteLength(text) > DSO_YML_MAX_BYTES) {
    error(
      '',
      `Le fichier .dso.yml dépasse ${DSO_YML_MAX_BYTES / 1024} Kio.`,
      `.dso.yml is larger than ${DSO_YML_MAX_BYTES / 1024} KiB.`,
    );
    return { ok: false, errors, warnings };
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const first = doc.errors[0]!;
    error('', `YAML invalide : ${first.message.split('\n')[0]}`, `Invalid YAML: ${first.message.split('\n')[0]}`);
    return { ok: false, errors, warnings };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 });
  } catch (e) {
    error('', `YAML refusé : ${(e as Error).message}`, `YAML refused: ${(e as Error).message}`);
    return { ok: false, errors, warnings };
  }
  if (!isRecord(raw)) {
    error(
      '',
      'Le fichier doit contenir un objet (clés version, test, image).',
      'The file must hold a mapping (keys version, test, image).',
    );
    return { ok: false, errors, warnings };
  }
  // podSecurity and helm are read by the Kubernetes checker (src/checks/kubernetes/settings.ts), which reports their
  // problems; scope by the engine (src/checks/project-settings.ts).
  unknownKeys(raw, ['version', 'test', 'image', 'podSecurity', 'helm', 'scope', 'evaluation'], '', warn);
  if (raw.version !== 1) error('version', 'Indiquez « version: 1 ».', 'Set "version: 1".');

  const config: DsoConfig = { version: 1 };

  if (raw.test !== undefined) {
    const t = raw.test;
    if (!isRecord(t)) {
      error('test', '« test » doit être un objet.', '"test" must be a mapping.');
    } else {
      unknownKeys(t, ['command', 'reports', 'env', 'limits'], 'test', warn);
      const command = t.command;
      if (typeof command !== 'string' || !command.trim() || command.length > 4096 || command.includes('\0')) {
        error(
          'test.command',
          'Indiquez la commande de test (texte, 4096 caractères au plus).',
          'Give the test command (text, at most 4096 characters).',
        );
      }
      const reports: Array<{ path: string; format: ReportFormat }> = [];
      const rawReports = t.reports ?? [];
      if (!Array.isArray(rawReports) || rawReports.length > 20) {
        error(
          'test.reports',
          '« reports » doit être une liste de 20 rapports au plus.',
          '"reports" must be a list of at most 20 reports.',
        );
      } else {
        rawReports.forEach((r, i) => {
          const where = `test.reports[${i}]`;
          const entry = typeof r === 'string' ? { path: r, format: 'junit' } : r;
          if (!isRecord(entry)) return error(where, 'Rapport invalide.', 'Invalid report.');
          const p = safeRelativePath(entry.path);
          if (!p)
            return error(
              `${where}.path`,
              'Chemin de rapport invalide : relatif, sans « .. ».',
              'Invalid report path: relative, without "..".',
            );
          const format = entry.format ?? 'junit';
          if (!REPORT_FORMATS.includes(format as ReportFormat)) {
            return error(
              `${where}.format`,
              `Format inconnu (acceptés : ${REPORT_FORMATS.join(', ')}).`,
              `Unknown format (accepted: ${REPORT_FORMATS.join(', ')}).`,
            );
          }
          reports.push({ path: p, format: format as ReportFormat });
        });
      }
      const env: Record<string, string> = {};
      if (t.env !== undefined) {
        if (!isRecord(t.env) || Object.keys(t.env).length > 50) {
          error(
            'test.env',
            '« env » doit être un objet de 50 variables au plus.',
            '"env" must be a mapping of at most 50 variables.',
          );
        } else {
          for (const [name, value] of Object.entries(t.env)) {
            if (!ENV_NAME.test(name) || RESERVED_ENV.has(name) || name.startsWith('DSO_')) {
              error(
                `test.env.${name.slice(0, 64)}`,
                'Nom de variable refusé (majuscules, réservées exclues).',
                'Variable name refused (upper case, reserved names excluded).',
              );
            } else if (!['string', 'number', 'boolean'].includes(typeof value) || String(value).length > 4096) {
              error(`test.env.${name}`, 'Valeur de variable invalide.', 'Invalid variable value.');
            } else {
              env[name] = String(value);
            }
          }
        }
      }
      const limits: SandboxLimits = { ...platform.defaults };
      if (t.limits !== undefined) {
        if (!isRecord(t.limits)) {
          error('test.limits', '« limits » doit être un objet.', '"limits" must be a mapping.');
        } else {
          unknownKeys(
            t.limits,
            LIMIT_FIELDS.map((f) => f.key),
            'test.limits',
            warn,
          );
          for (const field of LIMIT_FIELDS) {
            const value = t.limits[field.key];
            if (value === undefined) continue;
            const where = `test.limits.${field.key}`;
            if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || !Number.isInteger(value)) {
              error(where, 'La limite doit être un entier positif.', 'The limit must be a positive integer.');
              continue;
            }
            const max = platform.max[field.target];
            const requested = value * field.unit;
            if (requested > max) {
              const maxInUnit = Math.floor(max / field.unit);
              warn(
                where,
                `Demande de ${value} ramenée au maximum de la plateforme (${maxInUnit}).`,
                `Request of ${value} reduced to the platform maximum (${maxInUnit}).`,
              );
              limits[field.target] = max;
            } else {
              limits[field.target] = requested;
            }
          }
        }
      }
      if (limits.cpuSeconds > limits.wallSeconds) limits.cpuSeconds = limits.wallSeconds;
      if (typeof command === 'string') config.test = { command, reports, env, limits };
    }
  }

  if (raw.image !== undefined) {
    const img = raw.image;
    if (!isRecord(img)) {
      error('image', '« image » doit être un objet.', '"image" must be a mapping.');
    } else {
      unknownKeys(img, ['file', 'context', 'readiness'], 'image', warn);
      let readiness: { port: number; path?: string } | undefined;
      if (img.readiness !== undefined) {
        const r = img.readiness;
        const port = isRecord(r) ? r.port : undefined;
        const probePath = isRecord(r) ? r.path : undefined;
        if (!isRecord(r) || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
          error(
            'image.readiness.port',
            '« image.readiness.port » doit être un port TCP (1 à 65535).',
            '"image.readiness.port" must be a TCP port (1 to 65535).',
          );
        else if (
          probePath !== undefined &&
          (typeof probePath !== 'string' || !/^\/[\x21-\x7e]{0,200}$/.test(probePath))
        )
          error(
            'image.readiness.path',
            '« image.readiness.path » doit être un chemin HTTP commençant par « / ».',
            '"image.readiness.path" must be an HTTP path starting with "/".',
          );
        else readiness = { port, ...(typeof probePath === 'string' ? { path: probePath } : {}) };
      }
      const file = safeRelativePath(img.file ?? 'Dockerfile');
      const context = safeRelativePath(img.context ?? '.');
      if (!file)
        error(
          'image.file',
          'Chemin du fichier de construction invalide : relatif, sans « .. ».',
          'Invalid build file path: relative, without "..".',
        );
      if (!context)
        error(
          'image.context',
          'Chemin du contexte invalide : relatif, sans « .. ».',
          'Invalid context path: relative, without "..".',
        );
      if (file && context) config.image = { file, context, ...(readiness ? { readiness } : {}) };
    }
  }

  // `scope` is read by the checks themselves (checks/project-settings.ts); here it is only validated.
  for (const problem of scopeSettingsOf(raw.scope).problems) error(problem.path, problem.fr, problem.en);
  // `evaluation` likewise (what the platform enforces is applied by the checks, with a note).
  for (const problem of projectEvaluationPolicyOf(raw.evaluation).problems) error(problem.path, problem.fr, problem.en);

  return errors.length ? { ok: false, errors, warnings } : { ok: true, config, warnings };
}

/** A normalised relative path that cannot leave the repository, or null. */
export function safeRelativePath(value: unknown): string | null {
  if (typeof value !== 'string' || !value || value.length > 512 || value.includes('\0') || value.includes('\\')) return null;
  if (path.posix.isAbsolute(value)) return null;
  const normalised = path.posix.normalize(value);
  if (normalised === '..' || normalised.startsWith('../')) return null;
  return normalised;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  where: string,
  warn: (p: string, fr: string, en: string) => void,
) {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      const p = where ? `${where}.${key.slice(0, 64)}` : key.slice(0, 64);
      warn(p, `Clé inconnue ignorée : « ${key.slice(0, 64)} ».`, `Unknown key ignored: "${key.slice(0, 64)}".`);
    }
  }
}

/**
 * Reads `.dso.yml` from a checked-out repository without following a symbolic link (a
 * hostile repository could point it at a platform file) and without reading past the bound.
 */
export async function loadDsoYml(
  checkoutDir: string,
  platform: PlatformTestLimits = DEFAULT_PLATFORM_LIMITS,
): Promise<DsoConfigResult> {
  let handle;
  try {
    handle = await open(
      path.join(checkoutDir, '.dso.yml'),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return parseDsoYml(null, platform);
    const message =
      code === 'ELOOP'
        ? {
            fr: 'Le fichier .dso.yml ne doit pas être un lien symbolique.',
            en: '.dso.yml must not be a symbolic link.',
          }
        : { fr: 'Le fichier .dso.yml est illisible.', en: '.dso.yml cannot be read.' };
    return { ok: false, errors: [{ path: '', ...message }], warnings: [] };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      return {
        ok: false,
        errors: [{ path: '', fr: '.dso.yml doit être un fichier ordinaire.', en: '.dso.yml must be a regular file.' }],
        warnings: [],
      };
    }
    const buffer = Buffer.alloc(DSO_YML_MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parseDsoYml(buffer.subarray(0, bytesRead).toString('utf8'), platform);
  } finally {
    await handle.close();
  }
}
