import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { transformersLocation } from '../../models/transformersLocation';
import { defaultSettings } from '../../settings/schema';
import { SHARED_MODELS, sharedModelFile } from '../../sharedModels.testSupport';
import type { LoadProgress } from '../../models/loadProgress';
import { configureLocation } from '../../models/transformersLoading';
import { WhisperEngine } from './whisperEngine';
import { whisperGenerateOptions } from './whisperRuntime';

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

  it('says which model failed to load and what to check', async () => {
    configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
    await expect(WhisperEngine.load('onnx-community/no-such-whisper', { device: 'cpu' as 'wasm', dtype: 'q8', reason: 'test' })).rejects.toThrow(
      'The speech-to-text model onnx-community/no-such-whisper could not be loaded',
    );
  });
});
