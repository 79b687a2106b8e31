import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { SavedFile } from '../../shared/contract';

/** DownloadOffer is content main offers the page once, as a browser download. */
export interface DownloadOffer {
  name: string;
  size?: number;
  contentType?: string;
  open(): Promise<Readable>;
  /** onExpire is called when the offer's time ran out unfetched (not when taken, withdrawn or cleared). */
  onExpire?(): void;
}

/** DOWNLOAD_OFFER_TTL_MS is how long an offer waits for the browser to fetch it: 10 minutes. */
export const DOWNLOAD_OFFER_TTL_MS = 10 * 60_000;

/**
 * DownloadOffers is how browser mode hands a file to the user: a handler offers the
 * content (a blob, a pulled file) and answers `SavedFile.browserDownload`; the shim
 * then fetches `GET /api/download/<id>` as a download. Each offer works once and
 * expires after `ttlMs` (default DOWNLOAD_OFFER_TTL_MS); ids are unguessable.
 */
export class DownloadOffers {
  private readonly offers = new Map<string, { offer: DownloadOffer; timer: ReturnType<typeof setTimeout> }>();

  constructor(readonly ttlMs = DOWNLOAD_OFFER_TTL_MS) {}

  offer(offer: DownloadOffer): NonNullable<SavedFile['browserDownload']> {
    const id = randomBytes(16).toString('base64url');
    const timer = setTimeout(() => {
      this.offers.delete(id);
      offer.onExpire?.();
    }, this.ttlMs);
    timer.unref?.();
    this.offers.set(id, { offer, timer });
    return { id, name: offer.name, ...(offer.size === undefined ? {} : { size: offer.size }) };
  }

  /** take returns an offer and forgets it; undefined when unknown, used, withdrawn or expired. */
  take(id: string): DownloadOffer | undefined {
    const entry = this.offers.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.offers.delete(id);
    return entry.offer;
  }

  /** withdraw forgets an offer not fetched yet (its job was cancelled); false when there was none. */
  withdraw(id: string): boolean {
    return this.take(id) !== undefined;
  }

  clear(): void {
    for (const { timer } of this.offers.values()) clearTimeout(timer);
    this.offers.clear();
  }
}
