import { describe, expect, it } from 'vitest';
import { defaultSettings, pickSettings } from '../../settings/schema';
import type { LocalSpeech, LocalVoiceModel } from './localSpeech';
import { VOICE_SETTINGS, VoiceModels, type VoiceSettings, type VoiceStatus } from './voiceModels';
import { StageError } from '../../worker/stageError';

const settings = (overrides: Partial<VoiceSettings> = {}): VoiceSettings => ({ ...pickSettings(defaultSettings(), VOICE_SETTINGS), ...overrides });
const signal = new AbortController().signal;

/** Local models that say which voice (Kokoro) or model (MMS) spoke each batch. */
function fakeModels(voices: readonly string[] = ['af_heart', 'bm_fable']) {
  const loads: string[] = [];
  const spoken: string[] = [];
  const load = (model: LocalVoiceModel) => {
    loads.push(model.modelId);
    const speech = {
      voices,
      runtime: { device: 'wasm', dtype: 'q8', reason: 'WASM, q8 weights' },
      speak: (text: string, voice: { voice: string }) => {
        spoken.push(`${model.modelId}/${voice.voice}: ${text}`);
        return Promise.resolve(new Float32Array(10));
      },
      dispose: () => undefined,
    };
    return Promise.resolve(speech as unknown as LocalSpeech);
  };
  return { load, loads, spoken };
}

describe('VoiceModels', () => {
  it('each reply is spoken in its own language: a later reply in another language does not change one already chosen', async () => {
    const { load, spoken, loads } = fakeModels(['af_heart', 'bm_fable', 'ff_siwis']);
    const notices: (string | null)[] = [];
    const voices = new VoiceModels((status: VoiceStatus) => status.kind === 'notice' && notices.push(status.notice), load);
    const english = voices.forReply(settings(), 'en', 48_000);
    await english.speak('Hello.', signal);
    const french = voices.forReply(settings(), 'fr', 48_000);
    await french.speak('Bonjour.', signal);
    // The English reply goes on with its own voice.
    await english.speak('Still English.', signal);
    // No language (a typed message): the voice followed so far.
    await voices.forReply(settings(), null, 48_000).speak('Typed.', signal);
    expect(spoken.map((line) => line.split('/').pop())).toEqual(['bm_fable: Hello.', 'ff_siwis: Bonjour.', 'bm_fable: Still English.', 'ff_siwis: Typed.']);
    expect(loads).toHaveLength(1);
    voices.resetLanguage();
    await voices.forReply(settings(), null, 48_000).speak('Fresh.', signal);
    expect(spoken.at(-1)).toContain(`${defaultSettings().kokoro_voice}: Fresh.`);
    expect(notices.at(-1)).toBeNull();
  });

  it('says so when Kokoro has no voice for the language, and speaks with the current one', async () => {
    const { load, spoken } = fakeModels();
    const notices: (string | null)[] = [];
    const voices = new VoiceModels((status) => status.kind === 'notice' && notices.push(status.notice), load);
    await voices.forReply(settings(), 'fr-auto', 48_000).speak('Bonjour.', signal);
    expect(spoken).toEqual(['onnx-community/Kokoro-82M-v1.0-ONNX/bm_fable: Bonjour.']);
    expect(notices.at(-1)).toBe('Kokoro in the browser has English voices only, so a reply in French is spoken with bm_fable. Choose tts openai or web-speech to hear it in its own language.');
  });

  it('MMS loads the model of the reply’s language, and English where it has none', async () => {
    const { load, loads } = fakeModels([]);
    const notices: (string | null)[] = [];
    const voices = new VoiceModels((status) => status.kind === 'notice' && notices.push(status.notice), load);
    await voices.forReply(settings({ tts: 'facebookMMS' }), 'fr', 48_000).speak('Bonjour.', signal);
    await voices.forReply(settings({ tts: 'facebookMMS' }), 'xx', 48_000).speak('Hm.', signal);
    expect(loads).toEqual(['Xenova/mms-tts-fra', 'Xenova/mms-tts-eng']);
    expect(notices.at(-1)).toContain('MMS has no voice for');
  });

  it('a failed load is reported and tried again with the next batch', async () => {
    let calls = 0;
    const statuses: VoiceStatus[] = [];
    const { load } = fakeModels();
    const voices = new VoiceModels(
      (status) => statuses.push(status),
      (model) => (++calls === 1 ? Promise.reject(new Error('The Kokoro model could not be loaded (HTTP 404).')) : load(model)),
    );
    const reply = voices.forReply(settings(), 'en', 48_000);
    await expect(reply.speak('One.', signal)).rejects.toThrow('could not be loaded');
    expect(statuses.at(-1)).toEqual({ kind: 'failed', message: 'The Kokoro model could not be loaded (HTTP 404).' });
    await expect(reply.speak('Two.', signal)).resolves.toHaveLength(10);
  });
});

describe('VoiceModels when the loaded voice stops', () => {
  it('loads it again by itself once and says so; a second stop soon after waits for the next reply', async () => {
    const stops: ((error: StageError) => void)[] = [];
    const statuses: VoiceStatus[] = [];
    const { load, loads } = fakeModels();
    const voices = new VoiceModels(
      (status) => statuses.push(status),
      (model, _settings, _rate, _progress, onStopped) => {
        stops.push(onStopped);
        return load(model);
      },
    );
    await voices.forReply(settings(), null, 48_000).speak('One.', signal);
    stops[0]?.(new StageError('crashed', 'The voice worker stopped (out of memory).'));
    expect(statuses.find((status) => status.kind === 'stopped')).toEqual({ kind: 'stopped', message: 'The voice worker stopped (out of memory).', restarting: true });
    await expect.poll(() => loads).toHaveLength(2);
    stops[1]?.(new StageError('gpu-lost', 'The GPU stopped working (device lost).'));
    expect(statuses.at(-1)).toEqual({ kind: 'stopped', message: 'The GPU stopped working (device lost). The voice can load again on the CPU (WASM).', restarting: false });
    expect(loads).toHaveLength(2);
    // The next reply brings it back.
    await expect(voices.forReply(settings(), null, 48_000).speak('Two.', signal)).resolves.toHaveLength(10);
    expect(loads).toHaveLength(3);
  });
});
