/**
 * Tools for models that run in the page (transformers.js, web-llm), which have no tool API of
 * their own: the model is told of the tools through its chat template where the template takes
 * `tools` (Qwen3, SmolLM3, Llama 3.x), or else through the system prompt in the Hermes form most
 * instruction-tuned models know; its answer carries a call in its own words, which is read back
 * here: Qwen/Hermes `<tool_call>{"name": …, "arguments": …}</tool_call>`, or Llama 3.x's bare
 * `{"name": …, "parameters": …}` (after `<|python_tag|>` where special tokens are kept).
 */
import { messageText, type Message } from './message';
import type { ReplyPart, ToolSpec } from './tools';

/** A message as Hugging Face chat templates take it (tool calls with their arguments as an object). */
export interface TemplateMessage {
  readonly role: string;
  readonly content: string;
  readonly tool_calls?: readonly { readonly id: string; readonly type: 'function'; readonly function: { readonly name: string; readonly arguments: Record<string, unknown> } }[];
  readonly tool_call_id?: string;
}

/** The tools as a chat template's `tools` (OpenAI function schemas). */
export function templateTools(specs: readonly ToolSpec[]): Record<string, unknown>[] {
  return specs.map((spec) => ({ type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.parameters } }));
}

/** The conversation for a template that takes tools: calls and their results in the template's own fields. */
export function templateMessages(messages: readonly Message[]): TemplateMessage[] {
  return messages.map((message) => ({
    role: message.role,
    content: messageText(message),
    ...(message.tool_calls ? { tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: argumentsObject(call.arguments) } })) } : {}),
    ...(message.tool_call_id ? { tool_call_id: message.tool_call_id } : {}),
  }));
}

/**
 * The conversation for a model whose template knows no tools: the tools described in the system
 * prompt (Hermes form), each call written back as the model wrote it, and each result given as
 * the user's `<tool_response>`.
 */
export function promptedMessages(messages: readonly Message[], specs: readonly ToolSpec[]): { readonly role: string; readonly content: string }[] {
  const instructions = toolInstructions(specs);
  const out: { role: string; content: string }[] = [];
  const system = messages[0]?.role === 'system' ? messages[0] : null;
  out.push({ role: 'system', content: system ? `${messageText(system)}\n\n${instructions}` : instructions });
  for (const message of system ? messages.slice(1) : messages) {
    if (message.role === 'tool') {
      const text = `<tool_response>\n${messageText(message)}\n</tool_response>`;
      const last = out.at(-1);
      // Several results of one round go in one user message.
      if (last?.role === 'user' && last.content.startsWith('<tool_response>')) last.content += `\n${text}`;
      else out.push({ role: 'user', content: text });
      continue;
    }
    const calls = (message.tool_calls ?? []).map((call) => `<tool_call>\n${JSON.stringify({ name: call.name, arguments: argumentsObject(call.arguments) })}\n</tool_call>`);
    out.push({ role: message.role, content: [messageText(message), ...calls].filter((part) => part !== '').join('\n') });
  }
  return out;
}

/** The Hermes tool instructions (Qwen's and NousResearch's wording, which such models are trained on). */
export function toolInstructions(specs: readonly ToolSpec[]): string {
  return [
    '# Tools',
    '',
    'You may call one or more functions to assist with the user query.',
    '',
    'You are provided with function signatures within <tools></tools> XML tags:',
    '<tools>',
    ...templateTools(specs).map((tool) => JSON.stringify(tool)),
    '</tools>',
    '',
    'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:',
    '<tool_call>',
    '{"name": <function-name>, "arguments": <args-json-object>}',
    '</tool_call>',
  ].join('\n');
}

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';
const PYTHON_TAG = '<|python_tag|>';

/**
 * Reads a streamed reply of a local model: its text goes on as it comes, a call is held until it
 * is whole and then given as a call. Text that could be the start of a call (a `<` that may open
 * `<tool_call>`, a reply that opens with `{`) waits until it is clear.
 */
export class ToolCallReader {
  private buffer = '';
  private inCall = false;
  /** Nothing but whitespace has been said yet: a `{` now may be a Llama 3.x call. */
  private atStart = true;
  private calls = 0;

  push(text: string): ReplyPart[] {
    this.buffer += text;
    const parts: ReplyPart[] = [];
    for (;;) {
      if (this.inCall) {
        const end = this.buffer.indexOf(CLOSE);
        if (end < 0) return parts;
        parts.push(...this.call(this.buffer.slice(0, end), `${OPEN}${this.buffer.slice(0, end)}${CLOSE}`));
        this.buffer = this.buffer.slice(end + CLOSE.length);
        this.inCall = false;
        continue;
      }
      if (this.atStart) {
        const trimmed = this.buffer.trimStart();
        if (trimmed === '') return parts;
        // Llama 3.x answers a call with nothing but the JSON: held to the end of the reply.
        if (trimmed.startsWith('{') || trimmed.startsWith(PYTHON_TAG) || PYTHON_TAG.startsWith(trimmed)) return parts;
        this.atStart = false;
      }
      const start = this.buffer.indexOf(OPEN);
      if (start >= 0) {
        if (start > 0) parts.push(this.buffer.slice(0, start));
        this.buffer = this.buffer.slice(start + OPEN.length);
        this.inCall = true;
        continue;
      }
      // Keep a tail that may be the start of `<tool_call>`; the rest is text.
      const keep = partialTagLength(this.buffer);
      const ready = this.buffer.slice(0, this.buffer.length - keep);
      if (ready) parts.push(ready);
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return parts;
    }
  }

  /** The reply ended: what was held is a call (a whole one) or text after all. */
  end(): ReplyPart[] {
    const rest = this.buffer;
    this.buffer = '';
    if (this.inCall) return this.call(rest, `${OPEN}${rest}`);
    if (this.atStart) {
      const json = rest.trim().replace(PYTHON_TAG, '').trim();
      if (json.startsWith('{')) {
        const parts = this.call(json, rest);
        if (parts.every((part) => typeof part !== 'string')) return parts;
      }
    }
    return rest.trim() === '' ? [] : [rest];
  }

  /** A call's JSON as a call; what cannot be read as one is given back as the text it was. */
  private call(json: string, asWritten: string): ReplyPart[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.trim());
    } catch {
      // A call whose name can be read still goes to the tool box, which tells the model its arguments could not be read.
      const name = /"name"\s*:\s*"([^"]+)"/.exec(json)?.[1];
      if (!name) return [asWritten];
      return [{ toolCall: { id: `call_${++this.calls}`, name, arguments: json.trim() } }];
    }
    const record = (parsed ?? {}) as { name?: unknown; arguments?: unknown; parameters?: unknown };
    if (typeof record.name !== 'string') return [asWritten];
    const args = record.arguments ?? record.parameters ?? {};
    return [{ toolCall: { id: `call_${++this.calls}`, name: record.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } }];
  }
}

/** How many characters at the end of `text` could begin `<tool_call>`. */
function partialTagLength(text: string): number {
  for (let length = Math.min(OPEN.length - 1, text.length); length > 0; length--) {
    if (OPEN.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/** A call's arguments as an object for a template (a model that wrote none, or nonsense, gets an empty one). */
function argumentsObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
