import { describe, expect, it } from 'vitest';
import { localServer } from '../../localServer.testSupport';
import { mcpServerHandler, type McpCall } from '../../mcpServer.testSupport';
import { connectMcpServers, describeProblem } from './mcpServers';

const calls: McpCall[] = [];
const open = localServer(mcpServerHandler(calls));
const guarded = localServer(mcpServerHandler(calls, { token: 'sk-mcp-secret' }));
const signal = () => new AbortController().signal;

describe('MCP servers as tools (the official SDK, Streamable HTTP, a real server on loopback)', () => {
  it('lists a server’s tools, each asked before it runs, and runs them with tools/call', async () => {
    const mcp = await connectMcpServers([`${open.origin}/mcp`], null, signal());
    try {
      expect(mcp.problems).toEqual([]);
      const host = new URL(open.origin).host;
      expect(mcp.tools.map((tool) => [tool.spec.name, tool.host, tool.readOnly])).toEqual([
        ['get_weather', host, false],
        ['add_note', host, false],
        ['broken', host, false],
      ]);
      const weather = mcp.tools[0];
      expect(weather?.spec).toMatchObject({ description: 'The weather in a city now.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } });
      expect(await weather?.run({ city: 'Lyon' }, signal())).toBe('Sunny and 21 °C in Lyon.');
      expect(calls.at(-1)).toEqual({ name: 'get_weather', args: { city: 'Lyon' }, authorization: null });
      // A tool's own error goes back to the model in words.
      expect(await mcp.tools[2]?.run({}, signal())).toBe(`Error from broken on ${host}: the database is locked`);
    } finally {
      await mcp.close();
    }
  });

  it('a token goes to the server as a bearer token; without it the server’s refusal says what to do', async () => {
    const without = await connectMcpServers([`${guarded.origin}/mcp`], null, signal());
    expect(without.tools).toEqual([]);
    expect(without.problems.map((problem) => problem.message)).toEqual([`${new URL(guarded.origin).host} asks for a token (HTTP 401): put it in mcp_api_key in the settings.`]);
    const wrong = await connectMcpServers([`${guarded.origin}/mcp`], 'sk-wrong', signal());
    expect(wrong.problems[0]?.message).toContain('refused the MCP token (HTTP 401)');
    expect(JSON.stringify(wrong.problems)).not.toContain('sk-wrong');
    const mcp = await connectMcpServers([`${guarded.origin}/mcp`], 'sk-mcp-secret', signal());
    try {
      await mcp.tools.find((tool) => tool.spec.name === 'add_note')?.run({ text: 'buy milk' }, signal());
      expect(calls.at(-1)).toEqual({ name: 'add_note', args: { text: 'buy milk' }, authorization: 'Bearer sk-mcp-secret' });
    } finally {
      await mcp.close();
    }
  });

  it('a server that is down is reported and the others are still offered', async () => {
    const mcp = await connectMcpServers(['http://127.0.0.1:9/mcp', `${open.origin}/mcp`], null, signal());
    try {
      expect(mcp.tools.map((tool) => tool.spec.name)).toEqual(['get_weather', 'add_note', 'broken']);
      expect(mcp.problems).toEqual([{ url: 'http://127.0.0.1:9/mcp', host: '127.0.0.1:9', message: expect.stringMatching(/^Could not reach 127\.0\.0\.1:9: the server is down, or it does not allow this page\. .*CORS/) as unknown }]);
    } finally {
      await mcp.close();
    }
  });

  it('the same tool name from a second server is offered once, and said', async () => {
    const mcp = await connectMcpServers([`${open.origin}/mcp`, `${open.origin}/mcp?again`], null, signal());
    try {
      expect(mcp.tools).toHaveLength(3);
      expect(mcp.problems.map((problem) => problem.message)).toContain(`${new URL(open.origin).host} has a tool named get_weather, as another server or the page has: only the first is offered.`);
    } finally {
      await mcp.close();
    }
  });

  it('says what an HTTP status means for the user', () => {
    expect(describeProblem('h.example', new Error('Streamable HTTP error: Error POSTing to endpoint (HTTP 404): Not Found'), false)).toBe('h.example has no MCP endpoint at that address (HTTP 404): check the URL in mcp_servers (often it ends in /mcp).');
    expect(describeProblem('h.example', Object.assign(new Error('Streamable HTTP error: Error POSTing to endpoint: Bad Gateway'), { code: 502 }), false)).toBe('h.example failed (HTTP 502): try again later, or remove it from mcp_servers.');
    expect(describeProblem('h.example', new Error('Request timed out'), false)).toBe('h.example did not answer within 10 s: is the server running?');
  });
});
