/**
 * The MCP tools' source inside the core: the same store queries and services the API routes call,
 * answering with the API's shapes (and its 404 details as `ApiRequestError`s).
 */
import { ApiRequestError } from '../../shared/api-client';
import type { ApiDeps } from '../api/api-deps';
import { eventDetail, storedEventId } from '../api/event-detail';
import { changeIssueStatus } from '../api/issue-status';
import { issueListRefusal } from '../api/issues';
import type { McpSource } from './tools';

const notFound = (what: string) => new ApiRequestError(404, `${what} does not exist`);

export function coreMcpSource(deps: ApiDeps): McpSource {
  const { store } = deps;
  const existingIssue = (id: number) => {
    if (!store.issues.row(id)) throw notFound(`issue ${id}`);
  };
  return {
    projects: async () => ({ projects: store.projects.list() }),
    issues: async (query) => {
      const refusal = issueListRefusal(query);
      if (refusal !== null) throw new ApiRequestError(400, refusal);
      return store.issues.list(query);
    },
    issue: async (id) => store.issues.detail(id) ?? Promise.reject(notFound(`issue ${id}`)),
    issueEvents: async (id, page = {}) => {
      existingIssue(id);
      return store.events.search({ ...page, limit: page.limit ?? 50, issueId: id });
    },
    searchEvents: async (page = {}) => store.events.search({ ...page, limit: page.limit ?? 50 }),
    latestEvent: async (id) => {
      const stored = store.events.latest(id);
      if (!stored) throw notFound(`an event of issue ${id}`);
      return eventDetail(deps, stored);
    },
    event: async (eventId) => {
      const stored = store.events.byEventId(storedEventId(eventId));
      if (!stored) throw notFound(`event ${eventId}`);
      return eventDetail(deps, stored);
    },
    updateIssue: async (id, update) => {
      const issue = store.db.transaction(() => changeIssueStatus(deps, id, update))();
      if (!issue) throw notFound(`issue ${id}`);
      return issue;
    },
  };
}
