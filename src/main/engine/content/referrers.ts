import { assertDescriptor, type Descriptor } from '../descriptor';
import { isManifestMediaType, MediaType } from '../media-type';

/**
 * referrerOf reads a manifest's `subject` and returns the descriptor a referrers
 * list shows for it (distribution-spec "Listing Referrers": media type, digest, size,
 * artifactType and annotations). Content that is not a manifest, is not JSON or has
 * no valid subject gives undefined: a store holds bytes, it does not judge them.
 */
export function referrerOf(desc: Descriptor, bytes: Uint8Array): { subject: string; referrer: Descriptor } | undefined {
  if (!isManifestMediaType(desc.mediaType)) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const m = manifest as Record<string, unknown>;
  if (m.subject === undefined) return undefined;
  let subject: Descriptor;
  try {
    subject = assertDescriptor(m.subject, 'subject');
  } catch {
    return undefined;
  }
  // image-spec "Guidelines for Artifact Usage": an image manifest without artifactType
  // is typed by its config's media type.
  const config = m.config as { mediaType?: unknown } | undefined;
  const artifactType =
    typeof m.artifactType === 'string'
      ? m.artifactType
      : desc.mediaType === MediaType.ImageManifest && typeof config?.mediaType === 'string'
        ? config.mediaType
        : undefined;
  const referrer: Descriptor = { mediaType: desc.mediaType, digest: desc.digest, size: desc.size };
  if (artifactType !== undefined) referrer.artifactType = artifactType;
  if (typeof m.annotations === 'object' && m.annotations !== null && !Array.isArray(m.annotations)) {
    referrer.annotations = { ...(m.annotations as Record<string, string>) };
  }
  return { subject: subject.digest, referrer };
}

/** PredecessorIndex maps a subject digest to the manifests that refer to it. */
export class PredecessorIndex {
  private readonly bySubject = new Map<string, Map<string, Descriptor>>();

  /** add records `referrer` as pointing at `subject`; adding it twice keeps one. */
  add(subject: string, referrer: Descriptor): void {
    let referrers = this.bySubject.get(subject);
    if (referrers === undefined) {
      referrers = new Map();
      this.bySubject.set(subject, referrers);
    }
    referrers.set(referrer.digest, referrer);
  }

  /** index reads `bytes` as a manifest and records its subject, if it has one. */
  index(desc: Descriptor, bytes: Uint8Array): void {
    const found = referrerOf(desc, bytes);
    if (found !== undefined) this.add(found.subject, found.referrer);
  }

  /** remove forgets `digest` as a referrer (after it was deleted). */
  remove(digest: string): void {
    for (const [subject, referrers] of this.bySubject) {
      referrers.delete(digest);
      if (referrers.size === 0) this.bySubject.delete(subject);
    }
  }

  /** list returns the referrers of `subject`, optionally only those of `artifactType`. */
  list(subject: string, artifactType?: string): Descriptor[] {
    const referrers = [...(this.bySubject.get(subject)?.values() ?? [])];
    return artifactType === undefined ? referrers : referrers.filter((r) => r.artifactType === artifactType);
  }
}
