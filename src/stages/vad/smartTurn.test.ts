import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { sharedModelFile } from '../../sharedModels.testSupport';
import { SmartTurn, smartTurnWindow } from './smartTurn';

const standIn = () => sharedModelFile('test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx');
const clip = (name: string) => decodeWav(sharedModelFile(`test-audio/${name}.wav`)).samples;

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe('smartTurnWindow', () => {
  it('keeps the last 8 s, pads short audio with zeros at the start, and normalises', () => {
    const short = smartTurnWindow(Float32Array.from({ length: 16_000 }, (_, i) => (i % 2 ? 0.5 : -0.5)));
    expect(short.length).toBe(128_000);
    const mean = short.reduce((sum, value) => sum + value, 0) / short.length;
    const variance = short.reduce((sum, value) => sum + (value - mean) ** 2, 0) / short.length;
    expect(mean).toBeCloseTo(0, 5);
    expect(variance).toBeCloseTo(1, 3);
    // The padding is at the start: the first sample is padding, the last is audio.
    expect(short[0]).toBeCloseTo(short[1000] as number, 6);
    expect(short.at(-1)).not.toBeCloseTo(short[0] as number, 2);
    const long = Float32Array.from({ length: 200_000 }, (_, i) => (i >= 72_000 ? 1 : 0) + (i % 2) * 0.01);
    expect(smartTurnWindow(long).every((value) => Number.isFinite(value))).toBe(true);
  });

  it('survives pure silence (no division by zero)', () => {
    expect(smartTurnWindow(new Float32Array(100)).every((value) => value === 0)).toBe(true);
  });
});

describe('SmartTurn with the stand-in model', () => {
  it('gives a probability from the features of the turn, deterministic and input-dependent', async () => {
    const smartTurn = await SmartTurn.load(standIn());
    const france = await smartTurn.probability(clip('capital_of_france'));
    expect(france).toBeGreaterThanOrEqual(0);
    expect(france).toBeLessThanOrEqual(1);
    expect(await smartTurn.probability(clip('capital_of_france'))).toBe(france);
    // The stand-in's own verification: 0.2300 for this clip and 0.8714 for 1 s of silence.
    expect(france).toBeCloseTo(0.23, 1);
    expect(await smartTurn.probability(new Float32Array(16_000))).toBeCloseTo(0.8714, 1);
    await smartTurn.release();
  });

  it('says what to do when the file is not a Smart Turn model', async () => {
    await expect(SmartTurn.load(new Uint8Array(8))).rejects.toThrow('smart_turn_model_path');
    const silero = readFileSync(new URL('../../../node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx', import.meta.url));
    await expect(SmartTurn.load(silero)).rejects.toThrow('not input_features');
  });
});
