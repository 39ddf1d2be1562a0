/**
 * The tools the page offers the model, the same for both pipelines: where they come from (the
 * settings' choice of the page's own tools and MCP servers), the calls waiting for the user, and
 * the tools the user allowed always (until the page closes).
 */
import type { Tool } from '../stages/llm';
import type { PipelineTools } from '../pipeline/pipeline';
import { ToolApprovals } from '../pipeline/toolApprovals';
import { APPROVAL_TIMEOUT_MS, TOOL_TIMEOUT_MS, ToolBox, type ToolDecision, type ToolRequest } from '../pipeline/toolBox';
import type { Settings } from '../settings/schema';
import type { ToolRunner } from '../stages/llm';

/** The tools the settings give (the page's own, an MCP server's, which may first need connecting). */
export type ToolSource = (settings: Settings) => readonly Tool[] | Promise<readonly Tool[]>;

export class PageTools implements PipelineTools {
  private readonly approvals: ToolApprovals;
  private readonly always = new Set<string>();

  /** @param changed the calls waiting for the user, each time they change. */
  constructor(
    private readonly source: ToolSource,
    changed: (requests: readonly ToolRequest[]) => void,
  ) {
    this.approvals = new ToolApprovals(changed);
  }

  async runner(settings: Settings): Promise<ToolRunner | null> {
    const tools = await this.source(settings);
    return tools.length === 0 ? null : new ToolBox(tools, this.approvals.ask, { approvalMs: APPROVAL_TIMEOUT_MS, runMs: TOOL_TIMEOUT_MS }, this.always);
  }

  answerSpoken(text: string): 'allow-once' | 'deny' | null {
    return this.approvals.answerSpoken(text);
  }

  get waiting(): boolean {
    return this.approvals.waiting;
  }

  /** The user's answer from the card. */
  answer(callId: string, decision: ToolDecision): void {
    this.approvals.answer(callId, decision);
  }
}
