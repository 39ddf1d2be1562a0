/**
 * The tools the page offers the model, the same for both pipelines: where they come from (the
 * settings' choice of the page's own tools and MCP servers), the calls waiting for the user, and
 * the tools the user allowed always (until the page closes).
 */
import type { PipelineTools } from '../pipeline/pipeline';
import { ToolApprovals } from '../pipeline/toolApprovals';
import { APPROVAL_TIMEOUT_MS, TOOL_TIMEOUT_MS, ToolBox, type ToolDecision, type ToolRequest } from '../pipeline/toolBox';
import type { Settings } from '../settings/schema';
import type { Tool, ToolRunner } from '../stages/llm';

/** The tools the settings give (the page's own, an MCP server's, which may first need connecting). */
export type ToolSource = (settings: Settings) => readonly Tool[] | Promise<readonly Tool[]>;

export class PageTools implements PipelineTools {
  private readonly approvals: ToolApprovals;
  private readonly always = new Set<string>();
  /** The models (backend, server, model) whose server refused a request that offered tools: offered none since. */
  private readonly refusedBy = new Set<string>();

  /**
   * @param changed the calls waiting for the user, each time they change.
   * @param refused said once when a model's server refuses tools (its words).
   */
  constructor(
    private readonly source: ToolSource,
    changed: (requests: readonly ToolRequest[]) => void,
    private readonly refused: (why: string) => void = () => undefined,
  ) {
    this.approvals = new ToolApprovals(changed);
  }

  async runner(settings: Settings): Promise<ToolRunner | null> {
    const model = JSON.stringify([settings.llm_backend, settings.responses_api_base_url, settings.model_name]);
    if (this.refusedBy.has(model)) return null;
    const tools = await this.source(settings);
    if (tools.length === 0) return null;
    const box = new ToolBox(tools, this.approvals.ask, { approvalMs: APPROVAL_TIMEOUT_MS, runMs: TOOL_TIMEOUT_MS }, this.always);
    return {
      specs: box.specs,
      run: (call, signal) => box.run(call, signal),
      refused: (why) => {
        this.refusedBy.add(model);
        this.refused(why);
      },
    };
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
