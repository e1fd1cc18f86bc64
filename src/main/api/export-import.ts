/**
 * Export and import of issues with all their stored events, in one stable JSON document
 * (`ExportDocument`, formatVersion 1; see docs/api.md). Import runs the events through the
 * ingest pipeline again, so they group by this Stacktray's rules and are never stored twice.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EXPORT_FORMAT_VERSION, type ExportDocument, type ExportedIssue, type ImportResult, type IssueStatusFilter } from '../../shared/api';
import type { SentryEvent } from '../../shared/event';
import type { IssueStatus } from '../../shared/issue';
import { applyStatusRequest } from '../pipeline/lifecycle';
import { withinPayloadDepth } from '../pipeline/normalize/payload-depth';
import { contentDisposition } from './download';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const exportQuery = {
  type: 'object',
  properties: {
    project: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['unresolved', 'resolved', 'ignored', 'all'] },
  },
  additionalProperties: false,
} as const;

const importBody = {
  type: 'object',
  properties: {
    formatVersion: { type: 'integer', const: EXPORT_FORMAT_VERSION },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          projectId: { type: 'integer' },
          status: { type: 'string', enum: ['unresolved', 'resolved', 'ignored'] },
          resolvedInNextRelease: { type: 'boolean' },
          events: { type: 'array', items: { type: 'object' } },
        },
        required: ['events'],
      },
    },
  },
  required: ['formatVersion', 'issues'],
} as const;

const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

export const exportImportRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store } = deps;

  function exportIssue(id: number): ExportedIssue | undefined {
    const detail = store.issues.detail(id);
    if (!detail) return undefined;
    const events: SentryEvent[] = [];
    for (const stored of store.events.allOfIssue(id)) {
      events.push(deps.normalizeStored(stored.payloadJson, Date.parse(stored.summary.received) / 1000, stored.summary.eventId));
    }
    return { ...detail, events };
  }

  function document(issues: ExportedIssue[]): ExportDocument {
    return { formatVersion: EXPORT_FORMAT_VERSION, exportedAt: new Date().toISOString(), issues };
  }

  app.get<{ Params: { id: number } }>(
    '/api/issues/:id/export',
    { schema: { params: idParams, response: { 404: errorSchema } } },
    async (request, reply) => {
      const exported = exportIssue(request.params.id);
      if (!exported) return reply.code(404).send({ detail: `issue ${request.params.id} does not exist` });
      return reply
        .header('Content-Disposition', contentDisposition(`stacktray-issue-${request.params.id}.json`))
        .send(document([exported]));
    },
  );

  app.get<{ Querystring: { project?: number; status?: IssueStatusFilter } }>(
    '/api/export',
    { schema: { querystring: exportQuery } },
    async (request, reply) => {
      const issues: ExportedIssue[] = [];
      let cursor: string | undefined;
      do {
        const page = store.issues.list({ project: request.query.project, status: request.query.status ?? 'all', limit: 100, cursor });
        for (const issue of page.issues) {
          const exported = exportIssue(issue.id);
          if (exported) issues.push(exported);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return reply.header('Content-Disposition', contentDisposition('stacktray-export.json')).send(document(issues));
    },
  );

  app.post<{ Body: { issues: { projectId?: number; status?: IssueStatus; resolvedInNextRelease?: boolean; events: unknown[] }[] } }>(
    '/api/import',
    { bodyLimit: MAX_IMPORT_BYTES, schema: { body: importBody, response: { 400: errorSchema } } },
    async (request): Promise<ImportResult> => {
      const fallbackProject = store.projects.list()[0]?.id ?? 1;
      let events = 0;
      let issues = 0;
      for (const exported of request.body.issues) {
        const projectId = exported.projectId !== undefined && store.projects.get(exported.projectId) ? exported.projectId : fallbackProject;
        const incoming = exported.events.flatMap((raw) => {
          // JSON.stringify recurses: an event nested deeper than the payload depth is cut there
          // rather than overflowing the stack.
          const payload = JSON.stringify(withinPayloadDepth(raw));
          const eventId = typeof (raw as { event_id?: unknown }).event_id === 'string' ? String((raw as { event_id: string }).event_id) : '';
          const received = Number((raw as { received?: unknown }).received) || Date.now() / 1000;
          try {
            return [{ event: deps.normalizeStored(payload, received, eventId), payload, attachments: [] }];
          } catch {
            return [];
          }
        });
        if (incoming.length === 0) continue;
        await deps.ingest.accept({ projectId, events: incoming, otherItems: {} });
        events += incoming.length;
        issues++;
        const first = incoming[0];
        const landed = first ? store.events.byEventId(first.event.event_id)?.summary.issueId : undefined;
        if (landed !== undefined && exported.status && exported.status !== 'unresolved') {
          const state = store.issues.lifecycleState(landed);
          if (state) {
            const request = exported.status === 'resolved'
              ? { status: 'resolved' as const, inNextRelease: exported.resolvedInNextRelease === true }
              : { status: exported.status };
            store.issues.saveLifecycleState(landed, applyStatusRequest(state, request, Date.now() / 1000));
          }
        }
      }
      return { issues, events };
    },
  );
};
