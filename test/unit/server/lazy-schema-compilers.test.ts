import Fastify from 'fastify';
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import { afterEach, describe, expect, it } from 'vitest';
import { lazySerializers, lazyValidators } from '../../../src/main/server/lazy-schema-compilers';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A server with two schema routes whose compilers count how often each route was compiled. */
async function serverCountingCompiles() {
  const compiled: string[] = [];
  const validators = AjvCompiler();
  const serializers = SerializerSelector();
  const app = Fastify({
    ajv: { customOptions: { coerceTypes: 'array' } },
    schemaController: {
      compilersFactory: {
        buildValidator: lazyValidators(() => (schemas, options) => {
          const compile = validators(schemas, options);
          return (route) => (compiled.push(`validate ${route.url} ${route.httpPart}`), compile(route));
        }),
        buildSerializer: lazySerializers(() => (schemas, options) => {
          const compile = serializers(schemas, options);
          return (route) => (compiled.push(`serialize ${route.url} ${route.httpStatus}`), compile(route));
        }),
      },
    },
  });
  apps.push(app);
  const response = { 200: { type: 'object', properties: { doubled: { type: 'integer' } } } };
  app.post('/double', { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 0 } } }, response } }, async (request) => ({
    doubled: (request.body as { n: number }).n * 2,
    secret: 'dropped by the response schema',
  }));
  app.get('/ids', { schema: { querystring: { type: 'object', properties: { id: { type: 'array', items: { type: 'integer' } } } } } }, async (request) => request.query);
  await app.ready();
  return { app, compiled };
}

describe('lazy schema compilers', () => {
  it('compile no route schema at start-up, and each once by its first request', async () => {
    const { app, compiled } = await serverCountingCompiles();
    expect(compiled).toEqual([]);
    const first = await app.inject({ method: 'POST', url: '/double', payload: { n: '21' } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ doubled: 42 });
    expect(compiled).toEqual(['validate /double body', 'serialize /double 200']);
    await app.inject({ method: 'POST', url: '/double', payload: { n: 2 } });
    expect(compiled).toHaveLength(2);
  });

  it('refuse what the schema refuses with ajv\'s own message, and coerce as Fastify does', async () => {
    const { app } = await serverCountingCompiles();
    const refused = await app.inject({ method: 'POST', url: '/double', payload: { n: -1 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('body/n must be >= 0');
    const missing = await app.inject({ method: 'POST', url: '/double', payload: {} });
    expect(missing.json().message).toBe("body must have required property 'n'");
    const ids = await app.inject({ method: 'GET', url: '/ids?id=7' });
    expect(ids.json()).toEqual({ id: [7] });
  });
});
