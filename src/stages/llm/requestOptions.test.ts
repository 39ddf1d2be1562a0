import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../settings/schema';
import { chatCompletionsOptions, isOpenAi, responsesOptions, transformersGenerateOptions, webLlmOptions } from './requestOptions';

const settings = { ...defaultSettings(), llm_gen_max_new_tokens: 200, llm_gen_kwargs: { top_p: 0.9, seed: 7, stop: ['User:'] } };

describe('request options per backend', () => {
  it('chat-completions: max_tokens, temperature only when sampling, extras as they are', () => {
    expect(chatCompletionsOptions({ ...settings, responses_api_base_url: 'http://localhost:8000/v1' })).toEqual({
      top_p: 0.9, seed: 7, stop: ['User:'], max_tokens: 200, temperature: 0, chat_template_kwargs: { enable_thinking: false },
    });
    expect(chatCompletionsOptions({ ...settings, llm_gen_do_sample: true, llm_gen_temperature: 0.7 }).temperature).toBe(0.7);
  });

  it('sends enable_thinking=false only to servers other than OpenAI, and only without a reasoning effort', () => {
    expect(chatCompletionsOptions(settings)).not.toHaveProperty('chat_template_kwargs');
    expect(chatCompletionsOptions({ ...settings, responses_api_base_url: 'http://localhost:8000/v1', responses_api_disable_thinking: false })).not.toHaveProperty('chat_template_kwargs');
    expect(chatCompletionsOptions({ ...settings, responses_api_base_url: 'http://localhost:8000/v1', responses_api_reasoning_effort: 'low' })).toMatchObject({ reasoning_effort: 'low' });
    expect(chatCompletionsOptions({ ...settings, responses_api_base_url: 'http://localhost:8000/v1', responses_api_reasoning_effort: 'low' })).not.toHaveProperty('chat_template_kwargs');
  });

  it('responses-api: max_output_tokens, and reasoning effort none by default', () => {
    expect(responsesOptions(settings)).toEqual({ top_p: 0.9, seed: 7, stop: ['User:'], max_output_tokens: 200, temperature: 0, reasoning: { effort: 'none' } });
    expect(responsesOptions({ ...settings, responses_api_reasoning_effort: 'high' }).reasoning).toEqual({ effort: 'high' });
  });

  it('transformers and web-llm use their own names', () => {
    expect(transformersGenerateOptions(settings)).toEqual({ top_p: 0.9, seed: 7, stop: ['User:'], max_new_tokens: 200, min_new_tokens: 0, do_sample: false, temperature: 0 });
    expect(webLlmOptions(settings)).toEqual({ top_p: 0.9, seed: 7, stop: ['User:'], max_tokens: 200, temperature: 0 });
  });

  it('knows OpenAI’s own endpoint, the default', () => {
    expect(isOpenAi(null)).toBe(true);
    expect(isOpenAi('https://api.openai.com/v1')).toBe(true);
    expect(isOpenAi('https://router.huggingface.co/v1')).toBe(false);
  });
});
