/**
 * Export and import of projects and issues with all their stored events, in one stable JSON
 * document (`ExportDocument`, formatVersion 2; 1 is still read; see docs/api.md). Import puts
 * issues back into projects of the same name (creating missing ones, with new keys), runs their
 * events through the ingest pipeline again (grouped by this Stacktray's rules, never stored
 * twice) and restores status, the regression flag and resolved-in-next-release.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  EXPORT_FORMAT_VERSION,
  type ExportDocument,
  type ExportedIssue,
  type ExportedProject,
  type ImportResult,
  type IssueStatusFilter,
} from '../../shared/api';
import type { SentryEvent } from '../../shared/event';
import type { Project } from '../../shared/project';
import type { IncomingEvent } from '../ingest/ingest-sink';
import { parseUpstreamDsn } from '../forwarding/upstream-dsn';
import { projectSettingsRefusal } from './projects';
import { withinPayloadDepth } from '../pipeline/normalize/payload-depth';
import { contentDisposition } from './download';
import { errorSchema, idParams, type ApiDeps } from './api-deps';
import { readImportDocument, type ImportDocument, type ImportedIssue, type ImportedProject } from './import-document';
import { selfAddress } from './self-address';

const exportQuery = {
  type: 'object',
  properties: {
    project: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['unresolved', 'resolved', 'ignored', 'all'] },
  },
  additionalProperties: false,
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

  function document(issues: ExportedIssue[], projects: Project[]): ExportDocument {
    return {
      formatVersion: EXPORT_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      projects: projects.map(exportedProject),
      issues,
    };
  }

  app.get<{ Params: { id: number } }>(
    '/api/issues/:id/export',
    { schema: { params: idParams, response: { 404: errorSchema } } },
    async (request, reply) => {
      const exported = exportIssue(request.params.id);
      if (!exported) return reply.code(404).send({ detail: `issue ${request.params.id} does not exist` });
      return reply
        .header('Content-Disposition', contentDisposition(`stacktray-issue-${request.params.id}.json`))
        .send(document([exported], [store.projects.get(exported.projectId)].filter((p): p is Project => p !== undefined)));
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
      const { project } = request.query;
      const projects = project === undefined ? store.projects.list() : [store.projects.get(project)].filter((p): p is Project => p !== undefined);
      return reply.header('Content-Disposition', contentDisposition('stacktray-export.json')).send(document(issues, projects));
    },
  );

  app.post<{ Body: unknown }>(
    '/api/import',
    { bodyLimit: MAX_IMPORT_BYTES, schema: { response: { 400: errorSchema } } },
    async (request, reply) => {
      const read = readImportDocument(request.body);
      if (!read.ok) return reply.code(400).send({ detail: read.reason });
      // Checked before anything is written: an import is taken whole or not at all.
      for (const project of read.document.projects.values()) {
        const refused = projectSettingsRefusal(project);
        if (refused !== null) return reply.code(400).send({ detail: `project ${project.name} of the export: ${refused.detail}` });
      }
      return importDocument(read.document);
    },
  );

  async function importDocument(doc: ImportDocument): Promise<ImportResult> {
    const result: ImportResult = { issues: 0, events: 0, projects: 0, skipped: { issues: 0, events: 0 }, unreadable: 0 };
    const localIds = new Map<number, number>();
    for (const [exportedId, project] of doc.projects) {
      const { id, created } = projectNamed(project);
      localIds.set(exportedId, id);
      if (created) result.projects++;
    }
    if (result.projects > 0) deps.projectsChanged();
    const fallback = store.projects.list()[0]?.id ?? 1;
    for (const issue of doc.issues) {
      // Version 1 named no projects: an issue goes to the project with its id, if there is one.
      const projectId = issue.projectId === null
        ? fallback
        : doc.formatVersion === 2
          ? localIds.get(issue.projectId) ?? fallback
          : store.projects.get(issue.projectId) ? issue.projectId : fallback;
      await importIssue(issue, projectId, result);
    }
    return result;
  }

  function projectNamed(exported: ImportedProject): { id: number; created: boolean } {
    const existing = store.projects.byName(exported.name);
    if (existing) return { id: existing.id, created: false };
    const created = store.projects.create(exported.name);
    // An upstream that is this Stacktray (or no longer a valid DSN) is left out rather than looping.
    const upstream = exported.upstreamDsn === null ? null : parseUpstreamDsn(exported.upstreamDsn, selfAddress(deps.info()));
    const project = store.projects.update(created.id, {
      keyEnabled: exported.keyEnabled,
      webhookUrl: exported.webhookUrl,
      fingerprintRules: exported.fingerprintRules,
      upstreamDsn: upstream?.ok ? upstream.upstream.dsn : null,
    });
    if (project) deps.hub.publish({ type: 'project.changed', project });
    return { id: created.id, created: true };
  }

  async function importIssue(exported: ImportedIssue, projectId: number, result: ImportResult): Promise<void> {
    const fresh: IncomingEvent[] = [];
    let present = 0;
    for (const raw of exported.events) {
      const incoming = readEvent(raw);
      if (!incoming) result.unreadable++;
      else if (store.events.isKnown(projectId, incoming.event.event_id)) present++;
      else fresh.push(incoming);
    }
    result.skipped.events += present;
    if (fresh.length === 0) {
      if (present > 0) result.skipped.issues++;
      return;
    }
    await deps.ingest.accept({ projectId, events: fresh, otherItems: {}, imported: true });
    result.events += fresh.length;
    if (present > 0) {
      // Some of its events were here already: the issue is, too, and keeps its own status.
      result.skipped.issues++;
      return;
    }
    result.issues++;
    const landed = store.events.byEventId(fresh[0]?.event.event_id ?? '')?.summary.issueId;
    if (landed === undefined) return;
    store.issues.raiseCounts(landed, exported.count, exported.userCount);
    const resolved = exported.status === 'resolved';
    store.issues.saveLifecycleState(landed, {
      status: exported.status,
      resolvedAt: resolved ? exported.resolvedAt ?? Date.now() / 1000 : null,
      resolvedInNextRelease: resolved && exported.resolvedInNextRelease,
      resolvedInRelease: resolved && exported.resolvedInNextRelease ? exported.lastRelease : null,
      isRegression: exported.isRegression,
    });
    const issue = store.issues.get(landed);
    if (issue) deps.hub.publish({ type: 'issue.updated', issue });
  }

  function readEvent(raw: unknown): IncomingEvent | null {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
    // JSON.stringify recurses: an event nested deeper than the payload depth is cut there
    // rather than overflowing the stack.
    const payload = JSON.stringify(withinPayloadDepth(raw));
    const fields = raw as { event_id?: unknown; received?: unknown };
    const eventId = typeof fields.event_id === 'string' ? fields.event_id : '';
    const received = Number(fields.received) || Date.now() / 1000;
    try {
      return { event: deps.normalizeStored(payload, received, eventId), payload, attachments: [] };
    } catch {
      return null;
    }
  }
};

function exportedProject(project: Project): ExportedProject {
  return {
    id: project.id,
    name: project.name,
    keyEnabled: project.keyEnabled,
    webhookUrl: project.webhookUrl,
    fingerprintRules: project.fingerprintRules,
    upstreamDsn: project.upstreamDsn,
  };
}
