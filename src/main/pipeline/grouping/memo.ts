/**
 * A bounded cache for pure string normalizations. A crash loop repeats the same frames thousands
 * of times a second; their module, file and function names are normalized once. When full it
 * starts over rather than tracking recency: cheap, and a working set refills it at once.
 */
export class StringMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit = 4096) {}

  get(key: string, compute: () => T): T {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
