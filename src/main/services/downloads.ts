import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { SavedFile } from '../../shared/contract';

/** DownloadOffer is content main offers the page once, as a browser download. */
export interface DownloadOffer {
  name: string;
  size?: number;
  contentType?: string;
  open(): Promise<Readable>;
}

/**
 * DownloadOffers is how browser mode hands a file to the user: a handler offers the
 * content (a blob, a pulled file) and answers `SavedFile.browserDownload`; the shim
 * then fetches `GET /api/download/<id>` as a download. Each offer works once and
 * expires after `ttlMs` (default 10 minutes); ids are unguessable.
 */
export class DownloadOffers {
  private readonly offers = new Map<string, { offer: DownloadOffer; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  offer(offer: DownloadOffer): NonNullable<SavedFile['browserDownload']> {
    const id = randomBytes(16).toString('base64url');
    const timer = setTimeout(() => this.offers.delete(id), this.ttlMs);
    timer.unref?.();
    this.offers.set(id, { offer, timer });
    return { id, name: offer.name, ...(offer.size === undefined ? {} : { size: offer.size }) };
  }

  /** take returns an offer and forgets it; undefined when unknown, used or expired. */
  take(id: string): DownloadOffer | undefined {
    const entry = this.offers.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.offers.delete(id);
    return entry.offer;
  }

  clear(): void {
    for (const { timer } of this.offers.values()) clearTimeout(timer);
    this.offers.clear();
  }
}
