import type { Digest } from '../digest';

/** FileIdentity is what says a file has not changed since it was hashed. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  /** inode number where the platform has one: a file replaced by a rename gets a new one */
  ino?: number;
}

interface Entry extends FileIdentity {
  digest: Digest;
}

/**
 * DigestCache remembers files' sha256 by path, size, modification time and inode, so
 * a preview asked again after a title or annotation edit does not read a large file
 * a second time. It is a hint, not a proof: whatever is read later (the push itself)
 * is verified against the digest as it streams, or, on its way to a registry, by the
 * registry closing the upload with that digest, so a file changed within the mtime's
 * resolution fails with DIGEST_MISMATCH instead of pushing wrong content. Holds at
 * most `maxEntries` (default 1000), dropping the oldest.
 */
export class DigestCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 1000) {}

  /** get answers the digest of `file` when it was hashed with this very identity. */
  get(file: string, identity: FileIdentity): { digest: Digest; size: number } | undefined {
    const entry = this.entries.get(file);
    if (entry === undefined) return undefined;
    if (entry.size !== identity.size || entry.mtimeMs !== identity.mtimeMs || (entry.ino ?? 0) !== (identity.ino ?? 0)) {
      this.entries.delete(file);
      return undefined;
    }
    return { digest: entry.digest, size: entry.size };
  }

  /** set records the digest of `file` as it was when `identity` was read (before hashing). */
  set(file: string, identity: FileIdentity, digest: Digest): void {
    this.entries.delete(file);
    this.entries.set(file, { size: identity.size, mtimeMs: identity.mtimeMs, ino: identity.ino, digest });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** size says how many files are remembered. */
  get size(): number {
    return this.entries.size;
  }
}
