/**
 * Kokoro through kokoro-js (on the app's transformers.js): loading with per-file progress, the
 * voice files (kokoro-js always reads them from the hub's address, so for another models location
 * they are put in its cache first), and speech for one sentence batch at a time.
 */
import { KokoroTTS } from 'kokoro-js';
import type { LoadProgress } from '../../models/loadProgress';
import type { Runtime } from '../../models/runtimePolicy';
import { fileProgressCallback, loadFailureReason, loadWithCacheRetry } from '../../models/transformersLoading';
import { SpeechError } from './errors';
import { KOKORO_VOICE_CACHE, KOKORO_VOICE_URL, isQuotaError } from '../../models/modelCache';
import { modelFileUrl } from '../../models/modelLocation';


export type KokoroVoice = keyof KokoroTTS['voices'];

export class KokoroEngine {
  private readonly seeded = new Set<string>();

  private constructor(
    private readonly tts: KokoroTTS,
    private readonly modelId: string,
    private readonly modelsBase: URL | null,
  ) {}

  /** `modelsBase` null: Node, where kokoro-js reads voices from its own package. */
  static async load(modelId: string, runtime: Pick<Runtime, 'device' | 'dtype'>, modelsBase: URL | null, onProgress?: (progress: LoadProgress) => void): Promise<KokoroEngine> {
    try {
      const tts = await loadWithCacheRetry(() => KokoroTTS.from_pretrained(modelId, { dtype: runtime.dtype as 'fp32' | 'q8', device: runtime.device, progress_callback: fileProgressCallback(onProgress) }));
      return new KokoroEngine(tts, modelId, modelsBase);
    } catch (error) {
      const reason = loadFailureReason(error);
      throw new SpeechError('model-load', `The Kokoro model ${modelId} could not be loaded (${reason}). Check kokoro_model_name, models_base_url and your connection.`, 'load', { cause: error });
    }
  }

  /** The voices kokoro-js can speak (its English ones). */
  get voices(): string[] {
    return Object.keys(this.tts.voices);
  }

  /** Whether kokoro-js knows the voice (only its English voices). */
  hasVoice(voice: string): voice is KokoroVoice {
    return Object.hasOwn(this.tts.voices, voice);
  }

  /** Speech for `text` at 24 kHz. */
  async synthesize(text: string, voice: KokoroVoice, speed: number): Promise<{ samples: Float32Array; sampleRate: number }> {
    await this.prepareVoice(voice);
    const audio = await this.tts.generate(text, { voice, speed });
    // Kokoro speaks mono: one channel.
    const samples = Array.isArray(audio.audio) ? (audio.audio[0] ?? new Float32Array(0)) : audio.audio;
    return { samples, sampleRate: audio.sampling_rate };
  }

  /**
   * Puts a voice where kokoro-js looks for it (its cache, under the hub's address, which is the
   * only place it reads), from the models location; at load for the configured voice, so the
   * first reply does not wait for it and the download is done with the model's.
   */
  async prepareVoice(voice: string): Promise<void> {
    if (!this.modelsBase || this.seeded.has(voice)) return;
    const cache = await caches.open(KOKORO_VOICE_CACHE);
    const key = `${KOKORO_VOICE_URL}${voice}.bin`;
    if (!(await cache.match(key))) {
      const url = modelFileUrl(this.modelsBase, this.modelId, `voices/${voice}.bin`);
      const response = await fetch(url);
      if (!response.ok) throw new SpeechError('synthesis', `The Kokoro voice ${voice} is not at ${url} (HTTP ${response.status}). Check kokoro_voice and models_base_url.`);
      try {
        await cache.put(key, new Response(await response.arrayBuffer()));
      } catch (error) {
        // No room to keep it: kokoro-js downloads it itself when it speaks.
        if (!isQuotaError(error)) throw error;
      }
    }
    this.seeded.add(voice);
  }
}
