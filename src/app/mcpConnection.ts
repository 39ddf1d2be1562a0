/**
 * The MCP servers the settings list, connected for the replies: at Start (a server down before
 * may be up now) and whenever the list or the token changes. Only the servers whose host the user
 * allowed are reached (one a link or an import named waits for "Use <host>"), and the token goes
 * only where it was entered for: a held token connects to nothing. What could not be reached is
 * said once per connection, and the conversation goes on with the tools there are.
 */
import { describeHeldKey, heldKey } from '../settings/keyBinding';
import { waitingDestinations } from '../settings/hostConsent';
import type { Settings } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { splitUrlList } from '../settings/valueTypes';
import { MCP_CONNECT_TIMEOUT_MS, type McpTools, type Tool } from '../stages/llm';
import type { NoticesStore } from './noticesStore';

export type ConnectMcp = (urls: readonly string[], token: string | null, signal: AbortSignal) => Promise<McpTools>;

const NO_TOOLS: McpTools = { tools: [], problems: [], close: () => Promise.resolve() };

export class McpConnection {
  private current: { readonly key: string; readonly ready: Promise<McpTools> } | null = null;

  constructor(
    private readonly ports: {
      readonly connect: ConnectMcp;
      readonly settings: SettingsStore;
      readonly notices: NoticesStore;
      /** The page's address (hosts on this site need no consent). */
      readonly page: string;
    },
  ) {}

  /** Listening starts: servers are reached again, so one that was down may be offered now. */
  refresh(settings: Settings): void {
    this.drop();
    void this.toolsFor(settings);
  }

  /** The servers' tools under these settings (none while the list is empty, waits, or is unreachable). */
  async toolsFor(settings: Settings): Promise<readonly Tool[]> {
    const urls = splitUrlList(settings.mcp_servers);
    if (urls.length === 0) {
      this.drop();
      return [];
    }
    const { hostConsent, keyBindings } = this.ports.settings.getState();
    const waiting = new Set(waitingDestinations(settings, hostConsent, this.ports.page, ['mcp_servers']).map((destination) => destination.origin));
    // The setting's type has checked each URL.
    const allowed = urls.filter((url) => !waiting.has(new URL(url).origin));
    const held = heldKey(settings, keyBindings, 'mcp_api_key');
    const key = JSON.stringify([allowed, settings.mcp_api_key, held !== null]);
    if (this.current?.key !== key) {
      this.drop();
      this.current = { key, ready: held !== null ? this.said([describeHeldKey(held)]) : allowed.length === 0 ? Promise.resolve(NO_TOOLS) : this.connect(allowed, settings.mcp_api_key) };
    }
    return (await this.current.ready).tools;
  }

  private async connect(urls: readonly string[], token: string | null): Promise<McpTools> {
    try {
      // The SDK bounds each request; this bounds the whole (loading the SDK, every server).
      const tools = await this.ports.connect(urls, token, AbortSignal.timeout(MCP_CONNECT_TIMEOUT_MS + 5000));
      if (tools.problems.length > 0) this.notice(tools.problems.map((problem) => problem.message));
      return tools;
    } catch (error) {
      return this.said([`The MCP client could not start: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`]);
    }
  }

  private said(lines: readonly string[]): Promise<McpTools> {
    this.notice(lines);
    return Promise.resolve(NO_TOOLS);
  }

  private notice(lines: readonly string[]): void {
    this.ports.notices.getState().push('warning', 'Some MCP tools are not offered', [...lines, 'The conversation goes on without them.']);
  }

  private drop(): void {
    const previous = this.current;
    this.current = null;
    void previous?.ready.then((tools) => tools.close());
  }
}
