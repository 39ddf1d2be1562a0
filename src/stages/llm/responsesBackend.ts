/**
 * `llm_backend responses-api` (the reference's default API backend): a streamed
 * `POST {responses_api_base_url}/responses` through the openai SDK. Only output-text events
 * become speech; reasoning events are not read, and <think> blocks are dropped.
 */
import type OpenAI from 'openai';
import { apiClient, describeLlmFailure, DEFAULT_API_MODEL, type ChatSettings } from './chatCompletionsBackend';
import { LlmRequestError } from './errors';
import { messageText, type Message } from './message';
import { responsesOptions } from './requestOptions';
import { ThinkingFilter } from './thinkingFilter';
import type { ReplyPart, ToolCall, ToolSpec } from './tools';

/** The conversation as Responses input items: an assistant's tool calls become `function_call` items, a tool's answer a `function_call_output`. */
function inputItems(messages: readonly Message[]): OpenAI.Responses.ResponseInputItem[] {
  return messages.flatMap((message): OpenAI.Responses.ResponseInputItem[] => {
    if (message.role === 'tool') return [{ type: 'function_call_output', call_id: message.tool_call_id ?? '', output: messageText(message) }];
    const text = messageText(message);
    const said = text === '' && message.tool_calls ? [] : [{ role: message.role, content: text } as OpenAI.Responses.ResponseInputItem];
    const calls = (message.tool_calls ?? []).map((call): OpenAI.Responses.ResponseInputItem => ({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments }));
    return [...said, ...calls];
  });
}

const toolCall = (item: OpenAI.Responses.ResponseFunctionToolCall): ToolCall => ({ id: item.call_id, name: item.name, arguments: item.arguments });

/** Streams the reply's text, then the tools it calls (offered `tools`); with `responses_api_stream` off, the whole reply arrives as one delta. */
export async function* streamResponse(settings: ChatSettings, messages: readonly Message[], signal: AbortSignal, tools: readonly ToolSpec[] = []): AsyncGenerator<ReplyPart> {
  const { client, endpoint } = await apiClient(settings);
  const thinking = new ThinkingFilter();
  const body = {
    ...responsesOptions(settings),
    model: settings.model_name ?? DEFAULT_API_MODEL,
    input: inputItems(messages),
    ...(tools.length > 0 ? { tools: tools.map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, parameters: { ...tool.parameters }, strict: false })) } : {}),
  };
  try {
    if (!settings.responses_api_stream) {
      const response = await client.responses.create({ ...body, stream: false }, { signal });
      if (response.error) throw new LlmRequestError(`the language model failed to answer: ${response.error.message}.`);
      // output_text joins the message items' text; reasoning items are not part of it.
      const speakable = thinking.push(response.output_text) + thinking.end();
      if (speakable) yield speakable;
      for (const item of response.output) if (item.type === 'function_call') yield { toolCall: toolCall(item) };
      return;
    }
    const stream = await client.responses.create({ ...body, stream: true }, { signal });
    const calls: ToolCall[] = [];
    for await (const event of stream) {
      // A call is whole once its item is done; it is handed on after the text, as the model's turn ends.
      if (event.type === 'response.output_item.done' && event.item.type === 'function_call') calls.push(toolCall(event.item));
      if (event.type === 'response.output_text.delta') {
        const speakable = thinking.push(event.delta);
        if (speakable) yield speakable;
      } else if (event.type === 'response.failed') {
        throw new LlmRequestError(`the language model failed to answer: ${event.response.error?.message ?? 'no reason given'}.`);
      } else if (event.type === 'error') {
        throw new LlmRequestError(`the language model server reported an error mid-answer: ${event.message.replace(/\.$/, '')}. Speak again; if it repeats, check its logs.`);
      }
    }
    const rest = thinking.end();
    if (rest) yield rest;
    for (const call of calls) yield { toolCall: call };
  } catch (error) {
    if (signal.aborted || error instanceof LlmRequestError) throw error;
    throw new LlmRequestError(describeLlmFailure(error, endpoint), { cause: error });
  }
}
