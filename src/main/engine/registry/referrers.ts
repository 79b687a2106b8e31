import { digestOf, parseDigest } from '../digest';
import { assertDescriptor, type Descriptor, type Index } from '../descriptor';
import { OrasError, isOrasError } from '../errors';
import { MediaType } from '../media-type';
import { header } from '../transport/http';
import { pullScope, repoUrl, send, type RepoContext } from './context';
import { getManifest, putManifest } from './manifests';
import { MAX_PAGES, nextPage, readJsonPage } from './paging';

/** referrersTag is the tag-schema fallback name for a subject: `sha256-<hex>` (distribution spec). */
export function referrersTag(subject: Descriptor): string {
  const { algorithm, encoded } = parseDigest(subject.digest);
  return `${algorithm}-${encoded}`.slice(0, 128);
}

function indexManifests(value: unknown, where: string): Descriptor[] {
  const manifests = (value as Partial<Index> | null)?.manifests;
  if (!Array.isArray(manifests)) throw new OrasError('INVALID_MANIFEST', `${where} is not an image index`);
  return manifests.map((m, i) => assertDescriptor(m, `${where} manifests[${i}]`));
}

/**
 * listReferrers asks the referrers API (`GET /v2/<name>/referrers/<digest>`) and, when
 * the registry does not have it (404), reads the tag-schema index instead.
 */
export async function listReferrers(ctx: RepoContext, subject: Descriptor, artifactType?: string, signal?: AbortSignal): Promise<Descriptor[]> {
  const what = `referrers of ${ctx.client.registry}/${ctx.repository}@${subject.digest}`;
  let url: URL | undefined = repoUrl(ctx, `referrers/${subject.digest}`);
  if (artifactType) url.searchParams.set('artifactType', artifactType);
  const found: Descriptor[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const request = { method: 'GET' as const, url, headers: { accept: MediaType.ImageIndex }, scopes: [pullScope(ctx.repository)], signal };
    const response = await ctx.client.send(request);
    const type = header(response, 'content-type')?.split(';')[0];
    if (page === 0 && (response.status === 404 || (response.status === 200 && type !== MediaType.ImageIndex))) {
      response.body.resume();
      return (await referrersFromTag(ctx, subject, signal)).filter((d) => !artifactType || d.artifactType === artifactType);
    }
    if (response.status !== 200) {
      await send(ctx, request, [200], what);
    }
    found.push(...indexManifests(await readJsonPage(response, what), what));
    url = nextPage(response, url);
  }
  // A registry may ignore the filter; apply it ourselves (it then sets OCI-Filters-Applied).
  return found.filter((d) => !artifactType || d.artifactType === artifactType);
}

async function referrersFromTag(ctx: RepoContext, subject: Descriptor, signal?: AbortSignal): Promise<Descriptor[]> {
  try {
    const { bytes } = await getManifest(ctx, referrersTag(subject), { signal });
    return indexManifests(JSON.parse(bytes.toString('utf8')), `referrers index ${referrersTag(subject)}`);
  } catch (err) {
    if (isOrasError(err, 'NOT_FOUND')) return [];
    throw err;
  }
}

const locks = new Map<string, Promise<unknown>>();

/**
 * addReferrerToTagIndex keeps the tag-schema index up to date after a manifest with a
 * `subject` was pushed to a registry that has no referrers API (its PUT answer had no
 * `OCI-Subject`). Updates of one subject are serialised within this process.
 */
export async function addReferrerToTagIndex(ctx: RepoContext, subject: Descriptor, referrer: Descriptor, signal?: AbortSignal): Promise<void> {
  const key = `${ctx.client.baseUrl.origin}/${ctx.repository}@${subject.digest}`;
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    const existing = await referrersFromTag(ctx, subject, signal);
    if (existing.some((d) => d.digest === referrer.digest)) return;
    const index: Index = { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [...existing, referrer] };
    const bytes = Buffer.from(JSON.stringify(index));
    const desc = { mediaType: MediaType.ImageIndex, digest: digestOf(bytes), size: bytes.byteLength };
    await putManifest(ctx, desc, bytes, referrersTag(subject), signal);
  });
  locks.set(key, run);
  try {
    await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}
