import { describe, expect, it } from 'vitest';
import { configureLocation } from '../../models/transformersLoading';
import { transformersLocation } from '../../models/transformersLocation';
import { SHARED_MODELS } from '../../sharedModels.testSupport';
import { KokoroEngine } from './kokoroEngine';

// The Kokoro-shaped stand-in: real tokenizer and voices, a tone generator of the real length (600 samples per phoneme frame).
describe('KokoroEngine with the Kokoro stand-in', () => {
  it('speaks a sentence batch at 24 kHz, longer text giving longer audio, and names a bad model', async () => {
    configureLocation({ ...transformersLocation('/models/', 'http://localhost/'), localModelPath: `${SHARED_MODELS}/` });
    const engine = await KokoroEngine.load('test/tiny-random-kokoro', { device: 'cpu' as 'wasm', dtype: 'fp32' }, null);
    expect(engine.hasVoice('af_heart')).toBe(true);
    expect(engine.hasVoice('zz_nobody')).toBe(false);
    const short = await engine.synthesize('Hello.', 'af_heart', 1);
    const long = await engine.synthesize('Hello, this is a test of the speech pipeline.', 'af_heart', 1);
    expect(short.sampleRate).toBe(24_000);
    expect(long.samples.length).toBe(28_800);
    expect(long.samples.length).toBeGreaterThan(short.samples.length);
    const faster = await engine.synthesize('Hello, this is a test of the speech pipeline.', 'af_heart', 2);
    expect(faster.samples.length).toBe(14_400);
    await expect(KokoroEngine.load('test/no-such-kokoro', { device: 'cpu' as 'wasm', dtype: 'fp32' }, null)).rejects.toThrow('The Kokoro model test/no-such-kokoro could not be loaded');
  }, 60_000);
});
