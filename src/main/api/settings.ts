/** `/api/settings` and `/api/info`. */
import { isAbsolute } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { Settings } from '../../shared/settings';
import type { ApiDeps } from './api-deps';

const settingsPatch = {
  type: 'object',
  properties: {
    notifications: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        onNew: { type: 'boolean' },
        onRegression: { type: 'boolean' },
        pausedUntil: { anyOf: [{ type: 'string', maxLength: 40 }, { type: 'null' }] },
      },
      additionalProperties: false,
    },
    retention: {
      type: 'object',
      properties: {
        maxEventsPerIssue: { type: 'integer', minimum: 1 },
        maxEventsTotal: { type: 'integer', minimum: 1 },
        maxAgeDays: { type: 'integer', minimum: 1 },
        maxDatabaseMb: { type: 'integer', minimum: 10 },
      },
      additionalProperties: false,
    },
    rateLimitPerMinute: { type: 'integer', minimum: 0 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    otlpPort: { type: 'integer', minimum: 0, maximum: 65535 },
    theme: { type: 'string', enum: ['system', 'light', 'dark'] },
    sourceFolders: {
      anyOf: [{ type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 4096 } }, { type: 'null' }],
    },
    editor: { type: 'string', maxLength: 1024 },
    forwarding: {
      type: 'object',
      properties: {
        maxQueuedEnvelopes: { type: 'integer', minimum: 1 },
        maxQueuedMb: { type: 'integer', minimum: 1 },
      },
      additionalProperties: false,
    },
    desktop: {
      type: 'object',
      properties: { closeToTray: { type: 'boolean' }, openAtLogin: { type: 'boolean' } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const settingsRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  app.get('/api/info', async () => deps.info());

  app.get('/api/settings', async () => deps.settings.get());

  app.patch<{ Body: Partial<Settings> }>('/api/settings', { schema: { body: settingsPatch } }, async (request, reply) => {
    const relative = request.body.sourceFolders?.find((folder) => !isAbsolute(folder) || folder.includes('\0'));
    if (relative !== undefined) return reply.code(400).send({ detail: `sourceFolders: ${relative} is not an absolute path` });
    const settings = deps.settings.update(request.body);
    deps.hub.publish({ type: 'settings.changed', settings });
    return settings;
  });
};
