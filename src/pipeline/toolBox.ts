/**
 * Runs the calls a model makes of the page's tools: each is shown to the user first (which tool,
 * where, with which arguments) unless it only reads, and runs only once allowed. Whatever happens
 * (an unknown tool, arguments that are not JSON, a denial, no answer in time, a failure, a result
 * too long) ends in words for the model, so the reply goes on.
 */
import type { ToolCall, ToolRunner, ToolSpec } from '../stages/llm';
import type { Tool } from '../stages/llm';

export type ToolDecision = 'allow-once' | 'allow-always' | 'deny';

/** A call waiting for the user's answer, as the page shows it. */
export interface ToolRequest {
  readonly call: ToolCall;
  readonly host: string;
  /** The arguments, parsed. */
  readonly args: Readonly<Record<string, unknown>>;
}

/** Asks the user about a call (the page shows it; a spoken "yes" or "no" answers too); rejects when the signal aborts. */
export type AskUser = (request: ToolRequest, signal: AbortSignal) => Promise<ToolDecision>;

/** How long the user has to answer before the call is not run. */
export const APPROVAL_TIMEOUT_MS = 60_000;
/** How long a tool may run. */
export const TOOL_TIMEOUT_MS = 15_000;
/** A result longer than this is cut: a model's context is small. */
export const MAX_RESULT_CHARACTERS = 4000;

export class ToolBox implements ToolRunner {
  /**
   * @param always the tools the user allowed always (by host and name): shared by the boxes the
   * page makes for each reply, so the answer holds until the page closes.
   */
  constructor(
    private readonly tools: readonly Tool[],
    private readonly ask: AskUser,
    private readonly bounds = { approvalMs: APPROVAL_TIMEOUT_MS, runMs: TOOL_TIMEOUT_MS },
    private readonly always = new Set<string>(),
  ) {}

  get specs(): readonly ToolSpec[] {
    return this.tools.map((tool) => tool.spec);
  }

  async run(call: ToolCall, signal: AbortSignal): Promise<string> {
    const tool = this.tools.find((candidate) => candidate.spec.name === call.name);
    if (!tool) return `Error: there is no tool named ${call.name}. The tools are: ${this.tools.map((known) => known.spec.name).join(', ') || 'none'}.`;
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('they are not an object');
      args = parsed as Record<string, unknown>;
    } catch (error) {
      return `Error: the arguments of ${call.name} could not be read (${error instanceof Error ? error.message : String(error)}); it did not run.`;
    }
    const allowedAs = `${tool.host} ${tool.spec.name}`;
    if (!tool.readOnly && !this.always.has(allowedAs)) {
      let decision: ToolDecision | 'timeout';
      try {
        decision = await bounded((inner) => this.ask({ call, host: tool.host, args }, inner), this.bounds.approvalMs, signal);
      } catch (error) {
        if (!(error instanceof BoundReached)) throw error;
        decision = 'timeout';
      }
      if (decision === 'timeout') return `Error: the user did not answer within ${this.bounds.approvalMs / 1000} s, so ${call.name} did not run.`;
      if (decision === 'deny') return `The user denied this call of ${call.name}; it did not run.`;
      if (decision === 'allow-always') this.always.add(allowedAs);
    }
    try {
      const result = await bounded((inner) => tool.run(args, inner), this.bounds.runMs, signal);
      return result.length > MAX_RESULT_CHARACTERS ? `${result.slice(0, MAX_RESULT_CHARACTERS)} [cut: the result was ${result.length} characters]` : result;
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof BoundReached) return `Error: ${call.name} took longer than ${this.bounds.runMs / 1000} s and was stopped.`;
      return `Error: ${call.name} failed: ${error instanceof Error ? error.message : String(error)}.`;
    }
  }
}

class BoundReached extends Error {}

/** Runs `work` with a signal of its own, aborted (and the promise rejected) past `ms` or when `signal` aborts. */
function bounded<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  const inner = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const stop = (reason: unknown) => {
      inner.abort(reason);
      reject(reason instanceof Error ? reason : new Error(String(reason)));
    };
    const timer = setTimeout(() => stop(new BoundReached()), ms);
    const aborted = () => stop(signal.reason);
    if (signal.aborted) aborted();
    signal.addEventListener('abort', aborted, { once: true });
    work(inner.signal)
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
      });
  });
}
