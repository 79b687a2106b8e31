import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Descriptor } from '../main/engine/descriptor';
import { parseDigest } from '../main/engine/digest';
import { OrasError } from '../main/engine/errors';
import { pullScope, repoUrl, send } from '../main/engine/registry/context';
import { discard, header } from '../main/engine/transport/http';
import type { CliTarget } from './target';

/** The media type a blob is described with when nothing says otherwise. */
export const OCTET_STREAM = 'application/octet-stream';

/**
 * resolveBlob finds a blob's size by digest: `HEAD /v2/<name>/blobs/<digest>` on a
 * registry, the file size in an OCI layout. The engine's Repository answers only
 * exists/not (see the CLI's report: it wants a `resolveBlob`); this adapter asks the
 * registry through the repository's own client, so auth and TLS are the engine's.
 */
export async function resolveBlob(target: CliTarget, digest: string, signal?: AbortSignal): Promise<Descriptor> {
  if (target.repository) {
    const ctx = target.repository.ctx;
    const label = `blob ${target.name}@${digest}`;
    const response = await send(ctx, { method: 'HEAD', url: repoUrl(ctx, `blobs/${digest}`), scopes: [pullScope(ctx.repository)], signal }, [200], label);
    await discard(response);
    const size = Number(header(response, 'content-length'));
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new OrasError('REGISTRY_ERROR', `${label}: the registry did not say how large the blob is (no Content-Length)`);
    }
    return { mediaType: OCTET_STREAM, digest, size };
  }
  const { algorithm, encoded } = parseDigest(digest);
  const file = path.join(target.layoutPath ?? target.name, 'blobs', algorithm, encoded);
  try {
    const info = await stat(file);
    return { mediaType: OCTET_STREAM, digest, size: info.size };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new OrasError('NOT_FOUND', `blob ${target.name}@${digest} not found`);
    throw new OrasError('INTERNAL', `cannot read blob ${digest} in ${target.name}: ${(err as Error).message}`, { cause: err });
  }
}
