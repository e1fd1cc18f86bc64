/** `/api/projects`: list, create, rename, disable or rotate keys, webhook and fingerprint rules, delete. */
import type { FastifyPluginAsync } from 'fastify';
import { parseUpstreamDsn } from '../forwarding/upstream-dsn';
import { selfAddress } from './self-address';
import type { CreateProjectRequest, UpdateProjectRequest } from '../../shared/api';
import { describeRuleErrors, parseFingerprintRules, type RuleParseError } from '../pipeline/grouping';
import { newPublicKey } from '../store/projects-repo';
import { errorSchema, idParams, type ApiDeps } from './api-deps';

const KEY_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

const createBody = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name'],
  additionalProperties: false,
} as const;

const updateBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    keyEnabled: { type: 'boolean' },
    rotateKey: { type: 'boolean' },
    publicKey: { type: 'string', pattern: KEY_PATTERN, description: '1 to 64 letters, digits, "_" or "-"' },
    webhookUrl: { anyOf: [{ type: 'string', pattern: '^https?://', maxLength: 2000, description: 'an http:// or https:// URL' }, { type: 'null' }] },
    fingerprintRules: { type: 'string', maxLength: 100_000 },
    // null first: with type coercion a string branch tried first would turn null into "".
    upstreamDsn: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 2000 }] },
  },
  additionalProperties: false,
} as const;

/** A 400's body: the one-line `detail`, and for bad fingerprint rules each line and its problem. */
const ruleErrorSchema = {
  type: 'object',
  properties: {
    detail: { type: 'string' },
    ruleErrors: {
      type: 'array',
      items: { type: 'object', properties: { line: { type: 'integer' }, message: { type: 'string' } }, required: ['line', 'message'] },
    },
  },
  required: ['detail'],
} as const;

export const projectRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const { store, hub } = deps;

  app.get('/api/projects', async () => ({ projects: store.projects.list() }));

  app.post<{ Body: CreateProjectRequest }>(
    '/api/projects',
    { schema: { body: createBody, response: { 400: errorSchema } } },
    async (request, reply) => {
      const project = store.projects.create(request.body.name.trim());
      deps.projectsChanged();
      hub.publish({ type: 'project.changed', project });
      return reply.code(201).send(project);
    },
  );

  app.patch<{ Params: { id: number }; Body: UpdateProjectRequest }>(
    '/api/projects/:id',
    { schema: { params: idParams, body: updateBody, response: { 400: ruleErrorSchema, 404: errorSchema, 409: errorSchema } } },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const before = store.projects.get(id);
      if (!before) return reply.code(404).send({ detail: `project ${id} does not exist` });
      const refused = projectSettingsRefusal(body);
      if (refused !== null) return reply.code(400).send(refused);
      let upstreamDsn: string | null | undefined;
      if (typeof body.upstreamDsn === 'string') {
        const checked = parseUpstreamDsn(body.upstreamDsn, selfAddress(deps.info()));
        if (!checked.ok) return reply.code(400).send({ detail: `upstreamDsn: ${checked.reason}` });
        upstreamDsn = checked.upstream.dsn;
      } else upstreamDsn = body.upstreamDsn;
      const publicKey = body.rotateKey ? newPublicKey() : body.publicKey;
      if (publicKey !== undefined) {
        const owner = store.projects.byKey(publicKey);
        if (owner && owner.id !== id) return reply.code(409).send({ detail: `that key already belongs to project ${owner.id}` });
      }
      const project = store.projects.update(id, {
        name: body.name?.trim(),
        keyEnabled: body.keyEnabled,
        publicKey,
        webhookUrl: body.webhookUrl,
        fingerprintRules: body.fingerprintRules,
        upstreamDsn,
      });
      if (upstreamDsn === null) store.forwardQueue.clearProject(id);
      else if (upstreamDsn !== undefined && upstreamDsn !== before.upstreamDsn) store.forwardQueue.resetBackoff(id);
      deps.projectsChanged();
      if (project) hub.publish({ type: 'project.changed', project });
      return project;
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/projects/:id',
    { schema: { params: idParams, response: { 404: errorSchema, 409: errorSchema } } },
    async (request, reply) => {
      const { id } = request.params;
      if (!store.projects.get(id)) return reply.code(404).send({ detail: `project ${id} does not exist` });
      if (store.projects.list().length === 1) return reply.code(409).send({ detail: 'the last project cannot be deleted' });
      // The forward queue and its state go with the row (ON DELETE CASCADE); bundles live beside the database.
      store.projects.delete(id);
      deps.bundles.forgetProject(id);
      deps.refusals.forgetProject(id);
      store.issueHashes.clear();
      store.payloadReferences.clear();
      deps.projectsChanged();
      hub.publish({ type: 'project.deleted', projectId: id });
      return reply.code(204).send();
    },
  );
};

/**
 * Why a project's webhook URL or fingerprint rules cannot be saved (null when they can). The PATCH
 * route and import (src/main/api/export-import.ts) both ask, so an export cannot bring in what
 * the settings form refuses.
 */
export function projectSettingsRefusal(settings: { webhookUrl?: string | null; fingerprintRules?: string }): { detail: string; ruleErrors?: RuleParseError[] } | null {
  if (typeof settings.webhookUrl === 'string') {
    const refusal = webhookUrlRefusal(settings.webhookUrl);
    if (refusal !== null) return { detail: refusal };
  }
  if (settings.fingerprintRules !== undefined) {
    // Refused whole, never saved half-working: a bad line would otherwise be silently skipped.
    const { errors } = parseFingerprintRules(settings.fingerprintRules);
    if (errors.length > 0) return { detail: describeRuleErrors(errors), ruleErrors: errors };
  }
  return null;
}

/** Why a webhook URL could never be delivered to (null when it can). */
function webhookUrlRefusal(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `webhookUrl ${JSON.stringify(text)} is not a valid URL`;
  }
  // fetch refuses URLs with credentials, so every delivery would fail.
  if (url.username || url.password) {
    return 'webhookUrl must not contain a user name or password (user:password@): put a secret in the path or query instead';
  }
  return null;
}
