/** Projects and their DSNs, kept live from the stream. */
import type { StreamMessage, UpdateProjectRequest } from '../../../shared/api';
import type { Project } from '../../../shared/project';
import { api } from '../api';
import { notices } from './notices.svelte';

class ProjectsState {
  projects = $state.raw<Project[]>([]);
  loaded = $state(false);
  /** Whether any event ever arrived (drives the first-run "waiting" screen). */
  hasEvents = $state<boolean | null>(null);

  async load(): Promise<void> {
    try {
      const [{ projects }, anyIssue] = await Promise.all([
        api.projects(),
        api.issues({ status: 'all', limit: 1 }),
      ]);
      this.projects = projects;
      this.hasEvents = anyIssue.issues.length > 0;
      this.loaded = true;
    } catch (error) {
      notices.error(error);
    }
  }

  name(id: number): string {
    return this.projects.find((p) => p.id === id)?.name ?? `project ${id}`;
  }

  async create(name: string): Promise<Project | null> {
    try {
      const project = await api.createProject(name);
      this.#upsert(project);
      notices.info(`Project “${project.name}” created.`);
      return project;
    } catch (error) {
      notices.error(error);
      return null;
    }
  }

  async update(id: number, patch: UpdateProjectRequest): Promise<boolean> {
    try {
      this.#upsert(await api.updateProject(id, patch));
      return true;
    } catch (error) {
      notices.error(error);
      return false;
    }
  }

  async remove(id: number): Promise<void> {
    try {
      await api.deleteProject(id);
      this.projects = this.projects.filter((p) => p.id !== id);
    } catch (error) {
      notices.error(error);
    }
  }

  apply(message: StreamMessage): void {
    if (message.type === 'project.changed') {
      const isNew = !this.projects.some((p) => p.id === message.project.id);
      this.#upsert(message.project);
      if (message.createdFor && isNew) {
        notices.info(`New project “${message.project.name}” created for the OpenTelemetry service.name “${message.createdFor.serviceName}”. Its DSN is under Projects.`);
      }
    }
    else if (message.type === 'project.deleted') this.projects = this.projects.filter((p) => p.id !== message.projectId);
    else if (message.type === 'issue.created' || message.type === 'event.created') this.hasEvents = true;
  }

  #upsert(project: Project): void {
    const index = this.projects.findIndex((p) => p.id === project.id);
    this.projects = index >= 0 ? this.projects.with(index, project) : [...this.projects, project];
  }
}

export const projectsState = new ProjectsState();
