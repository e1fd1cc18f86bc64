/** Projects and their DSNs, kept live from the stream. */
import type { StreamMessage, UpdateProjectRequest } from '../../../shared/api';
import type { Project } from '../../../shared/project';
import { api, ApiRequestError } from '../api';
import { dsnForPage } from '../dsn';
import { notices } from './notices.svelte';

/** Projects as this page shows them: DSNs name the address the page was loaded from. */
function asSeenHere(project: Project): Project {
  const dsn = dsnForPage(project.dsn, window.location);
  return dsn === project.dsn ? project : { ...project, dsn };
}

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
      this.projects = projects.map(asSeenHere);
      this.hasEvents = anyIssue.issues.length > 0;
      this.loaded = true;
    } catch (error) {
      notices.error(error);
    }
  }

  /** Projects only (their forwarding state changes without stream messages). */
  async refresh(): Promise<void> {
    try {
      this.projects = (await api.projects()).projects.map(asSeenHere);
    } catch {
      // A missed refresh is retried by the caller's next tick; the stream reports lost connections.
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

  /**
   * Saves a form: null when saved, else the server's refusal (a 400's one-line reason, e.g. a bad
   * fingerprint rule's line and problem) for the form to show next to its fields. Other failures
   * are notices, as for `update`.
   */
  async save(id: number, patch: UpdateProjectRequest): Promise<string | null> {
    try {
      this.#upsert(await api.updateProject(id, patch));
      return null;
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 400) return error.detail;
      notices.error(error);
      return 'Not saved.';
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

  #upsert(received: Project): void {
    const project = asSeenHere(received);
    const index = this.projects.findIndex((p) => p.id === project.id);
    this.projects = index >= 0 ? this.projects.with(index, project) : [...this.projects, project];
  }
}

export const projectsState = new ProjectsState();
