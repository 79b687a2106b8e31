import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { DownloadOffers } from '../services/downloads';
import { HttpError, SECURITY_HEADERS } from './http';

/**
 * serveDownload answers `GET /api/download/<id>`: a one-time offer (taken, so a second
 * fetch is not found) streamed as an attachment. The file name goes both as ASCII
 * (anything else, quotes and backslashes as `_`) and as RFC 5987 UTF-8.
 */
export async function serveDownload(downloads: DownloadOffers, id: string, res: ServerResponse): Promise<void> {
  const offer = downloads.take(id);
  if (!offer) throw new HttpError(404, { code: 'NOT_FOUND', message: 'this download is gone: start it again' });
  const content = await offer.open();
  const ascii = offer.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': offer.contentType ?? 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(offer.name)}`,
    'Cache-Control': 'no-store',
    ...(offer.size === undefined ? {} : { 'Content-Length': offer.size }),
  });
  await pipeline(content, res);
}
