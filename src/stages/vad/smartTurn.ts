/**
 * Smart Turn v3.2 (pipecat-ai/smart-turn-v3), the end-of-turn classifier: the probability that the
 * speaker has finished, from the Whisper log-mel features of the last 8 s of their turn. Runs on
 * onnxruntime-web; its Whisper features are computed in plain arithmetic (`whisperFeatures.ts`), so
 * the VAD worker holds one WebAssembly runtime.
 */
import * as ort from 'onnxruntime-web/wasm';
import { WhisperFeatures } from './whisperFeatures';

const SAMPLE_RATE = 16_000;
const WINDOW_SAMPLES = 8 * SAMPLE_RATE;

/** The last 8 s, zero-padded at the start, normalised to zero mean and unit variance, as the reference prepares it. */
export function smartTurnWindow(audio: Float32Array): Float32Array {
  const window = new Float32Array(WINDOW_SAMPLES);
  const tail = audio.subarray(Math.max(0, audio.length - WINDOW_SAMPLES));
  window.set(tail, WINDOW_SAMPLES - tail.length);
  let mean = 0;
  for (const value of window) mean += value;
  mean /= window.length;
  let variance = 0;
  for (const value of window) variance += (value - mean) ** 2;
  variance /= window.length;
  const scale = 1 / Math.sqrt(variance + 1e-7);
  for (let i = 0; i < window.length; i++) window[i] = ((window[i] as number) - mean) * scale;
  return window;
}

export class SmartTurn {
  private readonly features = new WhisperFeatures();

  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(model: Uint8Array): Promise<SmartTurn> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    } catch (error) {
      throw new Error(`The Smart Turn model could not be loaded (${error instanceof Error ? error.message : String(error)}). Check smart_turn_model_path, or turn Smart Turn off.`, { cause: error });
    }
    if (!session.inputNames.includes('input_features') || !session.outputNames.includes('logits')) {
      await session.release();
      throw new Error(`The Smart Turn model has inputs ${session.inputNames.join(', ')}, not input_features: check smart_turn_model_path.`);
    }
    return new SmartTurn(session);
  }

  /** Probability that the turn is complete. */
  async probability(turnAudio: Float32Array): Promise<number> {
    const features = this.features.logMel(smartTurnWindow(turnAudio));
    const outputs = await this.session.run({ input_features: new ort.Tensor('float32', features, [1, 80, features.length / 80]) });
    // Named logits, but already a sigmoid probability.
    return (outputs.logits?.data as Float32Array)[0] ?? 0;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
