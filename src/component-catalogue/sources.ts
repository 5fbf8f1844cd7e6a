// Pulling chart versions from the sources administrators declared: a Helm repository (its index.yaml, then each
// new version's archive) or an OCI registry path (its tags, then `helm pull` of each new one). Incremental: versions
// already in the catalogue are skipped without being downloaded. Each new version is imported and checked like an
// upload. The operator's configuration is trusted (administrators set it), but what comes back is not: sizes and
// times are bounded, digests from the index are verified, YAML aliases are capped.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { parseDocument } from 'yaml';
import type { Db } from '../db/client.ts';
import { catalogueItems, catalogueSources, catalogueVersions } from '../db/schema.ts';
import { locateRenderer } from '../integrations/renderers/binaries.ts';
import { runRenderer } from '../integrations/renderers/run-renderer.ts';
import { RegistryClient } from '../integrations/registry/distribution-client.ts';
import { RegistryError } from '../integrations/registry/image.ts';
import type { LocalisedText } from '../errors.ts';
import { archiveLimits, digestOf } from './chart-archive.ts';
import { isSemver } from './chart-metadata.ts';
import { CatalogueProblem, catalogueProblem } from './problems.ts';
import { importChartArchive } from './store.ts';
import type { CatalogueVerdict } from './check.ts';
import { startPeriodicTask, type PeriodicTask } from '../system/periodic-task.ts';

export type CatalogueSourceRow = typeof catalogueSources.$inferSelect;

export const sourceLimits = { indexBytes: 20 * 1024 * 1024, timeoutMs: 60_000, versionsPerSync: 200 } as const;
/** Interval between pulls when a source does not set one. */
export const defaultSourceInterval = '6h';

export interface SyncResult {
  imported: { slug: string; version: string; verdict: CatalogueVerdict }[];
  skipped: number;
  errors: { chart: string; version: string; message: LocalisedText }[];
}

/**
 * Why a source could not be read, in the administrator's words (French and English): kept on the source as its
 * status, so the console says what to fix (the address, the registry, the network) rather than a client's error.
 */
export class SourceFailure extends Error {
  constructor(readonly text: LocalisedText) {
    super(text.en);
  }
}

const sourceFailure = {
  unreachable: (host: string, cause: string) =>
    new SourceFailure({ fr: `le serveur ${host} ne répond pas (${cause})`, en: `the server ${host} does not answer (${cause})` }),
  httpStatus: (url: string, status: number) =>
    new SourceFailure({ fr: `${url} a répondu ${status}`, en: `${url} answered ${status}` }),
  tooLarge: (url: string, mib: number) =>
    new SourceFailure({ fr: `${url} dépasse ${mib} Mio`, en: `${url} is larger than ${mib} MiB` }),
  invalidIndex: (detail: string) =>
    new SourceFailure({ fr: `index.yaml n'est pas un YAML valide (${detail})`, en: `index.yaml is not valid YAML (${detail})` }),
  registryUnreachable: (host: string) =>
    new SourceFailure({ fr: `le registre ${host} ne répond pas`, en: `the registry ${host} does not answer` }),
  repositoryUnknown: (host: string, repository: string) =>
    new SourceFailure({ fr: `le dépôt ${repository} n'existe pas dans le registre ${host} (vérifiez le chemin oci://hôte/chemin/chart)`, en: `the repository ${repository} does not exist in the registry ${host} (check the path oci://host/path/chart)` }),
  registryRefused: (host: string) =>
    new SourceFailure({ fr: `le registre ${host} refuse la lecture anonyme du dépôt (les sources sont lues sans identifiants)`, en: `the registry ${host} refuses anonymous reads of the repository (sources are read without credentials)` }),
  registryAnswer: (host: string, detail: string) =>
    new SourceFailure({ fr: `le registre ${host} a répondu de façon inattendue : ${detail}`, en: `the registry ${host} gave an unexpected answer: ${detail}` }),
};

/** Any error of a pull as a sentence in both languages (a tool's own output is quoted as it came). */
function failureText(error: unknown): LocalisedText {
  if (error instanceof SourceFailure || error instanceof CatalogueProblem) return error.text;
  const message = (error as Error).message.slice(0, 300);
  return { fr: message, en: message };
}

const clip = (text: LocalisedText, max: number): LocalisedText => ({
  fr: text.fr.slice(0, max),
  en: text.en.slice(0, max),
});

const isLoopback = (host: string): boolean => host === 'localhost' || host === '[::1]' || /^127\./.test(host);

/** Source URLs: https, or http on loopback (tests, a local mirror); oci:// for registries. */
export function sourceUrlProblem(kind: 'helm-repository' | 'oci', url: string): { fr: string; en: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { fr: "L'adresse de la source n'est pas une URL.", en: 'The source address is not a URL.' };
  }
  if (kind === 'helm-repository' && !(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname)))) {
    return { fr: 'Un dépôt Helm se lit en https:// (http:// seulement sur la boucle locale).', en: 'A Helm repository is read over https:// (http:// only on loopback).' };
  }
  if (kind === 'oci' && (parsed.protocol !== 'oci:' || parsed.pathname.length < 2)) {
    return { fr: 'Un registre OCI se désigne par oci://hôte/chemin/chart.', en: 'An OCI registry path is written oci://host/path/chart.' };
  }
  if (parsed.username || parsed.password) return { fr: "L'adresse ne doit pas contenir d'identifiants.", en: 'The address must not hold credentials.' };
  return undefined;
}

/** Interval of a schedule (`30m`, `6h`, `1d`) in milliseconds. */
export function intervalMs(schedule: string | null): number {
  const match = /^(\d{1,4})(m|h|d)$/.exec(schedule ?? defaultSourceInterval) ?? /^(6)(h)$/.exec('6h')!;
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
}

async function fetchBounded(url: string, maxBytes: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(sourceLimits.timeoutMs), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw sourceFailure.unreachable(new URL(url).host, cause);
  }
  if (!response.ok || !response.body) throw sourceFailure.httpStatus(url, response.status);
  const mib = Math.round(maxBytes / 1024 / 1024);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw sourceFailure.tooLarge(url, mib);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw sourceFailure.tooLarge(url, mib);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Versions of each chart already in the catalogue. */
async function knownVersions(db: Db, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db
    .select({ slug: catalogueItems.slug, version: catalogueVersions.version })
    .from(catalogueVersions)
    .innerJoin(catalogueItems, eq(catalogueItems.id, catalogueVersions.itemId))
    .where(inArray(catalogueItems.slug, names));
  return new Set(rows.map((r) => `${r.slug}@${r.version}`));
}

interface Candidate {
  chart: string;
  version: string;
  fetch(): Promise<Buffer>;
  /** `sha256:…` the index announces, verified before import. */
  digest?: string;
}

/** New versions of a Helm repository, from its index.yaml. */
async function helmRepositoryCandidates(
  db: Db,
  source: CatalogueSourceRow,
): Promise<{ candidates: Candidate[]; skipped: number }> {
  const base = source.url.replace(/\/+$/, '');
  const text = (await fetchBounded(`${base}/index.yaml`, sourceLimits.indexBytes)).toString('utf8');
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) throw sourceFailure.invalidIndex(document.errors[0]!.message.split('\n')[0]!);
  const index = document.toJS({ maxAliasCount: 100 }) as {
    entries?: Record<string, { version?: unknown; urls?: unknown; digest?: unknown }[]>;
  } | null;
  const entries = index?.entries && typeof index.entries === 'object' ? index.entries : {};
  const wanted = Object.keys(entries).filter((name) => source.charts === null || source.charts.includes(name));
  const known = await knownVersions(db, wanted);
  const candidates: Candidate[] = [];
  let skipped = 0;
  for (const name of wanted) {
    const list = Array.isArray(entries[name]) ? entries[name]! : [];
    for (const entry of list) {
      const version = typeof entry.version === 'string' ? entry.version.replace(/^v/, '') : '';
      const url = Array.isArray(entry.urls) && typeof entry.urls[0] === 'string' ? entry.urls[0] : undefined;
      if (!isSemver(version) || url === undefined) continue;
      if (known.has(`${name}@${version}`)) {
        skipped++;
        continue;
      }
      const absolute = new URL(url, `${base}/`).toString();
      candidates.push({
        chart: name,
        version,
        fetch: () => fetchBounded(absolute, archiveLimits.maxCompressedBytes),
        ...(typeof entry.digest === 'string' && /^[0-9a-f]{64}$/.test(entry.digest)
          ? { digest: `sha256:${entry.digest}` }
          : {}),
      });
    }
  }
  return { candidates, skipped };
}

/** New versions of an OCI chart repository: its semantic-version tags, pulled with helm. */
async function ociCandidates(
  db: Db,
  source: CatalogueSourceRow,
): Promise<{ candidates: Candidate[]; skipped: number }> {
  const url = new URL(source.url);
  const repository = url.pathname.replace(/^\/+|\/+$/g, '');
  const chart = repository.split('/').at(-1)!;
  const plain = isLoopback(url.hostname);
  const client = new RegistryClient({
    baseUrl: `${plain ? 'http' : 'https'}://${url.host}`,
    timeoutMs: sourceLimits.timeoutMs,
  });
  // helm pushes a version's `+` (build metadata) as `_`, which tags cannot hold; helm pull takes the version.
  const versions = (await registryTags(client, url.host, repository))
    .map((tag) => tag.replace(/^v/, '').replace('_', '+'))
    .filter(isSemver);
  const known = await knownVersions(db, [chart]);
  const fresh = versions.filter((v) => !known.has(`${chart}@${v}`));
  return {
    skipped: versions.length - fresh.length,
    candidates: fresh.map((version) => ({ chart, version, fetch: () => helmPull(source.url, version, plain) })),
  };
}

/** The repository's tags; a repository the registry does not know is a failure, not an empty source. */
async function registryTags(client: RegistryClient, host: string, repository: string): Promise<string[]> {
  let tags: string[] | undefined;
  try {
    tags = await client.listTags(repository);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    if (error.kind === 'unreachable') throw sourceFailure.registryUnreachable(host);
    if (error.kind === 'unauthorized' || error.kind === 'denied') throw sourceFailure.registryRefused(host);
    throw sourceFailure.registryAnswer(host, error.message.slice(0, 200));
  }
  if (tags === undefined) throw sourceFailure.repositoryUnknown(host, repository);
  return tags;
}

async function helmPull(reference: string, version: string, plainHttp: boolean): Promise<Buffer> {
  const helm = await locateRenderer('helm');
  if ('missing' in helm) throw new SourceFailure({ fr: `helm est introuvable sur la plateforme (${helm.missing})`, en: `helm is missing on the platform (${helm.missing})` });
  const work = await mkdtemp(path.join(tmpdir(), 'dso-helm-pull-'));
  try {
    const args = ['pull', reference, '--version', version, '--destination', work, ...(plainHttp ? ['--plain-http'] : [])];
    const run = await runRenderer(helm.path, args, {
      cwd: work,
      timeoutMs: sourceLimits.timeoutMs,
      maxOutputBytes: 1024 * 1024,
      network: true,
      writable: [work],
    });
    if (!run.ok) {
      const said = run.timedOut ? `timed out after ${sourceLimits.timeoutMs / 1000} s` : ((run.startError ?? run.stderr).trim().split('\n').at(-1)?.slice(0, 300) ?? '');
      throw new SourceFailure({ fr: `helm pull a échoué : ${said}`, en: `helm pull failed: ${said}` });
    }
    const file = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!file) throw new SourceFailure({ fr: "helm pull n'a rendu aucune archive", en: 'helm pull gave no archive' });
    const bytes = await readFile(path.join(work, file));
    const mib = archiveLimits.maxCompressedBytes / 1024 / 1024;
    if (bytes.length > archiveLimits.maxCompressedBytes) throw new SourceFailure({ fr: `l'archive dépasse ${mib} Mio`, en: `the archive is larger than ${mib} MiB` });
    return bytes;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Pulls the new versions of one source, imports and checks each; records when and how it went. */
export async function syncSource(db: Db, sourceId: string, now: () => Date = () => new Date()): Promise<SyncResult> {
  const [source] = await db.select().from(catalogueSources).where(eq(catalogueSources.id, sourceId));
  if (!source) throw catalogueProblem.notFound(sourceId);
  const result: SyncResult = { imported: [], skipped: 0, errors: [] };
  try {
    const { candidates, skipped } = source.kind === 'oci' ? await ociCandidates(db, source) : await helmRepositoryCandidates(db, source);
    result.skipped = skipped;
    for (const candidate of candidates.slice(0, sourceLimits.versionsPerSync)) {
      try {
        const bytes = await candidate.fetch();
        if (candidate.digest && digestOf(bytes) !== candidate.digest) throw new SourceFailure({ fr: "l'archive ne correspond pas à l'empreinte annoncée par index.yaml", en: 'the archive does not match the digest of index.yaml' });
        const imported = await importChartArchive(db, bytes, { sourceId: source.id, now: now() });
        if (imported.created)
          result.imported.push({
            slug: imported.item.slug,
            version: imported.version.version,
            verdict: imported.version.verdict,
          });
        else result.skipped++;
      } catch (error) {
        result.errors.push({
          chart: candidate.chart,
          version: candidate.version,
          message: clip(failureText(error), 300),
        });
      }
    }
    const [first] = result.errors;
    const n = result.errors.length;
    const lastError = first
      ? clip({ fr: `${n} version${n > 1 ? 's' : ''} non importée${n > 1 ? 's' : ''} (${first.chart} ${first.version} : ${first.message.fr})`, en: `${n} version${n > 1 ? 's' : ''} not imported (${first.chart} ${first.version}: ${first.message.en})` }, 500)
      : null;
    await db.update(catalogueSources).set({ lastSyncAt: now(), lastError }).where(eq(catalogueSources.id, source.id));
  } catch (error) {
    const reason = clip(failureText(error), 400);
    const problem = catalogueProblem.sourceFailed(source.url, reason);
    await db
      .update(catalogueSources)
      .set({ lastSyncAt: now(), lastError: problem.text })
      .where(eq(catalogueSources.id, source.id));
    throw problem;
  }
  return result;
}

/**
 * Claims the sources whose interval has elapsed (never pulled: due) by moving their `lastSyncAt` to now in the same
 * statement that reads it: of several replicas, one pulls each source.
 */
export async function claimDueSources(db: Db, now: Date): Promise<CatalogueSourceRow[]> {
  const claimed: CatalogueSourceRow[] = [];
  for (const source of await db.select().from(catalogueSources)) {
    if (source.lastSyncAt !== null && now.getTime() - source.lastSyncAt.getTime() < intervalMs(source.schedule))
      continue;
    const [row] = await db
      .update(catalogueSources)
      .set({ lastSyncAt: now })
      .where(
        and(
          eq(catalogueSources.id, source.id),
          source.lastSyncAt === null
            ? isNull(catalogueSources.lastSyncAt)
            : eq(catalogueSources.lastSyncAt, source.lastSyncAt),
        ),
      )
      .returning();
    if (row) claimed.push(row);
  }
  return claimed;
}

/** The schedule of source pulls, started by the composition root on worker processes. */
export function startSourceScheduler(options: {
  db: Db;
  now: () => Date;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): PeriodicTask {
  return startPeriodicTask(async (isStopped) => {
    for (const source of await claimDueSources(options.db, options.now())) {
      if (isStopped()) break;
      await syncSource(options.db, source.id, options.now).catch((error) => options.onError?.(error));
    }
  }, options);
}
