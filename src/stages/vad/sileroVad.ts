/**
 * Silero VAD (v5 or v6) on onnxruntime-web: the speech probability of each 512-sample frame of
 * 16 kHz audio. Each frame is fed with the last 64 samples of the one before it, as Silero's own
 * wrapper does; v6 hardly ever fires without that context.
 */
import * as ort from 'onnxruntime-web/wasm';

export const SILERO_FRAME_SAMPLES = 512;
export const SILERO_CONTEXT_SAMPLES = 64;
export const SILERO_SAMPLE_RATE = 16_000;

export class SileroVad {
  private state: ort.Tensor;
  private readonly input = new Float32Array(SILERO_CONTEXT_SAMPLES + SILERO_FRAME_SAMPLES);
  private readonly inputTensor = new ort.Tensor('float32', this.input, [1, this.input.length]);
  private readonly sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(SILERO_SAMPLE_RATE)]), []);

  private constructor(private readonly session: ort.InferenceSession) {
    this.state = SileroVad.zeroState();
  }

  /** Loads the model from its bytes; throws a sentence that says what to do if they are not a Silero model. */
  static async load(model: Uint8Array): Promise<SileroVad> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
    } catch (error) {
      throw new Error(`The voice activity model could not be loaded (${error instanceof Error ? error.message : String(error)}). Reload the page; if it persists, the model file is corrupt.`, { cause: error });
    }
    const expected = ['input', 'state', 'sr'];
    if (!expected.every((name) => session.inputNames.includes(name)) || !session.outputNames.includes('stateN')) {
      await session.release();
      throw new Error(`The voice activity model has inputs ${session.inputNames.join(', ')}, not Silero VAD's input, state and sr.`);
    }
    return new SileroVad(session);
  }

  private static zeroState(): ort.Tensor {
    return new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }

  /** Speech probability of one 512-sample frame; frames must come in order. */
  async probability(frame: Float32Array): Promise<number> {
    if (frame.length !== SILERO_FRAME_SAMPLES) throw new RangeError(`Silero takes ${SILERO_FRAME_SAMPLES}-sample frames, not ${frame.length}.`);
    // One input buffer for every frame: onnxruntime copies it into the model when the run starts.
    this.input.set(frame, SILERO_CONTEXT_SAMPLES);
    const outputs = await this.session.run({ input: this.inputTensor, state: this.state, sr: this.sampleRate });
    this.state = outputs.stateN as ort.Tensor;
    // The next frame's context: the end of this one.
    this.input.set(frame.subarray(SILERO_FRAME_SAMPLES - SILERO_CONTEXT_SAMPLES), 0);
    return (outputs.output?.data as Float32Array)[0] ?? 0;
  }

  /** Forgets the audio heard so far, as at the start of a new stream. */
  reset(): void {
    this.state = SileroVad.zeroState();
    this.input.fill(0);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
