/**
 * The MCP server's tools, under sentry-mcp's names and arguments so prompts and habits carry over
 * (`organizationSlug` and `regionUrl` are accepted and ignored: there is one local organization).
 * The same tools serve stdio (`stacktray mcp`, through the HTTP API) and `/mcp` on the core
 * (through the core's services): both hand in an `McpSource`.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { ApiRequestError, type ApiClient } from '../../shared/api-client';
import type { IssueSort } from '../../shared/api';
import {
  breadcrumbsMarkdown,
  bounded,
  eventListMarkdown,
  issueListMarkdown,
  issueMarkdown,
  projectListMarkdown,
  stacktraceMarkdown,
  tagValuesMarkdown,
} from '../../shared/event-text';
import { APP_VERSION } from '../core/version';

/** What the tools read and change: the API client's calls (the core implements the same over its services). */
export type McpSource = Pick<
  ApiClient,
  'projects' | 'issues' | 'issue' | 'issueEvents' | 'searchEvents' | 'latestEvent' | 'event' | 'updateIssue'
>;

const MAX_LIMIT = 100;

/** sentry-mcp takes an issue by id or by URL: here the id, or a link to it in Stacktray's UI (`…/#/issues/12`). */
const issueRef = {
  issueId: z
    .union([z.string().regex(/^\s*\d{1,15}\s*$/, 'an issue id is a number, e.g. "12"'), z.number().int().positive()])
    .optional()
    .describe('The issue id (a number, or the number as a string), as search_issues lists it.'),
  issueUrl: z.string().max(2000).optional().describe("Instead of issueId: the issue's link in Stacktray, e.g. http://127.0.0.1:8969/#/issues/12."),
};

function issueNumber(args: { issueId?: string | number | undefined; issueUrl?: string | undefined }): number {
  if (args.issueId !== undefined) return Number(args.issueId);
  const fromUrl = args.issueUrl === undefined ? undefined : /\/issues\/(\d{1,15})(?:[/?#]|$)/.exec(args.issueUrl)?.[1];
  if (fromUrl !== undefined) return Number(fromUrl);
  throw new Error(args.issueUrl === undefined ? 'give issueId (or issueUrl)' : `no issue id in issueUrl ${args.issueUrl}`);
}
const eventId = z
  .string()
  .regex(/^[0-9a-fA-F-]{32,36}$/, 'an event id is 32 hex digits')
  .optional()
  .describe('An event of the issue (32 hex digits); its latest event when left out.');
const limit = (fallback: number) =>
  z.number().int().min(1).max(MAX_LIMIT).default(fallback).describe(`How many to return (1–${MAX_LIMIT}).`);
const ignored = {
  organizationSlug: z.string().max(200).optional().describe('Accepted for compatibility with Sentry; Stacktray has one organization.'),
  regionUrl: z.string().max(500).optional().describe('Accepted for compatibility with Sentry; ignored.'),
};
const projectSlugOrId = z
  .union([z.string().max(200), z.number().int().positive()])
  .optional()
  .describe('A project id or name, as find_projects lists them; all projects when left out.');

const SORTS: Record<string, IssueSort> = { date: 'lastSeen', new: 'firstSeen', freq: 'count', user: 'users' };

type ToolAnswer = { content: { type: 'text'; text: string }[] };
const answer = (text: string): ToolAnswer => ({ content: [{ type: 'text', text: bounded(text) }] });

/** Says what went wrong in one line; the SDK turns a thrown error into a tool error (`isError`). */
function toolFailure(error: unknown, unreachableHint: string): Error {
  if (error instanceof ApiRequestError) {
    if (error.status === 0) return new Error(unreachableHint);
    return new Error(error.detail);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export interface McpToolOptions {
  source: McpSource;
  /** The tool error when Stacktray does not answer (stdio only: the core always answers itself). */
  unreachableHint: string;
}

export function createMcpServer(options: McpToolOptions): McpServer {
  const { source } = options;
  const server = new McpServer(
    { name: 'stacktray', version: APP_VERSION },
    {
      instructions:
        'Stacktray is a local error tracker: it keeps every error the apps on this machine sent to its DSN. ' +
        'Start with search_issues, then get_issue_details with an issueId.',
    },
  );
  const tool = <Shape extends z.ZodRawShape>(
    name: string,
    description: string,
    shape: Shape,
    run: (args: z.output<z.ZodObject<Shape>>) => Promise<string>,
    readOnly = true,
  ) =>
    server.registerTool(
      name,
      { description, inputSchema: z.object(shape).strict(), annotations: { readOnlyHint: readOnly, openWorldHint: false } },
      async (args: z.output<z.ZodObject<Shape>>) => {
        try {
          return answer(await run(args));
        } catch (error) {
          throw toolFailure(error, options.unreachableHint);
        }
      },
    );

  async function projectId(value: string | number | undefined): Promise<number | undefined> {
    if (value === undefined || value === '') return undefined;
    const { projects } = await source.projects();
    const found = projects.find((project) => String(project.id) === String(value) || project.name === String(value));
    if (!found) throw new Error(`no project "${value}"; find_projects lists them`);
    return found.id;
  }
  const latestOrNamed = async (id: number, event: string | undefined) => {
    if (event === undefined) return source.latestEvent(id);
    const detail = await source.event(event);
    if (detail.issueId !== id) throw new Error(`event ${event} belongs to issue ${detail.issueId}, not ${id}`);
    return detail;
  };

  tool('find_projects', 'List the projects (each has its own DSN). Use a project id as projectSlugOrId in search_issues.', { ...ignored }, async () =>
    projectListMarkdown((await source.projects()).projects),
  );

  tool(
    'search_issues',
    'Search issues (grouped errors) of every status unless the query has is:…, most recent first. query: free text over title and culprit, plus filters ' +
      '`is:unresolved|resolved|ignored|new|regression`, `level:error`, `release:x`, `environment:y`, `tag:value`, ' +
      'negated with `!` (`!level:info`), `has:tag` (`!has:release`), `*` wildcards in values (`release:app@2.*`).',
    {
      ...ignored,
      query: z.string().max(1000).default('').describe('Search text and filters, e.g. "is:unresolved TypeError".'),
      sort: z.enum(['date', 'freq', 'new', 'user']).default('date').describe('date: last seen; freq: events; new: first seen; user: users affected.'),
      projectSlugOrId,
      limit: limit(10),
    },
    async (args) => {
      const list = await source.issues({ query: args.query, sort: SORTS[args.sort], project: await projectId(args.projectSlugOrId), limit: args.limit, status: 'all' });
      return issueListMarkdown(list.issues, args.query);
    },
  );

  tool(
    'get_issue_details',
    'An issue with one event in full (its latest unless eventId is given): exception chain, in-app frames with source lines, breadcrumbs, tags, request, user.',
    { ...ignored, ...issueRef, eventId },
    async (args) => {
      const id = issueNumber(args);
      const issue = await source.issue(id);
      const event = await latestOrNamed(id, args.eventId).catch((error: unknown) => {
        if (error instanceof ApiRequestError && error.status === 404 && args.eventId === undefined) return null;
        throw error;
      });
      return issueMarkdown(issue, event);
    },
  );

  tool(
    'search_issue_events',
    "An issue's events, newest first. query: free text over the title, `release:`, `environment:`, `level:`.",
    { ...ignored, ...issueRef, query: z.string().max(1000).default(''), limit: limit(10) },
    async (args) => {
      const id = issueNumber(args);
      const list = await source.issueEvents(id, { query: args.query, limit: args.limit });
      return eventListMarkdown(`Events of issue ${id}`, list.events);
    },
  );

  tool(
    'get_event_stacktrace',
    'The full stack trace of an event (its issue\'s latest unless eventId is given): every exception of the chain, in-app frames first with source lines.',
    { ...ignored, ...issueRef, eventId },
    async (args) => {
      const detail = await latestOrNamed(issueNumber(args), args.eventId);
      return `# Stack trace of event \`${detail.eventId}\` (issue ${detail.issueId})\n\n${stacktraceMarkdown(detail.event, true)}`;
    },
  );

  tool(
    'get_issue_breadcrumbs',
    'The breadcrumbs (what happened before the error) of an event, oldest first; the issue\'s latest event unless eventId is given.',
    { ...ignored, ...issueRef, eventId },
    async (args) => {
      const detail = await latestOrNamed(issueNumber(args), args.eventId);
      return `# Breadcrumbs of event \`${detail.eventId}\` (issue ${detail.issueId})\n\n${breadcrumbsMarkdown(detail.event, 100)}`;
    },
  );

  tool(
    'get_issue_tag_values',
    'How often each value of a tag (browser, os, release, environment, url, user…) occurs across an issue\'s events.',
    { ...ignored, ...issueRef, tagKey: z.string().min(1).max(200).describe('The tag, e.g. "release" or "browser.name".') },
    async (args) => tagValuesMarkdown(await source.issue(issueNumber(args)), args.tagKey),
  );

  tool(
    'update_issue',
    'Change an issue\'s status: resolved, resolvedInNextRelease, unresolved or ignored.',
    { ...ignored, ...issueRef, status: z.enum(['resolved', 'resolvedInNextRelease', 'unresolved', 'ignored']) },
    async (args) => {
      const id = issueNumber(args);
      const issue = await source.updateIssue(
        id,
        args.status === 'resolvedInNextRelease' ? { status: 'resolved', resolveIn: 'next-release' } : { status: args.status },
      );
      return `Issue ${issue.id} is now ${issue.status}${issue.resolvedInNextRelease ? ' (until a newer release sends it again)' : ''}: ${issue.title}`;
    },
    false,
  );

  tool(
    'search_events',
    'Search single events across all issues, newest first. query: free text over the title, `level:`, `release:`, `environment:`, `issue:<id>`.',
    { ...ignored, query: z.string().max(1000).default(''), projectSlugOrId, limit: limit(10) },
    async (args) => {
      const list = await source.searchEvents({ query: args.query, limit: args.limit, project: await projectId(args.projectSlugOrId) });
      return eventListMarkdown(args.query ? `Events matching \`${args.query}\`` : 'Latest events', list.events);
    },
  );

  return server;
}
