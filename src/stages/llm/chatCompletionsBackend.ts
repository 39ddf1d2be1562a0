/**
 * `llm_backend chat-completions`: a streamed `POST {responses_api_base_url}/chat/completions`
 * through the official openai SDK. Yields the reply's text deltas; reasoning (separate reasoning
 * fields, or <think> blocks) never reaches them. Aborting the signal ends the request at once
 * (barge-in). Every failure becomes an error whose sentence says what to check.
 */
import type OpenAI from 'openai';
import { APIError, APIUserAbortError } from 'openai/error';
import type { Settings } from '../../settings/schema';
import { audioRequestOptions, hasAudio, keepRecentAudio } from './audioInput';
import { messageText, type Message } from './message';
import { describeFailure, endpointClient, type Endpoint } from '../../endpoints/openaiEndpoint';
import { OPENAI_BASE_URL } from '../../settings/keyBinding';
import { LlmRequestError } from './errors';
import { chatCompletionsOptions, isOpenAi } from './requestOptions';
import { ThinkingFilter } from './thinkingFilter';
import { ToolCallAssembler, type ReplyPart, type ToolSpec } from './tools';

export type ChatSettings = Pick<
  Settings,
  | 'model_name'
  | 'responses_api_base_url'
  | 'responses_api_api_key'
  | 'llm_gen_max_new_tokens'
  | 'llm_gen_min_new_tokens'
  | 'llm_gen_temperature'
  | 'llm_gen_do_sample'
  | 'llm_gen_kwargs'
  | 'responses_api_disable_thinking'
  | 'responses_api_reasoning_effort'
  | 'responses_api_stream'
  | 'responses_api_audio_history_turns'
  | 'responses_api_audio_max_tokens'
  | 'responses_api_audio_temperature'
>;

import { DEFAULT_API_MODEL } from '../../settings/modelIds';

export { DEFAULT_API_MODEL };
/** The reference's fixed request timeout. */
export const REQUEST_TIMEOUT_MS = 20_000;

/** The server of `responses_api_base_url`, the only place the key is sent. */
export function llmEndpoint(settings: Pick<ChatSettings, 'responses_api_base_url' | 'responses_api_api_key'>): Endpoint {
  return {
    name: 'the language model server',
    baseUrl: settings.responses_api_base_url ?? OPENAI_BASE_URL,
    apiKey: settings.responses_api_api_key,
    // As the reference: servers that need no key get "none".
    keyless: 'none',
    timeoutMs: REQUEST_TIMEOUT_MS,
    settings: { url: 'responses_api_base_url', key: 'responses_api_api_key', model: 'model_name' },
  };
}

/** The SDK client for the language model server; OpenAI itself is not asked without a key. */
export async function apiClient(settings: Pick<ChatSettings, 'responses_api_base_url' | 'responses_api_api_key'>): Promise<{ client: OpenAI; endpoint: Endpoint }> {
  const endpoint = llmEndpoint(settings);
  if (!settings.responses_api_api_key && isOpenAi(endpoint.baseUrl)) {
    throw new LlmRequestError('OpenAI needs an API key: enter responses_api_api_key, or set responses_api_base_url to your own server.');
  }
  return { client: await endpointClient(endpoint), endpoint };
}

/** A failed request, as a sentence: the status, what to check, and never the key. */
export function describeLlmFailure(error: unknown, endpoint: Endpoint): string {
  if (error instanceof APIError || error instanceof SyntaxError) return describeFailure(error, endpoint);
  return `the reply stopped: ${error instanceof Error ? error.message : String(error)}.`;
}

/** A message as Chat Completions takes it: an assistant's tool calls, and a tool's result with the call it answers. */
function chatMessage(message: Message): OpenAI.ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.tool_call_id ?? '', content: messageText(message) };
  if (message.tool_calls && message.tool_calls.length > 0) {
    return {
      role: 'assistant',
      content: messageText(message) || null,
      tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    };
  }
  return { role: message.role, content: message.content } as OpenAI.ChatCompletionMessageParam;
}

/**
 * Streams the reply's text, then the tools it calls (offered `tools`); with `responses_api_stream`
 * off, the whole reply arrives as one delta. Throws LlmRequestError (or an abort error when
 * `signal` aborts).
 */
export async function* streamChatCompletion(settings: ChatSettings, messages: readonly Message[], signal: AbortSignal, tools: readonly ToolSpec[] = []): AsyncGenerator<ReplyPart> {
  const { client, endpoint } = await apiClient(settings);
  const thinking = new ThinkingFilter();
  // With stt none the user's turns are audio: only the latest few keep it, and the request uses the audio limits.
  const audio = messages.some(hasAudio);
  const body = {
    ...chatCompletionsOptions(settings),
    ...(audio ? audioRequestOptions(settings) : {}),
    model: settings.model_name ?? DEFAULT_API_MODEL,
    messages: keepRecentAudio(messages, settings.responses_api_audio_history_turns).map(chatMessage),
    ...(tools.length > 0 ? { tools: tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } } })) } : {}),
  };
  const calls = new ToolCallAssembler();
  try {
    if (!settings.responses_api_stream) {
      const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
      const message = completion.choices[0]?.message;
      const speakable = thinking.push(message?.content ?? '') + thinking.end();
      if (speakable) yield speakable;
      (message?.tool_calls ?? []).forEach((call, index) => {
        if (call.type === 'function') calls.push(index, { id: call.id, name: call.function.name, arguments: call.function.arguments });
      });
      for (const toolCall of calls.finish()) yield { toolCall };
      return;
    }
    const stream = await client.chat.completions.create({ ...body, stream: true }, { signal });
    for await (const chunk of stream) {
      // Reasoning arrives in other fields (reasoning_content, reasoning) and is not read.
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) {
        const speakable = thinking.push(delta.content);
        if (speakable) yield speakable;
      }
      for (const piece of delta?.tool_calls ?? []) calls.push(piece.index, { id: piece.id, name: piece.function?.name, arguments: piece.function?.arguments });
    }
    const rest = thinking.end();
    if (rest) yield rest;
    // A call is whole only once the stream ends: its arguments come in pieces.
    for (const toolCall of calls.finish()) yield { toolCall };
  } catch (error) {
    if (signal.aborted || error instanceof APIUserAbortError) throw error;
    throw new LlmRequestError(describeLlmFailure(error, endpoint), { cause: error });
  }
}
