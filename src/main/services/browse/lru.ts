/**
 * LruCache keeps the most recently used entries within `capacity` entries and, when a
 * `weigh` function is given, within `maxWeight` (say, bytes) in all (a Map's insertion
 * order is the recency order). The browse service caches content-addressed facts in
 * it: an entry keyed by digest is never stale, only evicted. An entry heavier than
 * `maxWeight` on its own is not kept.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private weight = 0;

  constructor(
    readonly capacity: number,
    private readonly limits: { maxWeight?: number; weigh?: (value: V) => number } = {},
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.limits.weigh?.(value) ?? 0;
    const max = this.limits.maxWeight ?? Infinity;
    if (weight > max) return;
    this.entries.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.capacity && this.weight <= max) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  get size(): number {
    return this.entries.size;
  }

  /** totalWeight is the sum of the kept entries' weights. */
  get totalWeight(): number {
    return this.weight;
  }
}
