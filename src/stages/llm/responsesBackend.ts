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

/** Streams the reply's text; with `responses_api_stream` off, the whole reply arrives as one delta. */
export async function* streamResponse(settings: ChatSettings, messages: readonly Message[], signal: AbortSignal): AsyncGenerator<string> {
  const { client, endpoint } = await apiClient(settings);
  const thinking = new ThinkingFilter();
  const body = {
    ...responsesOptions(settings),
    model: settings.model_name ?? DEFAULT_API_MODEL,
    input: messages.map((message) => ({ role: message.role, content: messageText(message) })) as OpenAI.Responses.ResponseInput,
  };
  try {
    if (!settings.responses_api_stream) {
      const response = await client.responses.create({ ...body, stream: false }, { signal });
      if (response.error) throw new LlmRequestError(`the language model failed to answer: ${response.error.message}.`);
      // output_text joins the message items' text; reasoning items are not part of it.
      const speakable = thinking.push(response.output_text) + thinking.end();
      if (speakable) yield speakable;
      return;
    }
    const stream = await client.responses.create({ ...body, stream: true }, { signal });
    for await (const event of stream) {
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
  } catch (error) {
    if (signal.aborted || error instanceof LlmRequestError) throw error;
    throw new LlmRequestError(describeLlmFailure(error, endpoint), { cause: error });
  }
}
