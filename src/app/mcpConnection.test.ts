import { describe, expect, it, vi } from 'vitest';
import { localServer } from '../localServer.testSupport';
import { MemoryStorage } from '../settings/memoryStorage.testSupport';
import { createSettingsStore } from '../settings/store';
import { connectMcpServers } from '../stages/llm';
import { mcpServerHandler, type McpCall } from '../mcpServer.testSupport';
import { McpConnection } from './mcpConnection';
import { createNoticesStore } from './noticesStore';

const calls: McpCall[] = [];
const server = localServer(mcpServerHandler(calls));

function rig() {
  const settings = createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined, page: 'https://app.example/' });
  const notices = createNoticesStore();
  const connect = vi.fn(connectMcpServers);
  const mcp = new McpConnection({ connect, settings, notices, page: 'https://app.example/' });
  const said = () => notices.getState().notices.map((notice) => [notice.title, ...notice.details]);
  return { settings, notices, connect, mcp, said };
}

describe('the MCP servers the settings list', () => {
  it('a server the user typed is reached once and its tools offered; a new list connects again; none, nothing', async () => {
    const { settings, connect, mcp, said } = rig();
    settings.getState().setSetting('mcp_servers', `${server.origin}/mcp`);
    const current = () => settings.getState().settings;
    expect((await mcp.toolsFor(current())).map((tool) => tool.spec.name)).toEqual(['get_weather', 'add_note', 'broken']);
    await mcp.toolsFor(current());
    expect(connect).toHaveBeenCalledTimes(1);
    settings.getState().setSetting('mcp_servers', `${server.origin}/mcp ${server.origin}/other`);
    await mcp.toolsFor(current());
    expect(connect).toHaveBeenCalledTimes(2);
    settings.getState().setSetting('mcp_servers', '');
    expect(await mcp.toolsFor(current())).toEqual([]);
    expect(said()).toEqual([[ 'Some MCP tools are not offered', `${new URL(server.origin).host} has a tool named get_weather, as another server or the page has: only the first is offered.`, expect.any(String), expect.any(String), 'The conversation goes on without them.' ]]);
  });

  it('a server a link named is not reached until the user allows its host', async () => {
    const { settings, connect, mcp } = rig();
    settings.getState().replaceSettings({ ...settings.getState().settings, mcp_servers: 'https://tools.example/mcp' });
    expect(await mcp.toolsFor(settings.getState().settings)).toEqual([]);
    expect(connect).not.toHaveBeenCalled();
  });

  it('a token whose servers a link changed is held: nothing is reached, and the page says why', async () => {
    const { settings, connect, mcp, said } = rig();
    const other = server.origin.replace('127.0.0.1', 'localhost');
    // A host the user allowed before, for something else.
    settings.getState().allowHost(other);
    settings.getState().setSetting('mcp_servers', `${server.origin}/mcp`);
    settings.getState().setSetting('mcp_api_key', 'sk-mcp');
    // A link moves the list to that host: the token stays with the server it was entered for.
    settings.getState().replaceSettings({ ...settings.getState().settings, mcp_servers: `${other}/mcp` });
    expect(await mcp.toolsFor(settings.getState().settings)).toEqual([]);
    expect(connect).not.toHaveBeenCalled();
    expect(said()[0]?.[1]).toMatch(/mcp_api_key/);
    expect(JSON.stringify(said())).not.toContain('sk-mcp');
  });

  it('a server that is down is said once; Start reaches it again', async () => {
    const { settings, connect, mcp, said } = rig();
    settings.getState().setSetting('mcp_servers', 'http://127.0.0.1:9/mcp');
    const current = settings.getState().settings;
    expect(await mcp.toolsFor(current)).toEqual([]);
    await mcp.toolsFor(current);
    expect(said()).toHaveLength(1);
    expect(said()[0]?.[1]).toMatch(/^Could not reach 127\.0\.0\.1:9/);
    mcp.refresh(current);
    await mcp.toolsFor(current);
    expect(connect).toHaveBeenCalledTimes(2);
  });
});
