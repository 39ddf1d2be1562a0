/**
 * MMS text to speech (VITS) through transformers.js's text-to-speech pipeline: one model per
 * language, loaded with per-file progress; speech for one sentence batch at a time.
 */
import { pipeline, type TextToAudioPipeline } from '@huggingface/transformers';
import type { LoadProgress } from '../../models/loadProgress';
import type { Runtime } from '../../models/runtimePolicy';
import { fileProgressCallback, loadFailureReason, loadWithCacheRetry } from '../../models/transformersLoading';
import { SpeechError } from './errors';

export class MmsEngine {
  private constructor(private readonly synthesizer: TextToAudioPipeline) {}

  static async load(modelId: string, runtime: Pick<Runtime, 'device' | 'dtype'>, onProgress?: (progress: LoadProgress) => void): Promise<MmsEngine> {
    try {
      const synthesizer = await loadWithCacheRetry(() => pipeline('text-to-speech', modelId, { device: runtime.device, dtype: runtime.dtype as never, progress_callback: fileProgressCallback(onProgress) }));
      return new MmsEngine(synthesizer);
    } catch (error) {
      const reason = loadFailureReason(error);
      throw new SpeechError('model-load', `The MMS voice ${modelId} could not be loaded (${reason}). Check facebook_mms_model_name or tts_language, models_base_url and your connection.`, 'load', { cause: error });
    }
  }

  /** Speech for `text` at the model's rate (16 kHz for MMS). */
  async synthesize(text: string): Promise<{ samples: Float32Array; sampleRate: number }> {
    const output = await this.synthesizer(text);
    // VITS speaks mono: one channel.
    const samples = Array.isArray(output.audio) ? (output.audio[0] ?? new Float32Array(0)) : output.audio;
    return { samples, sampleRate: output.sampling_rate };
  }

  async dispose(): Promise<void> {
    await this.synthesizer.dispose();
  }
}
