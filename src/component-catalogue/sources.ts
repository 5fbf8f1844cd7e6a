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
  errors: { chart: string; version: string; message: string }[];
}

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
  const response = await fetch(url, { signal: AbortSignal.timeout(sourceLimits.timeoutMs), redirect: 'follow' });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} for ${url}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`);
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
async function helmRepositoryCandidates(db: Db, source: CatalogueSourceRow): Promise<{ candidates: Candidate[]; skipped: number }> {
  const base = source.url.replace(/\/+$/, '');
  const text = (await fetchBounded(`${base}/index.yaml`, sourceLimits.indexBytes)).toString('utf8');
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) throw new Error(`index.yaml is not valid YAML (${document.errors[0]!.message.split('\n')[0]})`);
  const index = document.toJS({ maxAliasCount: 100 }) as { entries?: Record<string, { version?: unknown; urls?: unknown; digest?: unknown }[]> } | null;
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
      candidates.push({ chart: name, version, fetch: () => fetchBounded(absolute, archiveLimits.maxCompressedBytes), ...(typeof entry.digest === 'string' && /^[0-9a-f]{64}$/.test(entry.digest) ? { digest: `sha256:${entry.digest}` } : {}) });
    }
  }
  return { candidates, skipped };
}

/** New versions of an OCI chart repository: its semantic-version tags, pulled with helm. */
async function ociCandidates(db: Db, source: CatalogueSourceRow): Promise<{ candidates: Candidate[]; skipped: number }> {
  const url = new URL(source.url);
  const repository = url.pathname.replace(/^\/+|\/+$/g, '');
  const chart = repository.split('/').at(-1)!;
  const plain = isLoopback(url.hostname);
  const client = new RegistryClient({ baseUrl: `${plain ? 'http' : 'https'}://${url.host}`, timeoutMs: sourceLimits.timeoutMs });
  const tags = (await client.listTags(repository)).filter(isSemver);
  const known = await knownVersions(db, [chart]);
  const fresh = tags.filter((t) => !known.has(`${chart}@${t.replace(/^v/, '')}`));
  return {
    skipped: tags.length - fresh.length,
    candidates: fresh.map((tag) => ({ chart, version: tag, fetch: () => helmPull(source.url, tag, plain) })),
  };
}

async function helmPull(reference: string, version: string, plainHttp: boolean): Promise<Buffer> {
  const helm = await locateRenderer('helm');
  if ('missing' in helm) throw new Error(helm.missing);
  const work = await mkdtemp(path.join(tmpdir(), 'dso-helm-pull-'));
  try {
    const args = ['pull', reference, '--version', version, '--destination', work, ...(plainHttp ? ['--plain-http'] : [])];
    const run = await runRenderer(helm.path, args, { cwd: work, timeoutMs: sourceLimits.timeoutMs, maxOutputBytes: 1024 * 1024, network: true, writable: [work] });
    if (!run.ok) throw new Error(`helm pull failed: ${(run.startError ?? run.stderr).trim().split('\n').at(-1)?.slice(0, 300) ?? ''}`);
    const file = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!file) throw new Error('helm pull gave no archive');
    const bytes = await readFile(path.join(work, file));
    if (bytes.length > archiveLimits.maxCompressedBytes) throw new Error(`the archive is larger than ${archiveLimits.maxCompressedBytes / 1024 / 1024} MiB`);
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
        if (candidate.digest && digestOf(bytes) !== candidate.digest) throw new Error('the archive does not match the digest of index.yaml');
        const imported = await importChartArchive(db, bytes, { sourceId: source.id, now: now() });
        if (imported.created) result.imported.push({ slug: imported.item.slug, version: imported.version.version, verdict: imported.version.verdict });
        else result.skipped++;
      } catch (error) {
        result.errors.push({ chart: candidate.chart, version: candidate.version, message: error instanceof CatalogueProblem ? error.text.en : (error as Error).message.slice(0, 300) });
      }
    }
    await db.update(catalogueSources).set({ lastSyncAt: now(), lastError: result.errors.length > 0 ? `${result.errors.length} version(s) failed: ${result.errors[0]!.message}`.slice(0, 500) : null }).where(eq(catalogueSources.id, source.id));
  } catch (error) {
    const message = (error as Error).message.slice(0, 500);
    await db.update(catalogueSources).set({ lastSyncAt: now(), lastError: message }).where(eq(catalogueSources.id, source.id));
    throw catalogueProblem.sourceFailed(source.url, message);
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
    if (source.lastSyncAt !== null && now.getTime() - source.lastSyncAt.getTime() < intervalMs(source.schedule)) continue;
    const [row] = await db
      .update(catalogueSources)
      .set({ lastSyncAt: now })
      .where(and(eq(catalogueSources.id, source.id), source.lastSyncAt === null ? isNull(catalogueSources.lastSyncAt) : eq(catalogueSources.lastSyncAt, source.lastSyncAt)))
      .returning();
    if (row) claimed.push(row);
  }
  return claimed;
}

/** The schedule of source pulls, started by the composition root on worker processes. */
export function startSourceScheduler(options: { db: Db; now: () => Date; intervalMs?: number; onError?: (error: unknown) => void }): PeriodicTask {
  return startPeriodicTask(async (isStopped) => {
    for (const source of await claimDueSources(options.db, options.now())) {
      if (isStopped()) break;
      await syncSource(options.db, source.id, options.now).catch((error) => options.onError?.(error));
    }
  }, options);
}
