/**
 * A real MCP server for tests (the official SDK's server over Streamable HTTP, stateless, with
 * CORS for a page): `get_weather` (a city's weather), `add_note` (keeps a note) and `broken` (a
 * tool error). It records every tool it ran, so a test can see that nothing ran before Allow.
 * With a `token`, requests without `Authorization: Bearer <token>` get 401.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface McpCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly authorization: string | null;
}

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id',
  'access-control-expose-headers': 'mcp-session-id',
};

function toolServer(calls: McpCall[], authorization: string | null): McpServer {
  const server = new McpServer({ name: 'test-tools', version: '1.0.0' });
  const record = (name: string, args: Record<string, unknown>) => calls.push({ name, args, authorization });
  server.registerTool('get_weather', { description: 'The weather in a city now.', inputSchema: { city: z.string() } }, ({ city }) => {
    record('get_weather', { city });
    return { content: [{ type: 'text', text: `Sunny and 21 °C in ${city}.` }] };
  });
  server.registerTool('add_note', { description: 'Keeps a note for the user.', inputSchema: { text: z.string() } }, ({ text }) => {
    record('add_note', { text });
    return { content: [{ type: 'text', text: `Noted: ${text}` }] };
  });
  server.registerTool('broken', { description: 'Always fails.' }, () => {
    record('broken', {});
    return { content: [{ type: 'text', text: 'the database is locked' }], isError: true };
  });
  return server;
}

/** The handler; `options.cors` false leaves out the CORS headers (a server a page cannot reach). */
export function mcpServerHandler(calls: McpCall[] = [], options: { readonly token?: string; readonly cors?: boolean } = {}): RequestListener {
  const cors: Record<string, string> = options.cors === false ? {} : CORS;
  return (request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(cors)) response.setHeader(name, value);
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const authorization = request.headers.authorization ?? null;
    if (options.token !== undefined && authorization !== `Bearer ${options.token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized' }, id: null }));
      return;
    }
    if (request.method !== 'POST') {
      // Stateless: no stream to open, no session to end.
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const server = toolServer(calls, authorization);
        const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
        response.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(request, response, JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      })();
    });
  };
}
