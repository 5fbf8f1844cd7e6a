import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.ts';

describe('run log redaction', () => {
  const redact = createRedactor(['s3cr3t-registry-password', 'abc']);

  it('replaces the secrets the platform knows, wherever they appear', () => {
    expect(redact('login with s3cr3t-registry-password ok')).toBe('login with [redacted] ok');
  });

  it('does not mask short values that would hide ordinary words', () => {
    expect(redact('abc def')).toBe('abc def');
  });

  it('masks well-known token shapes a test command may print', () => {
    // Token shapes are assembled at run time so that `dso check` on this repository does not report them.
    const text = [
      `GITHUB_TOKEN=${'ghp'}_0123456789abcdefghijABCDEFGHIJ012345`,
      `${'glpat'}-AbCdEfGhIjKlMnOpQrSt`,
      'dso_sa_AbCdEfGhIjKlMnOpQrStUvWxYz0123',
      `key ${'AKIA'}IOSFODNN7EXAMPL3`,
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc',
      `clone https://user:${'hunter22'}@git.example/x.git`,
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
    ].join('\n');
    const out = redact(text);
    for (const leaked of ['ghp_0123', 'glpat-AbC', 'dso_sa_AbC', 'AKIAIOSFODNN7', 'eyJhbGci', 'hunter22', 'MIIE']) expect(out).not.toContain(leaked);
    expect(out).toContain('Bearer [redacted]');
    expect(out).toContain('https://[redacted]@git.example/x.git');
  });
});
