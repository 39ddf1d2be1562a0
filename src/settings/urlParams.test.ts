import { describe, expect, it } from 'vitest';
import { defaultSettings } from './schema';
import { exportUrlParams, importUrlParams } from './urlParams';

const defaults = defaultSettings();

describe('URL parameters', () => {
  it('apply on top of the current settings', () => {
    const { result, consumed } = importUrlParams('?llm_backend=chat-completions&model_name=Qwen%2FQwen3&no_smart_turn&enable_lang_prompt', { ...defaults, thresh: 0.8 });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings.llm_backend).toBe('chat-completions');
    expect(result.settings.model_name).toBe('Qwen/Qwen3');
    expect(result.settings.smart_turn).toBe(false);
    expect(result.settings.enable_lang_prompt).toBe(true);
    expect(result.settings.thresh).toBe(0.8);
    expect(consumed).toEqual(['llm_backend', 'model_name', 'no_smart_turn', 'enable_lang_prompt']);
  });

  it('never read an API key from a link', () => {
    const { result, consumed } = importUrlParams('responses_api_api_key=sk-leak&stt=openai', defaults);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings.responses_api_api_key).toBeNull();
    expect(result.warnings[0]).toContain('API keys are never read from links');
    expect(consumed).toContain('responses_api_api_key');
  });

  it('report bad values with the parameter, the value and what is allowed, and apply nothing', () => {
    const { result } = importUrlParams('thresh=high&tts=espeak&no_smart_turn=1', defaults);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]).toBe('"thresh" in the link: "high" is not a number (expected a number from 0 to 1).');
      expect(result.errors[1]).toContain('"espeak"');
      expect(result.errors[2]).toContain('takes no value');
    }
  });

  it('ignore parameters that are not settings, with a warning', () => {
    const { result, consumed } = importUrlParams('utm_source=newsletter&thresh=0.5', defaults);
    expect(result.ok && result.settings.thresh).toBe(0.5);
    expect(result.warnings).toEqual(['"utm_source" in the link was ignored: it is not a setting.']);
    expect(consumed).toEqual(['thresh']);
  });

  it('export only what differs, without keys', () => {
    expect(exportUrlParams(defaults)).toBe('');
    expect(exportUrlParams({ ...defaults, stt: 'openai', openai_stt_api_key: 'secret', llm_gen_kwargs: { stop: ['x'] } })).toBe(
      'stt=openai&llm_gen_stop=%5B%22x%22%5D',
    );
  });
});
