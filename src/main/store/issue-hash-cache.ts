/**
 * Remembers which issue owns a (project, hash) so the ingest hot path skips a lookup per event.
 * Bounded: when full it starts over (the database stays the source of truth). Merge, unmerge
 * and deletes clear it.
 */
export class IssueHashCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly capacity = 20_000) {}

  get(projectId: number, hash: string): number | undefined {
    return this.entries.get(`${projectId}:${hash}`);
  }

  set(projectId: number, hash: string, issueId: number): void {
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(`${projectId}:${hash}`, issueId);
  }

  clear(): void {
    this.entries.clear();
  }
}
