/**
 * `/mcp`: the MCP tools over Streamable HTTP (stateless: one server per request), so the desktop
 * app and the headless server serve assistants without a second process. The request guard runs
 * first, as for the API: loopback Host names only, no foreign Origin on POST, the token beyond loopback.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/api-deps';
import { coreMcpSource } from './core-source';

type McpHandler = ReturnType<typeof import('@modelcontextprotocol/server').createMcpHandler>;

function toWebRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const each of value) headers.append(name, each);
  }
  // The body is parsed by Fastify already (and handed over as parsedBody): none is sent twice.
  headers.delete('content-length');
  return new Request(`http://${request.headers.host ?? '127.0.0.1'}${request.url}`, { method: request.method, headers });
}

export const mcpRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  const source = coreMcpSource(deps);
  // The MCP SDK and zod (~15 MB of RSS) load with the first /mcp request, not with the server.
  let handler: Promise<McpHandler> | undefined;
  const mcpHandler = (): Promise<McpHandler> =>
    (handler ??= Promise.all([import('@modelcontextprotocol/server'), import('./tools')]).then(([{ createMcpHandler }, { createMcpServer }]) =>
      createMcpHandler(() => createMcpServer({ source, unreachableHint: 'Stacktray is not running.' }), {
        onerror: (error) => app.log.warn(`mcp: ${error.message}`),
      }),
    ));
  app.addHook('onClose', async () => {
    if (handler) await (await handler).close();
  });

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    handler: async (request, reply) => {
      const response = await (await mcpHandler()).fetch(toWebRequest(request), request.method === 'POST' ? { parsedBody: request.body } : {});
      void reply.code(response.status);
      response.headers.forEach((value, name) => void reply.header(name, value));
      return reply.send(Buffer.from(await response.arrayBuffer()));
    },
  });
};
