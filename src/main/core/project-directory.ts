/** The ingest side's view of projects, cached because every request looks its key up. */
import type { ProjectDirectory, ProjectKey } from '../ingest/ingest-sink';
import type { Store } from '../store';

export class CachedProjectDirectory implements ProjectDirectory {
  private byIdCache = new Map<number, ProjectKey>();
  private byKeyCache = new Map<string, ProjectKey>();

  /** `onCreated`: a project was made on first use, for keyless Spotlight traffic or for an OTLP service. */
  constructor(
    private readonly store: Store,
    private readonly onCreated: (projectId: number, createdFor: { serviceName: string } | null) => void,
  ) {
    this.reload();
  }

  reload(): void {
    this.byIdCache = new Map();
    this.byKeyCache = new Map();
    for (const project of this.store.projects.list()) {
      const key: ProjectKey = { id: project.id, publicKey: project.publicKey, keyEnabled: project.keyEnabled };
      this.byIdCache.set(project.id, key);
      this.byKeyCache.set(project.publicKey, key);
    }
  }

  byId(id: number): ProjectKey | undefined {
    return this.byIdCache.get(id);
  }

  byKey(publicKey: string): ProjectKey | undefined {
    return this.byKeyCache.get(publicKey);
  }

  defaultProjectId(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const id of this.byIdCache.keys()) lowest = Math.min(lowest, id);
    if (Number.isFinite(lowest)) return lowest;
    const created = this.store.projects.create('default');
    this.reload();
    this.onCreated(created.id, null);
    return created.id;
  }

  forService(serviceName: string): ProjectKey {
    const name = serviceName.trim().slice(0, 100) || 'unknown_service';
    let project = this.store.projects.byName(name);
    if (!project) {
      project = this.store.projects.create(name);
      this.reload();
      this.onCreated(project.id, { serviceName: name });
    }
    return { id: project.id, publicKey: project.publicKey, keyEnabled: project.keyEnabled };
  }
}
