// Run verdicts by e-mail, against a real SMTP server (smtp-server, by nodemailer's authors) on 127.0.0.1 that
// requires a login: who receives the message, what its subject and body say (French, then English; why; the link
// to the run in the console), and a mail server that is down — the verdict stands, the other notifications go
// out, the notify step says what failed, and the SMTP password appears nowhere.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, users } from '../src/db/schema.ts';
import { callApi, createPerson, createProject, createServiceAccount, type ApiMethod, type TestActor } from './support/api-fixtures.ts';
import { freePort } from './support/registry.ts';
import { startExternalRepository, startReceiver, waitForRun, type ExternalRepository, type Receiver } from './support/chain.ts';
import { createTestSystem, type TestSystem } from './support/server.ts';

interface Mail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

const smtpUser = 'dso-notifier';
const smtpPassword = `pw-${randomBytes(9).toString('hex')}`;

/** A real SMTP server requiring PLAIN/LOGIN with the test's credentials; `stop()` makes it unreachable. */
async function startSmtp(port: number) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === smtpUser && auth.password === smtpPassword) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  expect((server.server.address() as AddressInfo).port).toBe(port);
  return { mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded subject and text body of a single-part message as nodemailer writes it (RFC 2047, QP or base64). */
function readMail(raw: string): { subject: string; text: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head!.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(headers)?.[1] ?? '';
  const word = /=\?utf-8\?([qb])\?([^?]*)\?=/gi;
  const subject = header('Subject')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(word, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
    );
  const body = rest.join('\n\n');
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : encoding === 'quoted-printable' ? decodeQp(body.replace(/=\r?\n/g, '')) : body;
  return { subject, text: text.replace(/\r\n/g, '\n') };
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('run verdicts by e-mail through SMTP', () => {
  let smtpPort: number;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let external: ExternalRepository;
  let receiver: Receiver;
  let system: TestSystem;
  let owner: TestActor;
  let projectId: string;
  let repositoryId: string;
  const publicUrl = 'https://console.dso.example';

  const call = (method: ApiMethod, url: string, payload?: object) => callApi(system.app, owner, method, url, payload);
  const get = (url: string) => call('GET', url);
  const startRun = async () => {
    const started = await call('POST', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`, { ref: 'main' });
    expect(started.status).toBe(202);
    return waitForRun(get, started.body.id);
  };

  beforeAll(async () => {
    smtpPort = await freePort();
    smtp = await startSmtp(smtpPort);
    external = await startExternalRepository({ 'hello.txt': 'bonjour\n', '.dso.yml': 'version: 1\ntest:\n  command: test -f hello.txt && echo "1 test, 0 échec"\n' });
    receiver = await startReceiver();
    system = await createTestSystem('pglite', {
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_PUBLIC_URL: publicUrl,
      DSO_SMTP_URL: `smtp://${smtpUser}:${smtpPassword}@127.0.0.1:${smtpPort}`,
      DSO_SMTP_FROM: 'dso-pi@ministere.example',
    });
    const db = system.services.db;
    owner = await createPerson(db, 'proprietaire');
    const project = await createProject(db, 'projet-courriel', owner.userId!);
    projectId = project.id;
    // Who is in the team: acting roles get the e-mail; read-only, security, a disabled account, a member without
    // an address, a service account and another project's owner do not.
    for (const [name, role, extra] of [
      ['devops', 'devops', {}],
      ['developpeuse', 'developer', {}],
      ['lecteur', 'read-only', {}],
      ['securite', 'security', {}],
      ['ancien', 'developer', { disabled: true }],
      ['sans-adresse', 'developer', { email: null }],
    ] as const) {
      const person = await createPerson(db, name);
      if (Object.keys(extra).length > 0) await db.update(users).set(extra).where(eq(users.id, person.userId!));
      await db.insert(members).values({ projectId, userId: person.userId!, role });
    }
    await createServiceAccount(db, 'ci', projectId, 'devops');
    const stranger = await createPerson(db, 'etranger');
    await createProject(db, 'autre-projet', stranger.userId!);
    const repo = await call('POST', '/api/v1/repositories', { projectId, name: 'app', externalUrl: external.url });
    expect(repo.status).toBe(201);
    repositoryId = repo.body.id;
    expect((await call('POST', `/api/v1/projects/${projectId}/webhooks`, { url: receiver.url })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await Promise.all([smtp?.stop(), external?.stop(), receiver?.stop()]);
  });

  it('mails a certified verdict to the members who act on it, in French then English, with the link to the run', async () => {
    const run = await startRun();
    expect(run.status).toBe('certified');
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.user).toBe(smtpUser);
    expect(mail.from).toBe('dso-pi@ministere.example');
    expect([...mail.to].sort()).toEqual(['developpeuse@example.gouv.fr', 'devops@example.gouv.fr', 'proprietaire@example.gouv.fr']);
    const { subject, text } = readMail(mail.raw);
    expect(subject).toBe(`[DSO π] projet-courriel/app : révision ${run.commitSha.slice(0, 12)} certifiée`);
    const [fr, en] = text.split('-- English version --');
    expect(fr).toContain(`La révision ${run.commitSha.slice(0, 12)} du dépôt app (projet projet-courriel, main) est certifiée par DSO π.`);
    expect(fr).toContain('✓ aucun secret dans le code');
    expect(fr).toContain(`Voir l'exécution dans la console : ${publicUrl}/projects/${projectId}/runs/${run.id}`);
    expect(en).toContain('was certified by DSO π');
    expect(en).toContain(`See the run in the console: ${publicUrl}/projects/${projectId}/runs/${run.id}`);
    const notify = run.steps.find((s: any) => s.name === 'notify');
    expect(notify).toMatchObject({ status: 'succeeded' });
    expect(notify.message).toContain('courriel envoyé à 3 destinataire(s)');
  }, 60_000);

  it('says why a revision is refused: the blocking gate reasons first', async () => {
    const token = `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'a').slice(0, 36)}`;
    external.commit({ 'config/deploy.env': `GITHUB_TOKEN=${token}\n` }, 'oops');
    const run = await startRun();
    expect(run.status).toBe('rejected');
    expect(smtp.mails).toHaveLength(2);
    const { subject, text } = readMail(smtp.mails[1]!.raw);
    expect(subject).toBe(`[DSO π] projet-courriel/app : révision ${run.commitSha.slice(0, 12)} refusée`);
    const [fr, en] = text.split('-- English version --');
    expect(fr).toContain('est refusée par la barrière de DSO π.');
    const why = fr!.slice(fr!.indexOf('Pourquoi :')).split('\n').filter((l) => /^[✓✗]/.test(l));
    expect(why[0]).toBe('✗ 1 secret dans le code');
    expect(why.slice(1).every((l) => l.startsWith('✓'))).toBe(true);
    expect(en).toContain('✗ 1 secret in the code');
    expect(text).not.toContain(token);
  }, 60_000);

  it('keeps the verdict and the other notifications when the mail server is down, and never shows the SMTP password', async () => {
    await smtp.stop();
    const before = receiver.received.length;
    const run = await startRun();
    expect(run.status).toBe('rejected');
    expect(run.verdict.reasons.find((r: any) => r.blocking).code).toBe('secret');
    // The webhook went out all the same.
    expect(receiver.received.length).toBe(before + 1);
    expect(JSON.parse(receiver.received.at(-1)!.body).data.run).toMatchObject({ id: run.id, status: 'rejected' });
    const notify = run.steps.find((s: any) => s.name === 'notify');
    expect(notify.status).toBe('failed');
    expect(notify.message).toMatch(/courriel non envoyé à 3 destinataire\(s\) après 3 essais : .*ECONNREFUSED/);
    const logs = await get(`/api/v1/runs/${run.id}/logs`);
    expect(logs.body).toContain('Courriel : essai 3 sur 3 en échec');
    for (const shown of [JSON.stringify(run), String(logs.body)]) {
      expect(shown).not.toContain(smtpPassword);
      expect(shown).not.toContain(smtpUser);
    }
  }, 60_000);
});
