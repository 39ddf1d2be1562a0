import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { sharedModelFile } from '../../sharedModels.testSupport';
import { SILERO_FRAME_SAMPLES, SileroVad } from './sileroVad';

const modelBytes = (version: string) => readFileSync(new URL(`../../../node_modules/@ricky0123/vad-web/dist/silero_vad_${version}.onnx`, import.meta.url));
const clip = (name: string) => decodeWav(sharedModelFile(`test-audio/${name}.wav`)).samples;

function frames(samples: Float32Array): Float32Array[] {
  const result: Float32Array[] = [];
  for (let offset = 0; offset + SILERO_FRAME_SAMPLES <= samples.length; offset += SILERO_FRAME_SAMPLES) result.push(samples.slice(offset, offset + SILERO_FRAME_SAMPLES));
  return result;
}

/** First and last frame above 0.5, in seconds. */
function speechSpan(probabilities: number[]): [number, number] | null {
  const first = probabilities.findIndex((p) => p > 0.5);
  const last = probabilities.findLastIndex((p) => p > 0.5);
  return first < 0 ? null : [(first * SILERO_FRAME_SAMPLES) / 16_000, ((last + 1) * SILERO_FRAME_SAMPLES) / 16_000];
}

beforeAll(() => {
  // Node has no threads for onnxruntime-web; the VAD runs on one thread in the browser too.
  ort.env.wasm.numThreads = 1;
});

describe('SileroVad', () => {
  it.each(['v5', 'v6'])('%s finds the speech in each test clip where it is', async (version) => {
    const vad = await SileroVad.load(modelBytes(version));
    for (const name of ['capital_of_france', 'moon', 'timer']) {
      vad.reset();
      const probabilities: number[] = [];
      for (const frame of frames(clip(name))) probabilities.push(await vad.probability(frame));
      const span = speechSpan(probabilities);
      expect(span, name).not.toBeNull();
      // Speech starts at 0.30 s in every clip and ends before 2.5 s.
      expect(span?.[0]).toBeGreaterThan(0.2);
      expect(span?.[0]).toBeLessThan(0.45);
      expect(span?.[1]).toBeGreaterThan(1.8);
      expect(span?.[1]).toBeLessThan(2.6);
    }
    await vad.release();
  });

  it('v6 misses speech when fed bare frames without the 64-sample context', async () => {
    const session = await ort.InferenceSession.create(modelBytes('v6'));
    let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
    const sr = new ort.Tensor('int64', BigInt64Array.from([16_000n]), []);
    const probabilities: number[] = [];
    for (const frame of frames(clip('moon'))) {
      const out = await session.run({ input: new ort.Tensor('float32', frame, [1, frame.length]), state, sr });
      state = out.stateN as ort.Tensor;
      probabilities.push((out.output?.data as Float32Array)[0] ?? 0);
    }
    expect(speechSpan(probabilities)).toBeNull();
  });

  it('says clearly when the file is not a Silero model', async () => {
    await expect(SileroVad.load(new Uint8Array([1, 2, 3]))).rejects.toThrow('could not be loaded');
    const smartTurn = sharedModelFile('test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx');
    await expect(SileroVad.load(smartTurn)).rejects.toThrow('not Silero VAD');
  });

  it('silence stays silence', async () => {
    const vad = await SileroVad.load(modelBytes('v5'));
    for (let i = 0; i < 30; i++) expect(await vad.probability(new Float32Array(SILERO_FRAME_SAMPLES))).toBeLessThan(0.1);
  });
});
