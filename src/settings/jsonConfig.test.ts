import { describe, expect, it } from 'vitest';
import { exportJsonConfig, importJsonConfig } from './jsonConfig';
import { defaultSettings } from './schema';

const defaults = defaultSettings();

describe('JSON config', () => {
  it('exports every setting but the API keys, with gen options flat and inf as "inf"', () => {
    const exported = JSON.parse(exportJsonConfig({ ...defaults, responses_api_api_key: 'sk-secret', llm_gen_kwargs: { top_p: 0.5 } })) as Record<string, unknown>;
    expect(exported.max_speech_ms).toBe('inf');
    expect(exported.llm_gen_top_p).toBe(0.5);
    expect(exported.stt).toBe('whisper');
    expect(JSON.stringify(exported)).not.toContain('sk-secret');
    expect(Object.keys(exported).some((key) => key.includes('api_key'))).toBe(false);
  });

  it('imports a reference config file: typed values, reference flags, extra keys', () => {
    const result = importJsonConfig(
      JSON.stringify({ stt: 'faster-whisper', llm_backend: 'chat-completions', thresh: 0.5, smart_turn: false, host: '0.0.0.0', faster_whisper_stt_model_name: 'small', llm_gen_seed: 3, comment: 'mine' }),
      defaults,
    );
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings.stt).toBe('whisper');
    expect(result.settings.stt_model_name).toBe('onnx-community/whisper-small');
    expect(result.settings.thresh).toBe(0.5);
    expect(result.settings.smart_turn).toBe(false);
    expect(result.settings.llm_gen_kwargs).toEqual({ seed: 3 });
    expect(result.warnings.some((w) => w.includes('"comment" was ignored'))).toBe(true);
    expect(result.warnings.some((w) => w.includes('"host" was ignored'))).toBe(true);
  });

  it('rejects wrong types naming the key, and changes nothing', () => {
    const result = importJsonConfig('{"thresh": "0.5", "smart_turn": "yes", "chat_size": 0}', defaults);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(3);
      expect(result.errors[0]).toContain('"thresh"');
      expect(result.errors[1]).toContain('"smart_turn"');
      expect(result.errors[2]).toContain('from 1 to 1000');
    }
  });

  it('explains files that are not a settings object', () => {
    for (const source of ['', 'not json', '[]', '"text"', 'null']) {
      const result = importJsonConfig(source, defaults);
      expect(result.ok).toBe(false);
    }
    const result = importJsonConfig('{"no_smart_turn": true}', defaults);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toContain('"smart_turn": false');
  });

  it('keeps the current API keys, since exports never hold them', () => {
    const result = importJsonConfig(exportJsonConfig(defaults), { ...defaults, openai_stt_api_key: 'kept' });
    expect(result.ok && result.settings.openai_stt_api_key).toBe('kept');
  });
});
