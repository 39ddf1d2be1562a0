/**
 * Whisper through transformers.js: loading (with per-file download progress; transformers.js
 * keeps the files in Cache Storage), transcribing, and for `language auto` on multilingual models,
 * detecting the language, which transformers.js does not do (it assumes English).
 */
import { Tensor, pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import type { LoadProgress } from '../../models/loadProgress';
import { fileProgressCallback, loadFailureReason, loadWithCacheRetry } from '../../models/transformersLoading';
import { TranscriptionError } from './errors';
import type { WhisperRuntime } from './whisperRuntime';

/** What Whisper hears at once. */
export const WHISPER_WINDOW_S = 30;
/** How far consecutive windows of a long turn overlap, on each side. */
const WINDOW_OVERLAP_S = 5;

export class WhisperEngine {
  private constructor(
    private readonly asr: AutomaticSpeechRecognitionPipeline,
    readonly multilingual: boolean,
  ) {}

  static async load(modelId: string, runtime: WhisperRuntime, onProgress?: (progress: LoadProgress) => void): Promise<WhisperEngine> {
    let asr: AutomaticSpeechRecognitionPipeline;
    try {
      asr = await loadWithCacheRetry(() =>
        pipeline('automatic-speech-recognition', modelId, {
          device: runtime.device,
          dtype: runtime.dtype as never,
          progress_callback: fileProgressCallback(onProgress),
        }),
      );
    } catch (error) {
      const reason = loadFailureReason(error);
      throw new TranscriptionError('model-load', `The speech-to-text model ${modelId} could not be loaded (${reason}). Check stt_model_name, models_base_url and your connection, then start again.`, 'load', { cause: error });
    }
    const config = asr.model.generation_config as { is_multilingual?: boolean } | null;
    return new WhisperEngine(asr, Boolean(config?.is_multilingual));
  }

  /**
   * Transcribes 16 kHz mono audio. `options` are Whisper's generation options. Whisper hears 30 s
   * at a time: a longer turn is cut into 30 s windows that overlap by 5 s on each side, and the
   * pieces are joined where they overlap, so nothing after the first 30 s is lost.
   */
  async transcribe(audio: Float32Array, options: Record<string, unknown>): Promise<string> {
    const long = audio.length > WHISPER_WINDOW_S * 16_000;
    const output = (await this.asr(audio, long ? { ...options, chunk_length_s: WHISPER_WINDOW_S, stride_length_s: WINDOW_OVERLAP_S } : options)) as { text: string };
    return output.text.trim();
  }

  /**
   * The most likely language code: the first decoder step after <|startoftranscript|>, restricted
   * to Whisper's language tokens (as Whisper's own detect_language does).
   */
  async detectLanguage(audio: Float32Array): Promise<string | null> {
    if (!this.multilingual) return 'en';
    const config = this.asr.model.generation_config as { lang_to_id?: Record<string, number>; decoder_start_token_id?: number } | null;
    const languages = Object.entries(config?.lang_to_id ?? {});
    if (languages.length === 0 || config?.decoder_start_token_id === undefined) return null;
    const { input_features } = (await this.asr.processor(audio)) as { input_features: Tensor };
    const decoderInputIds = new Tensor('int64', BigInt64Array.from([BigInt(config.decoder_start_token_id)]), [1, 1]);
    const { logits } = (await this.asr.model({ input_features, decoder_input_ids: decoderInputIds })) as { logits: Tensor };
    const scores = logits.data as Float32Array;
    const vocabulary = logits.dims.at(-1) ?? scores.length;
    const offset = scores.length - vocabulary;
    let best: [string, number] | null = null;
    for (const [token, id] of languages) {
      const score = scores[offset + id] ?? -Infinity;
      if (!best || score > best[1]) best = [token, score];
    }
    return best ? best[0].replace(/^<\|/, '').replace(/\|>$/, '') : null;
  }

  async dispose(): Promise<void> {
    await this.asr.dispose();
  }
}
