// `dso derogations`: derogations through the console's API, and offline helpers around the one evaluator.
//   request <project> --requirement EX… --justification … --expires-at <instant> [scope options]   ask for one;
//   list [<project>] [--status …] [--requirement EX…]   a project's derogations (or every visible one);
//   approve <id> [--comment …] [--expires-at …] | reject <id> --comment … | revoke <id>   security officers;
//   list --facts <file.json> [--at <instant>]   which derogations are in force at that instant, and until when;
//   validate --requirement EX… --justification … --expires-at <instant> [--rule …] [--fingerprint …]
//            [--repository …] [--environment …] [--max-days 365]   check a request before sending it.
import { parseArgs } from 'node:util';
import { requirementIds } from '../catalogue/catalogue.ts';
import { languageFromEnvironment } from '../checks/format/messages.ts';
import { derogationInForce, validateDerogationRequest, type DerogationScope } from '../domain/derogation.ts';
import { requireFactsFile, requireInstantOption } from './conformity.ts';
import { processIo, resolveProject, runApiCommand, table, UsageError, type ApiClient, type CommonOptions, type Io } from './api-client.ts';
import { helpOption, parseCommandLine } from './command-line.ts';

const usage = {
  fr: `Usage : dso derogations request <projet> --requirement <EX…> --justification <texte> --expires-at <instant avec fuseau>
                               [--compensating-measures <texte>] [--rule <id>] [--fingerprint <empreinte>] [--repository <id>] [--environment <id>]
       dso derogations list [<projet>] [--status requested|in-force|expired|rejected|revoked] [--requirement <EX…>]
       dso derogations approve <id> [--comment <texte>] [--expires-at <instant>]
       dso derogations reject <id> --comment <texte>
       dso derogations revoke <id> [--comment <texte>]
       (--json pour une sortie machine, --lang fr|en)
       dso derogations list --facts <faits.json> [--at <instant>]
       dso derogations validate --requirement <EX…> --justification <texte> --expires-at <instant avec fuseau>
                                [--rule <id>] [--fingerprint <empreinte>] [--repository <id>] [--environment <id>] [--max-days <n>]
`,
  en: `Usage: dso derogations request <project> --requirement <EX…> --justification <text> --expires-at <instant with offset>
                              [--compensating-measures <text>] [--rule <id>] [--fingerprint <fingerprint>] [--repository <id>] [--environment <id>]
       dso derogations list [<project>] [--status requested|in-force|expired|rejected|revoked] [--requirement <EX…>]
       dso derogations approve <id> [--comment <text>] [--expires-at <instant>]
       dso derogations reject <id> --comment <text>
       dso derogations revoke <id> [--comment <text>]
       (--json for machine output, --lang fr|en)
       dso derogations list --facts <facts.json> [--at <instant>]
       dso derogations validate --requirement <EX…> --justification <text> --expires-at <instant with offset>
                                [--rule <id>] [--fingerprint <fingerprint>] [--repository <id>] [--environment <id>] [--max-days <n>]
`,
};

interface DerogationView {
  id: string;
  projectId: string;
  requirement: string;
  scope: Record<string, string>;
  status: string;
  effectiveStatus: string;
  expiresAt: string;
  requestedBy: string;
  decisionComment: string | null;
}

const statusLabels: Record<string, { fr: string; en: string }> = {
  requested: { fr: 'demandée', en: 'requested' },
  'in-force': { fr: 'en vigueur', en: 'in force' },
  expired: { fr: 'échue', en: 'expired' },
  rejected: { fr: 'refusée', en: 'rejected' },
  revoked: { fr: 'révoquée', en: 'revoked' },
};

const scopeText = (scope: Record<string, string>) => Object.entries(scope ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '*';

function show(d: DerogationView, io: Io, options: CommonOptions, verb: { fr: string; en: string }): void {
  if (options.json) io.out(`${JSON.stringify(d)}\n`);
  else io.out(`${verb[options.lang]} ${d.id} (${d.requirement}, ${statusLabels[d.effectiveStatus]?.[options.lang] ?? d.effectiveStatus}, ${options.lang === 'fr' ? "jusqu'au" : 'until'} ${d.expiresAt})\n`);
}

/** What a derogation request says, the same on the platform and offline. */
const requestOptions = {
  requirement: { type: 'string' },
  justification: { type: 'string' },
  'compensating-measures': { type: 'string' },
  'expires-at': { type: 'string' },
  rule: { type: 'string' },
  fingerprint: { type: 'string' },
  repository: { type: 'string' },
  environment: { type: 'string' },
} as const;

async function remote(client: ApiClient, options: CommonOptions, rest: string[], io: Io): Promise<number> {
  const [sub, ...more] = rest;
  const { values, positionals } = parseArgs({
    args: more,
    allowPositionals: true,
    strict: true,
    options: { ...requestOptions, status: { type: 'string' }, comment: { type: 'string' } },
  });
  if (sub === 'request') {
    if (positionals.length !== 1) throw new UsageError(usage);
    const project = await resolveProject(client, positionals[0]!);
    const scope = {
      ...(values.rule ? { ruleId: values.rule } : {}),
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values.repository ? { repositoryId: values.repository } : {}),
      ...(values.environment ? { environmentId: values.environment } : {}),
    };
    const created = await client.request<DerogationView>('POST', `/projects/${project.id}/derogations`, {
      requirement: values.requirement,
      justification: values.justification,
      expiresAt: values['expires-at'],
      ...(values['compensating-measures'] !== undefined ? { compensatingMeasures: values['compensating-measures'] } : {}),
      ...(Object.keys(scope).length > 0 ? { scope } : {}),
    });
    show(created, io, options, { fr: 'Dérogation demandée :', en: 'Derogation requested:' });
    return 0;
  }
  if (sub === 'list') {
    if (positionals.length > 1) throw new UsageError(usage);
    const query = new URLSearchParams({ limit: '200', ...(values.status ? { status: values.status } : {}), ...(values.requirement ? { requirement: values.requirement } : {}) });
    const path = positionals[0] ? `/projects/${(await resolveProject(client, positionals[0])).id}/derogations` : '/derogations';
    const page = await client.request<{ items: DerogationView[]; nextCursor: string | null }>('GET', `${path}?${query}`);
    if (options.json) io.out(`${JSON.stringify(page)}\n`);
    else if (page.items.length === 0) io.out(options.lang === 'fr' ? 'Aucune dérogation.\n' : 'No derogation.\n');
    else {
      const headers = options.lang === 'fr' ? ['ID', 'EXIGENCE', 'PÉRIMÈTRE', 'STATUT', 'FIN'] : ['ID', 'REQUIREMENT', 'SCOPE', 'STATUS', 'ENDS'];
      io.out(
        table(
          headers,
          page.items.map((d) => [
            d.id,
            d.requirement,
            scopeText(d.scope),
            statusLabels[d.effectiveStatus]?.[options.lang] ?? d.effectiveStatus,
            d.expiresAt,
          ]),
        ),
      );
    }
    return 0;
  }
  if (sub === 'approve' || sub === 'reject') {
    if (positionals.length !== 1) throw new UsageError(usage);
    const decided = await client.request<DerogationView>('POST', `/derogations/${encodeURIComponent(positionals[0]!)}/decision`, {
      decision: sub,
      ...(values.comment !== undefined ? { comment: values.comment } : {}),
      ...(sub === 'approve' && values['expires-at'] !== undefined ? { expiresAt: values['expires-at'] } : {}),
    });
    show(decided, io, options, sub === 'approve' ? { fr: 'Dérogation accordée :', en: 'Derogation approved:' } : { fr: 'Dérogation refusée :', en: 'Derogation rejected:' });
    return 0;
  }
  if (sub === 'revoke') {
    if (positionals.length !== 1) throw new UsageError(usage);
    const revoked = await client.request<DerogationView>('POST', `/derogations/${encodeURIComponent(positionals[0]!)}/revoke`, values.comment !== undefined ? { comment: values.comment } : {});
    show(revoked, io, options, { fr: 'Dérogation révoquée :', en: 'Derogation revoked:' });
    return 0;
  }
  throw new UsageError(usage);
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const offline = args[0] === 'validate' || args.some((a) => a === '--facts' || a.startsWith('--facts=')) || args.includes('--help') || args.includes('-h');
  if (offline) return runOffline(args, io);
  return runApiCommand(args, io, (client, options, rest) => remote(client, options, rest, io));
}

async function runOffline(args: string[], io: Io): Promise<number> {
  const lang = languageFromEnvironment(io.env);
  const parsed = parseCommandLine('dso derogations', args, {
    facts: { type: 'string' },
    at: { type: 'string' },
    ...requestOptions,
    'max-days': { type: 'string', default: '365' },
    ...helpOption,
  }, usage, lang, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const now = requireInstantOption(values.at, lang, io);
  if (!now) return 2;
  if (positionals[0] === 'list' && values.facts) {
    const facts = requireFactsFile(values.facts, lang, io);
    if (!facts) return 2;
    const rows = [...facts.derogations].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const d of rows) {
      const state = derogationInForce(d, now) ? (lang === 'fr' ? 'en vigueur' : 'in force') : d.status === 'approved' ? (lang === 'fr' ? 'échue' : 'expired') : d.status;
      const scope = Object.entries(d.scope ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '*';
      io.out(`${d.id}\t${d.requirement}\t${scope}\t${state}\t${d.expiresAt}\n`);
    }
    if (rows.length === 0) io.out(`${lang === 'fr' ? 'Aucune dérogation.' : 'No derogation.'}\n`);
    return 0;
  }
  if (positionals[0] === 'validate') {
    const maxDays = Number(values['max-days']);
    if (!Number.isInteger(maxDays) || maxDays <= 0) {
      io.err(`--max-days: ${lang === 'fr' ? 'entier positif attendu' : 'positive integer expected'}\n`);
      return 2;
    }
    const scope: DerogationScope = {
      ...(values.rule ? { ruleId: values.rule } : {}),
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values.repository ? { repositoryId: values.repository } : {}),
      ...(values.environment ? { environmentId: values.environment } : {}),
    };
    const errors = validateDerogationRequest(
      { requirement: values.requirement, justification: values.justification, compensatingMeasures: values['compensating-measures'], expiresAt: values['expires-at'], scope },
      { now, maxDurationDays: maxDays, knownRequirements: requirementIds() },
      lang,
    );
    if (errors.length === 0) {
      io.out(`${lang === 'fr' ? 'Demande valide.' : 'Valid request.'}\n`);
      return 0;
    }
    for (const e of errors) io.err(`${e.field}: ${e.message}\n`);
    return 1;
  }
  io.err(usage[lang]);
  return 2;
}
