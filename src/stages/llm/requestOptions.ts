/**
 * The generation settings (`llm_gen_*`, and the `responses_api_*` thinking and reasoning flags) as
 * each backend's request fields. Extra `llm_gen_<name>` options pass through under their own name
 * (top_p, seed, stop, ...), as the browser mapping asks.
 */
import type { Settings } from '../../settings/schema';
import { OPENAI_BASE_URL } from '../../settings/keyBinding';
import type { JsonValue } from '../../settings/valueTypes';

type GenSettings = Pick<Settings, 'llm_gen_max_new_tokens' | 'llm_gen_min_new_tokens' | 'llm_gen_temperature' | 'llm_gen_do_sample' | 'llm_gen_kwargs'>;
type ApiSettings = GenSettings & Pick<Settings, 'responses_api_base_url' | 'responses_api_disable_thinking' | 'responses_api_reasoning_effort'>;


/** Whether requests go to OpenAI itself (which rejects other providers' extensions). */
export function isOpenAi(baseUrl: string | null): boolean {
  return new URL(baseUrl ?? OPENAI_BASE_URL).hostname === 'api.openai.com';
}

/** Sampling as the reference's transformers backend reads it: temperature only when sampling. */
function temperature(settings: GenSettings): number {
  return settings.llm_gen_do_sample ? settings.llm_gen_temperature : 0;
}

/**
 * The thinking switches: a reasoning effort when set (`responses-api` defaults to none), else, for
 * servers other than OpenAI, chat_template_kwargs.enable_thinking=false when disable_thinking.
 */
function thinking(settings: ApiSettings, backend: 'chat-completions' | 'responses-api'): Record<string, JsonValue> {
  const effort = settings.responses_api_reasoning_effort ?? (backend === 'responses-api' ? 'none' : null);
  if (effort !== null) return backend === 'responses-api' ? { reasoning: { effort } } : { reasoning_effort: effort };
  if (settings.responses_api_disable_thinking && !isOpenAi(settings.responses_api_base_url)) return { chat_template_kwargs: { enable_thinking: false } };
  return {};
}

export function chatCompletionsOptions(settings: ApiSettings): Record<string, JsonValue> {
  return { ...settings.llm_gen_kwargs, max_tokens: settings.llm_gen_max_new_tokens, temperature: temperature(settings), ...thinking(settings, 'chat-completions') };
}

export function responsesOptions(settings: ApiSettings): Record<string, JsonValue> {
  return { ...settings.llm_gen_kwargs, max_output_tokens: settings.llm_gen_max_new_tokens, temperature: temperature(settings), ...thinking(settings, 'responses-api') };
}

/** transformers.js generate(): its own names, as the reference's transformers backend. */
export function transformersGenerateOptions(settings: GenSettings): Record<string, JsonValue> {
  return {
    ...settings.llm_gen_kwargs,
    max_new_tokens: settings.llm_gen_max_new_tokens,
    min_new_tokens: settings.llm_gen_min_new_tokens,
    do_sample: settings.llm_gen_do_sample,
    temperature: settings.llm_gen_temperature,
  };
}

/** web-llm's OpenAI-style request. */
export function webLlmOptions(settings: GenSettings): Record<string, JsonValue> {
  return { ...settings.llm_gen_kwargs, max_tokens: settings.llm_gen_max_new_tokens, temperature: temperature(settings) };
}
