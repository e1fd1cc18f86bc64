/**
 * Native notifications the shell keeps referenced. A notification object that is garbage-collected
 * loses its click handler, and on Windows `close` fires when the toast times out while it stays in
 * Action Center, clickable: so one is let go only when clicked or when newer ones push it out.
 */
export class RetainedNotifications<T> {
  private readonly kept = new Set<T>();

  constructor(private readonly limit: number) {}

  /** Keeps `notification`; the oldest beyond the limit is let go (its toast is long gone by then). */
  keep(notification: T): void {
    this.kept.add(notification);
    for (const oldest of this.kept) {
      if (this.kept.size <= this.limit) break;
      this.kept.delete(oldest);
    }
  }

  /** Clicked: its work is done. */
  release(notification: T): void {
    this.kept.delete(notification);
  }

  has(notification: T): boolean {
    return this.kept.has(notification);
  }

  get size(): number {
    return this.kept.size;
  }
}
