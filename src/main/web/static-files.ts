import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf, resolveAssetPath } from '../page/renderer-assets';
import { HttpError, SECURITY_HEADERS } from './http';

/**
 * serveStatic answers `GET`/`HEAD` of a file of the built renderer (`rendererRoot`)
 * under the app's CSP, streamed; a path leaving the folder is not found. HTML is
 * revalidated each time, assets (hashed names) kept an hour. With no renderer built at
 * all it says how to build it.
 */
export async function serveStatic(rendererRoot: string, csp: string, pathname: string, method: string, res: ServerResponse): Promise<void> {
  const file = resolveAssetPath(rendererRoot, pathname);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) {
    const index = await stat(resolveAssetPath(rendererRoot, '/') ?? '').catch(() => undefined);
    if (!index) {
      throw new HttpError(503, { code: 'NOT_FOUND', message: "the app's pages are not built: run npm run build (npm run web does it)" });
    }
    throw new HttpError(404, { code: 'NOT_FOUND', message: 'not found' });
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Security-Policy': csp,
    'Content-Type': contentTypeOf(file),
    'Content-Length': info.size,
    'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'private, max-age=3600',
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res);
}
