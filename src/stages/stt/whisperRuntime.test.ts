import { describe, expect, it } from 'vitest';
import { transformersLocation } from '../../models/transformersLocation';
import { defaultSettings } from '../../settings/schema';
import { StickyLanguage, isEnglishOnly, reportedLanguage, whisperGenerateOptions, whisperThreads } from './whisperRuntime';

const settings = defaultSettings();

describe('Whisper options and languages', () => {
  it('forwards stt_gen_* and the fixed language, but neither language nor task to English-only models', () => {
    const multilingual = { ...settings, stt_model_name: 'onnx-community/whisper-base', stt_gen_kwargs: { no_repeat_ngram_size: 3 }, stt_gen_task: 'translate' as const };
    expect(whisperGenerateOptions(multilingual, 'fr')).toEqual({ no_repeat_ngram_size: 3, max_new_tokens: 128, num_beams: 1, return_timestamps: false, task: 'translate', language: 'fr' });
    expect(whisperGenerateOptions({ ...multilingual, stt_model_name: 'onnx-community/whisper-tiny.en' }, 'fr')).toEqual({ no_repeat_ngram_size: 3, max_new_tokens: 128, num_beams: 1, return_timestamps: false });
  });

  it('reports en for .en models, the fixed language, or the detected one with -auto', () => {
    expect(isEnglishOnly('onnx-community/whisper-tiny.en')).toBe(true);
    expect(reportedLanguage({ language: 'fr', stt_model_name: 'onnx-community/whisper-tiny.en' }, 'fr')).toBe('en');
    expect(reportedLanguage({ language: 'de', stt_model_name: 'onnx-community/whisper-base' }, null)).toBe('de');
    expect(reportedLanguage({ language: 'auto', stt_model_name: 'onnx-community/whisper-base' }, 'ja')).toBe('ja-auto');
  });
});

describe('StickyLanguage', () => {
  it('remembers detected languages of the sticky list, and overrules others with the last one', () => {
    const sticky = new StickyLanguage();
    expect(sticky.choose('cy')).toBe('cy');
    expect(sticky.remembered).toBeNull();
    expect(sticky.choose('fr')).toBe('fr');
    expect(sticky.choose('ht')).toBe('fr');
    expect(sticky.choose(null)).toBe('fr');
    expect(sticky.choose('de')).toBe('de');
    expect(sticky.remembered).toBe('de');
  });
});

describe('transformersLocation', () => {
  const page = 'https://app.example/index.html';
  it('uses a local path on this site, the hub layout on the hub, and plain folders elsewhere', () => {
    expect(transformersLocation('/models/', page)).toMatchObject({ allowLocalModels: true, allowRemoteModels: false, localModelPath: '/models/' });
    expect(transformersLocation('https://huggingface.co/', page)).toMatchObject({ allowRemoteModels: true, remoteHost: 'https://huggingface.co/', remotePathTemplate: '{model}/resolve/{revision}/' });
    expect(transformersLocation('https://intranet.example/ml', page)).toMatchObject({ remoteHost: 'https://intranet.example/ml/', remotePathTemplate: '{model}/' });
  });
});

describe('whisperThreads', () => {
  it('takes half the cores, at most 4', () => {
    expect([1, 2, 3, 4, 6, 8, 16].map(whisperThreads)).toEqual([1, 1, 2, 2, 3, 4, 4]);
  });
});

