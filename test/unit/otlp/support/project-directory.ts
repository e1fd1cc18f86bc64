/** An in-memory ProjectDirectory: projects by id and key, one per OTLP service, created on first use. */
import type { ProjectDirectory, ProjectKey } from '../../../../src/main/ingest/ingest-sink';

export class MemoryProjects implements ProjectDirectory {
  readonly projects: (ProjectKey & { name: string })[] = [{ id: 1, publicKey: 'key-1', keyEnabled: true, name: 'default' }];

  byId(id: number): ProjectKey | undefined {
    return this.projects.find((project) => project.id === id);
  }

  byKey(publicKey: string): ProjectKey | undefined {
    return this.projects.find((project) => project.publicKey === publicKey);
  }

  defaultProjectId(): number {
    return 1;
  }

  forService(serviceName: string): ProjectKey {
    const known = this.projects.find((project) => project.name === serviceName);
    if (known) return known;
    const id = this.projects.length + 1;
    const project = { id, publicKey: `key-${id}`, keyEnabled: true, name: serviceName };
    this.projects.push(project);
    return project;
  }

  nameOf(id: number): string | undefined {
    return this.projects.find((project) => project.id === id)?.name;
  }
}
