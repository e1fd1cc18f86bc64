/** JSON schemas of the Sentry ingest routes: validated params, serialized responses. */

export const projectParamsSchema = {
  type: 'object',
  properties: { projectId: { type: 'integer', minimum: 1 } },
  required: ['projectId'],
} as const;

export const authQuerySchema = {
  type: 'object',
  properties: { sentry_key: { type: 'string' }, sentry_version: { type: 'string' }, sentry_client: { type: 'string' } },
  additionalProperties: true,
} as const;

const detailSchema = {
  type: 'object',
  properties: { detail: { type: 'string' } },
  required: ['detail'],
} as const;

export const ingestResponseSchemas = {
  200: {
    type: 'object',
    properties: { id: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
    additionalProperties: false,
  },
  '4xx': detailSchema,
  '5xx': detailSchema,
} as const;

export interface ProjectParams {
  projectId: number;
}

export interface IngestReply {
  id?: string;
}
