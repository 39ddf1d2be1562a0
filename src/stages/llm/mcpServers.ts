/**
 * MCP servers as a source of tools: each URL is reached with the official MCP TypeScript SDK over
 * Streamable HTTP (initialize, tools/list), and each of its tools runs as tools/call. A server
 * that is down, refuses this page (CORS), asks for a token or answers nonsense is reported in
 * words with what to do, and the others go on. Every step is bounded. The SDK is loaded only when
 * a server is listed.
 */
import type { Tool } from './tools';

/** How long connecting to a server and listing its tools may take. */
export const MCP_CONNECT_TIMEOUT_MS = 10_000;

export interface McpServerProblem {
  readonly url: string;
  readonly host: string;
  readonly message: string;
}

export interface McpTools {
  readonly tools: readonly Tool[];
  readonly problems: readonly McpServerProblem[];
  /** Closes the sessions (a new list or token connects again). */
  close(): Promise<void>;
}

interface Connected {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Connects to each server and lists its tools. `token`, where given, goes to these servers only
 * (the settings bind it to them), as `Authorization: Bearer`.
 */
export async function connectMcpServers(urls: readonly string[], token: string | null, signal: AbortSignal, fetchImpl?: typeof fetch): Promise<McpTools> {
  // The SDK checks messages with zod, whose schemas probe for eval as they are made (this site's
  // policy forbids eval, and reports the probe): told first not to, before the SDK makes them.
  const { config } = await import('zod/v4');
  config({ jitless: true });
  const [{ Client }, { StreamableHTTPClientTransport }] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js'), import('@modelcontextprotocol/sdk/client/streamableHttp.js')]);
  const problems: McpServerProblem[] = [];
  const connected: Connected[] = [];
  const tools: Tool[] = [];
  const results = await Promise.all(
    urls.map(async (url) => {
      const host = hostOf(url);
      // Structured output is not read (the model gets the text), so nothing needs validating; the
      // SDK's default validator compiles schemas with eval, which this site's policy forbids.
      const client = new Client({ name: 'speech-to-speech', version: '1.0.0' }, { jsonSchemaValidator: { getValidator: () => (input: unknown) => ({ valid: true, data: input as never, errorMessage: undefined }) } });
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        ...(token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {}),
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
      try {
        await client.connect(transport, { signal, timeout: MCP_CONNECT_TIMEOUT_MS });
        const listed = await client.listTools(undefined, { signal, timeout: MCP_CONNECT_TIMEOUT_MS });
        return { url, host, client, listed: listed.tools };
      } catch (error) {
        void client.close().catch(() => undefined);
        if (signal.aborted) throw error;
        problems.push({ url, host, message: describeProblem(host, error, token !== null) });
        return null;
      }
    }),
  );
  for (const result of results) {
    if (!result) continue;
    const { url, host, client, listed } = result;
    connected.push({ url, close: () => client.close() });
    for (const tool of listed) {
      if (tools.some((known) => known.spec.name === tool.name)) {
        problems.push({ url, host, message: `${host} has a tool named ${tool.name}, as another server or the page has: only the first is offered.` });
        continue;
      }
      tools.push({
        spec: { name: tool.name, description: tool.description ?? tool.title ?? tool.name, parameters: tool.inputSchema },
        // A server's own "read only" hint is its word, not the user's: every call is asked.
        readOnly: false,
        host,
        run: async (args, runSignal) => {
          const result = await client.callTool({ name: tool.name, arguments: { ...args } }, undefined, { signal: runSignal, timeout: MCP_CONNECT_TIMEOUT_MS * 3 });
          const text = toolText(result.content);
          return result.isError === true ? `Error from ${tool.name} on ${host}: ${text || 'no details'}` : text;
        },
      });
    }
  }
  return {
    tools,
    problems,
    close: async () => {
      await Promise.all(connected.map((server) => server.close().catch(() => undefined)));
    },
  };
}

/** A call's content as text for the model: its text parts, and what else there was, named. */
function toolText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown; resource?: { uri?: unknown; text?: unknown }; uri?: unknown }) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      if (part.type === 'resource' && typeof part.resource?.text === 'string') return part.resource.text;
      if (part.type === 'resource_link' && typeof part.uri === 'string') return `(a link: ${part.uri})`;
      return `(${typeof part.type === 'string' ? part.type : 'some'} content, not shown to the model)`;
    })
    .join('\n');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What went wrong reaching a server, and what to do, in words. */
export function describeProblem(host: string, error: unknown, hadToken: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's HTTP errors carry the status as `code`.
  const code = (error as { code?: unknown } | null)?.code;
  const status = typeof code === 'number' && code >= 400 ? String(code) : /\(HTTP (\d{3})\)/.exec(message)?.[1];
  if (status === '401' || status === '403') {
    return hadToken
      ? `${host} refused the MCP token (HTTP ${status}): check mcp_api_key in the settings.`
      : `${host} asks for a token (HTTP ${status}): put it in mcp_api_key in the settings.`;
  }
  if (status === '404' || status === '405') return `${host} has no MCP endpoint at that address (HTTP ${status}): check the URL in mcp_servers (often it ends in /mcp).`;
  if (status && status >= '500') return `${host} failed (HTTP ${status}): try again later, or remove it from mcp_servers.`;
  if (status) return `${host} refused the connection (HTTP ${status}): check the URL in mcp_servers.`;
  if (/timed out|timeout/i.test(message)) return `${host} did not answer within ${MCP_CONNECT_TIMEOUT_MS / 1000} s: is the server running?`;
  if (error instanceof TypeError || /fetch|network/i.test(message)) {
    return `Could not reach ${host}: the server is down, or it does not allow this page. A server reached from a page must allow this site (CORS: Access-Control-Allow-Origin, and expose the mcp-session-id header).`;
  }
  return `${host} did not answer as an MCP server: ${message}`;
}
