import { describe, expect, it } from 'vitest';
import { LANGUAGE_MODEL_SETTINGS } from '../stages/llm';
import { TRANSCRIBER_SETTINGS } from '../stages/stt';
import { WHISPER_WORKER_SETTINGS } from '../stages/stt/sttProtocol';
import { VOICE_SETTINGS } from '../stages/tts';
import { LISTENER_SETTINGS } from '../stages/vad';
import { TURN_DETECTOR_SETTINGS } from '../stages/vad/turnDetector';
import { entryOf, type SettingKey } from './schema';

const secrets = (keys: readonly SettingKey[]) => keys.filter((key) => entryOf(key).secret);

describe('the settings each stage is given', () => {
  it('workers are given no API key at all', () => {
    expect(secrets(TURN_DETECTOR_SETTINGS)).toEqual([]);
    expect(secrets(WHISPER_WORKER_SETTINGS)).toEqual([]);
    expect(secrets(LISTENER_SETTINGS)).toEqual([]);
  });

  it('a stage on the page is given only its own endpoint’s key, with that endpoint', () => {
    expect(secrets(TRANSCRIBER_SETTINGS)).toEqual(['openai_stt_api_key']);
    expect(secrets(LANGUAGE_MODEL_SETTINGS)).toEqual(['responses_api_api_key']);
    expect(secrets(VOICE_SETTINGS)).toEqual(['openai_tts_api_key']);
    for (const keys of [TRANSCRIBER_SETTINGS, LANGUAGE_MODEL_SETTINGS, VOICE_SETTINGS] as readonly (readonly SettingKey[])[]) {
      for (const key of secrets(keys)) expect(keys).toContain(entryOf(key).keyFor);
    }
  });
});
