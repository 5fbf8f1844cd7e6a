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

  it('replaces a known secret printed in base64, URL-encoded or hexadecimal form', () => {
    const secret = 'p@ss w0rd/with+symbols&more';
    const redactKnown = createRedactor([secret]);
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const forms = {
      base64: b64(secret),
      'base64 inside a Basic credential': `Authorization: Basic-ish ${b64(`deploy:${secret}`)}`,
      'base64 at another alignment': b64(`x${secret}`),
      'base64 at the third alignment': b64(`xy${secret}`),
      'URL-safe base64': Buffer.from(`ab${secret}`).toString('base64url'),
      'URL-encoded': `https://forge.example/x?token=${encodeURIComponent(secret)}`,
      'form-encoded': encodeURIComponent(secret).replaceAll('%20', '+'),
      'URL-encoded, lower case': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      hex: Buffer.from(secret).toString('hex'),
      'HEX upper case': Buffer.from(secret).toString('hex').toUpperCase(),
    };
    for (const [name, text] of Object.entries(forms)) {
      const out = redactKnown(`before ${text} after`);
      expect(out, name).toContain('[redacted]');
      // No run of the secret's encoded bytes long enough to give it back.
      const decoded = [out, Buffer.from(out.replace(/[^A-Za-z0-9+/=_-]/g, ''), 'base64').toString('latin1'), decodeURIComponent(out.replace(/%(?![0-9a-f]{2})/gi, '')), Buffer.from(out.replace(/[^0-9a-f]/gi, ''), 'hex').toString('latin1')];
      for (const d of decoded) expect(d.includes('w0rd/with+symbols'), `${name}: ${out}`).toBe(false);
    }
  });

  it('keeps ordinary text around an encoded secret', () => {
    const redactKnown = createRedactor(['registry-password-42']);
    expect(redactKnown(`push ok ${Buffer.from('registry-password-42').toString('hex')} done`)).toBe('push ok [redacted] done');
  });
});

