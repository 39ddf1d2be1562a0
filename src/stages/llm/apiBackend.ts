/** `chat-completions` and `responses-api`: requests to the OpenAI-compatible server of the settings. Nothing to load. */
import { llmEndpoint, streamChatCompletion } from './chatCompletionsBackend';
import type { LanguageModelBackend, LanguageModelSettings } from './languageModelBackend';
import { streamResponse } from './responsesBackend';

export function apiBackend(settings: LanguageModelSettings): LanguageModelBackend {
  const stream = settings.llm_backend === 'responses-api' ? streamResponse : streamChatCompletion;
  return {
    concurrent: true,
    streamed: settings.responses_api_stream,
    description: llmEndpoint(settings).baseUrl,
    // Each request reads the settings it was made with: a change makes a new backend.
    stream: (messages, signal, tools) => stream(settings, messages, signal, tools),
    configure: () => undefined,
    dispose: () => undefined,
  };
}
