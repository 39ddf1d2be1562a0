import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { transformersLocation } from '../../models/transformersLocation';
import { defaultSettings } from '../../settings/schema';
import { SHARED_MODELS, sharedModelFile } from '../../sharedModels.testSupport';
import type { LoadProgress } from '../../models/loadProgress';
import { configureLocation } from '../../models/transformersLoading';
import { WhisperEngine } from './whisperEngine';
import { whisperGenerateOptions } from './whisperRuntime';
import { normalizedWords, wordErrorRate } from './wordErrorRate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const settings = { ...defaultSettings(), stt_model_name: 'onnx-community/whisper-tiny.en' };

describe('WhisperEngine with the real Whisper tiny.en', () => {
  it('loads from a models folder with progress, and transcribes', async () => {
    // Node reads a folder path where the browser reads a path on its own site.
    configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
    const progress: LoadProgress[] = [];
    const engine = await WhisperEngine.load(settings.stt_model_name, { device: 'cpu' as 'wasm', dtype: 'q8', reason: 'test' }, (event) => progress.push(event));
    expect(engine.multilingual).toBe(false);
    expect(progress.some((event) => event.file.endsWith('encoder_model_quantized.onnx') && event.done)).toBe(true);
    const text = await engine.transcribe(decodeWav(sharedModelFile('test-audio/capital_of_france.wav')).samples, whisperGenerateOptions(settings, null));
    expect(text).toBe('What is the capital of France?');
    expect(await engine.detectLanguage(new Float32Array(16_000))).toBe('en');
    await engine.dispose();
  }, 60_000);

  it('transcribes a turn longer than Whisper’s 30 s window whole, to its last sentence', async () => {
    configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
    const engine = await WhisperEngine.load(settings.stt_model_name, { device: 'cpu' as 'wasm', dtype: 'q8', reason: 'test' });
    // 45 s of ten different sentences (e2e/fixtures/make-speech-clips.sh).
    const folder = join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'speech');
    const audio = decodeWav(readFileSync(join(folder, 'long-turn.wav'))).samples;
    const reference = readFileSync(join(folder, 'long-turn.txt'), 'utf8');
    expect(audio.length / 16_000).toBeGreaterThan(45);
    const text = await engine.transcribe(audio, whisperGenerateOptions(settings, null));
    // Cut at 30 s it would end at "Our dog will come." (32 % of the words lost).
    expect(wordErrorRate([{ reference, hypothesis: text }])).toBeLessThan(0.08);
    expect(normalizedWords(text).slice(-5)).toEqual(['tell', 'me', 'what', 'they', 'cost']);
    await engine.dispose();
  }, 120_000);

  it('says which model failed to load and what to check', async () => {
    configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
    await expect(WhisperEngine.load('onnx-community/no-such-whisper', { device: 'cpu' as 'wasm', dtype: 'q8', reason: 'test' })).rejects.toThrow(
      'The speech-to-text model onnx-community/no-such-whisper could not be loaded',
    );
  });
});
