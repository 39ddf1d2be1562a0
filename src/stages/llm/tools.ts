/**
 * Tools as the language model sees them: what it is offered (OpenAI function schemas, the
 * reference's `TOOLS`), the calls it makes, and what its stream yields when it makes one.
 */

/** A tool the model may call: its name, what it does, and its arguments as a JSON schema. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** A tool the page can run (its own, or an MCP server's): what the model is offered, and how it runs. */
export interface Tool {
  readonly spec: ToolSpec;
  /** Reads nothing of the user's and changes nothing: allowed without asking. */
  readonly readOnly: boolean;
  /** Where it runs, as the approval shows it ("this page", a server's host). */
  readonly host: string;
  /** Runs with the arguments the model gave, already parsed; the answer is text for the model. */
  run(args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<string>;
}

/** A call the model made: its id (echoed back with the result), the tool's name and its arguments as the model wrote them (JSON text). */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** What a backend's stream yields: text of the reply, or a call of a tool (once its arguments are whole). */
export type ReplyPart = string | { readonly toolCall: ToolCall };

/**
 * Streamed tool calls come in pieces (Chat Completions' `delta.tool_calls`, by index): the name
 * and id first, the arguments a few characters at a time. Gathers them into whole calls.
 */
export class ToolCallAssembler {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  push(index: number, piece: { readonly id?: string | undefined; readonly name?: string | undefined; readonly arguments?: string | undefined }): void {
    const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
    if (piece.id) call.id = piece.id;
    if (piece.name) call.name += piece.name;
    if (piece.arguments) call.arguments += piece.arguments;
    this.calls.set(index, call);
  }

  /** The whole calls, in the order the model made them; a call without an id gets one, since the answer must name it. */
  finish(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.name !== '')
      .map(([index, call]) => ({ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments }));
  }
}
