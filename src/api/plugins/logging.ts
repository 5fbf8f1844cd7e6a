// JSON logs (pino), one line per event, with the request id; never a token, cookie or Authorization header.
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../../config.ts';

/** Paths pino blanks everywhere they appear in a logged object. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.credentials',
  'token',
  'password',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'dso-pi' },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: {
        // Only what is useful and safe: the query string may hold OIDC codes or state, headers hold credentials.
        req: (req: { method: string; url: string; id?: string; raw?: { originalUrl?: string } }) => ({
          method: req.method,
          // Mounted apps (the built-in provider) rewrite url; originalUrl is what the client asked for.
          path: (req.raw?.originalUrl ?? req.url).split('?')[0],
          id: req.id,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: stdSerializers.err,
      },
    },
    destination as DestinationStream | undefined,
  );
}
