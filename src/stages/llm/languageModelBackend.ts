/**
 * What every language model backend is to the rest of the app: given the messages, a stream of
 * the reply's speakable text (reasoning already removed), which stops promptly when the signal
 * aborts (barge-in, a reopened turn), leaving the backend ready for the next request.
 */
import type { Settings } from '../../settings/schema';
import { streamChatCompletion, type ChatSettings } from './chatCompletionsBackend';
import type { Message } from './conversation';
import { streamResponse } from './responsesBackend';

export interface LanguageModelBackend {
  /** Whether a background compaction may run beside a reply (a server), or must give way to it (one local engine). */
  readonly concurrent: boolean;
  /** Whether text arrives as it is generated; a single answer is spoken whole, as the reference does. */
  readonly streamed: boolean;
  stream(messages: readonly Message[], signal: AbortSignal): AsyncIterable<string>;
}

/** `chat-completions` and `responses-api`: requests to the OpenAI-compatible server of the settings. */
export function apiBackend(backend: Extract<Settings['llm_backend'], 'chat-completions' | 'responses-api'>, settings: ChatSettings): LanguageModelBackend {
  const stream = backend === 'chat-completions' ? streamChatCompletion : streamResponse;
  return {
    concurrent: true,
    streamed: settings.responses_api_stream,
    stream: (messages, signal) => stream(settings, messages, signal),
  };
}
