/** Naming a project on the command line (`--project 2` or `--project shop`). */
import type { ApiClient } from '../../shared/api-client';
import type { Project } from '../../shared/project';
import { CommandError } from './command';

export async function findProject(api: ApiClient, nameOrId: string | undefined): Promise<Project> {
  const { projects } = await api.projects();
  const project = nameOrId === undefined ? projects[0] : projects.find((each) => String(each.id) === nameOrId || each.name === nameOrId);
  if (!project) throw new CommandError(`no project "${nameOrId}" (projects: ${projects.map((each) => `${each.id} ${each.name}`).join(', ')})`);
  return project;
}
