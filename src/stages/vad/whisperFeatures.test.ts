import { readFileSync } from 'node:fs';
import { WhisperFeatureExtractor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { sharedModelFile } from '../../sharedModels.testSupport';
import { smartTurnWindow } from './smartTurn';
import { WhisperFeatures } from './whisperFeatures';

/** transformers.js's extractor with Smart Turn's preprocessing config: what the page computed before. */
const reference = new WhisperFeatureExtractor({
  chunk_length: 8,
  feature_extractor_type: 'WhisperFeatureExtractor',
  feature_size: 80,
  hop_length: 160,
  n_fft: 400,
  n_samples: 128_000,
  nb_max_frames: 800,
  padding_side: 'right',
  padding_value: 0.0,
  return_attention_mask: false,
  sampling_rate: 16_000,
});

async function referenceFeatures(window: Float32Array): Promise<Float32Array> {
  const { input_features: features } = (await reference(window)) as { input_features: { data: Float32Array; dims: number[] } };
  expect(features.dims).toEqual([1, 80, 800]);
  return features.data;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

const speech = (name: string) => decodeWav(sharedModelFile(`test-audio/${name}.wav`)).samples;
const longTurn = () => decodeWav(readFileSync(new URL('../../../e2e/fixtures/speech/long-turn.wav', import.meta.url))).samples;

describe('WhisperFeatures', () => {
  const features = new WhisperFeatures();

  it.each([
    ['a short turn, padded to 8 s', () => speech('capital_of_france')],
    ['the last 8 s of a 45 s turn', () => longTurn()],
    ['two sentences with a pause', () => Float32Array.from([...speech('moon'), ...new Float32Array(8000), ...speech('timer')])],
  ])('gives transformers.js’s Whisper features element-wise (1e-4) on real speech: %s', async (_, audio) => {
    const window = smartTurnWindow(audio());
    const ours = features.logMel(window);
    expect(ours.length).toBe(80 * 800);
    expect(maxDifference(ours, await referenceFeatures(window))).toBeLessThan(1e-4);
  });

  it('gives the same features for silence (every value at the floor) and for a tone', async () => {
    const silence = smartTurnWindow(new Float32Array(16_000));
    expect(maxDifference(features.logMel(silence), await referenceFeatures(silence))).toBeLessThan(1e-4);
    const tone = smartTurnWindow(Float32Array.from({ length: 128_000 }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 16_000)));
    const ours = features.logMel(tone);
    expect(maxDifference(ours, await referenceFeatures(tone))).toBeLessThan(1e-4);
    // A 440 Hz tone peaks in the mel filter centred nearest 440 Hz (the 12th of 80 on Slaney's scale: 6.6 of 45.2 mels, 0.56 apart).
    const frame = Array.from({ length: 80 }, (_, bin) => ours[bin * 800 + 400] as number);
    expect(frame.indexOf(Math.max(...frame))).toBe(11);
  });
});
