/**
 * `llm_backend responses-api` (the reference's default API backend): a streamed
 * `POST {responses_api_base_url}/responses` through the openai SDK. Only output-text events
 * become speech; reasoning events are not read, and <think> blocks are dropped.
 */
import type OpenAI from 'openai';
import { LlmRequestError, apiClient, describeLlmError, DEFAULT_API_MODEL, type ChatSettings } from './chatCompletionsBackend';
import type { Message } from './conversation';
import { responsesOptions } from './requestOptions';
import { ThinkingFilter } from './thinkingFilter';

export async function* streamResponse(settings: ChatSettings, messages: readonly Message[], signal: AbortSignal): AsyncGenerator<string> {
  const { client, baseUrl } = apiClient(settings);
  const thinking = new ThinkingFilter();
  try {
    const stream = await client.responses.create(
      {
        ...responsesOptions(settings),
        model: settings.model_name ?? DEFAULT_API_MODEL,
        input: messages.map((message) => ({ role: message.role, content: message.content })) as OpenAI.Responses.ResponseInput,
        stream: true,
      },
      { signal },
    );
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        const speakable = thinking.push(event.delta);
        if (speakable) yield speakable;
      } else if (event.type === 'response.failed') {
        throw new LlmRequestError(`the language model failed to answer: ${event.response.error?.message ?? 'no reason given'}.`);
      } else if (event.type === 'error') {
        throw new LlmRequestError(`the language model server reported an error: ${event.message}.`);
      }
    }
    const rest = thinking.end();
    if (rest) yield rest;
  } catch (error) {
    if (signal.aborted || error instanceof LlmRequestError) throw error;
    throw new LlmRequestError(describeLlmError(error, baseUrl), { cause: error });
  }
}
