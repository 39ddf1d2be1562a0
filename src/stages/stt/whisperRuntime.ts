/**
 * How Whisper runs here: device and dtype from the GPU probe and the settings, the generation
 * options from the `stt_gen_*` settings, and the language to ask for and to report.
 */
import { chooseDevice, type GpuCapabilities } from '../../models/capabilities';
import type { Settings } from '../../settings/schema';

export type Device = 'webgpu' | 'wasm';
export type WhisperDtype = string | { readonly encoder_model: string; readonly decoder_model_merged: string };

export interface WhisperRuntime {
  readonly device: Device;
  readonly dtype: WhisperDtype;
  /** Why this choice, for the UI. */
  readonly reason: string;
}

type SttSettings = Pick<Settings, 'device' | 'stt_device' | 'stt_torch_dtype'>;

/**
 * WebGPU where the adapter is real hardware; there the encoder runs in fp32 and the decoder in q4
 * (fp16 Whisper decoders are known to loop on some GPUs). Elsewhere WASM with q8 weights.
 */
export function chooseWhisperRuntime(settings: SttSettings, gpu: GpuCapabilities): WhisperRuntime {
  const { device, reason } = chooseDevice(settings.device ?? settings.stt_device, gpu);
  if (settings.stt_torch_dtype !== 'auto') return { device, dtype: settings.stt_torch_dtype, reason: `${reason}, ${settings.stt_torch_dtype} weights` };
  return device === 'webgpu'
    ? { device, dtype: { encoder_model: 'fp32', decoder_model_merged: 'q4' }, reason: `${reason}, fp32 encoder and q4 decoder` }
    : { device, dtype: 'q8', reason: `${reason}, q8 weights` };
}

/** English-only checkpoints (`*.en`) always hear English, whatever `language` says. */
export function isEnglishOnly(modelId: string): boolean {
  return /\.en$/i.test(modelId);
}

type GenSettings = Pick<Settings, 'stt_gen_max_new_tokens' | 'stt_gen_num_beams' | 'stt_gen_return_timestamps' | 'stt_gen_task' | 'stt_gen_kwargs' | 'language' | 'stt_model_name'>;

/** The options of one transcription: the `stt_gen_*` settings, and the language when it is fixed. */
export function whisperGenerateOptions(settings: GenSettings, language: string | null): Record<string, unknown> {
  const options: Record<string, unknown> = {
    ...settings.stt_gen_kwargs,
    max_new_tokens: settings.stt_gen_max_new_tokens,
    num_beams: settings.stt_gen_num_beams,
    return_timestamps: settings.stt_gen_return_timestamps,
  };
  // English-only models take neither a language nor a task.
  if (!isEnglishOnly(settings.stt_model_name)) {
    options.task = settings.stt_gen_task;
    if (language) options.language = language;
  }
  return options;
}

/** The languages the reference remembers once detected (its SUPPORTED_LANGUAGES). */
export const STICKY_LANGUAGES: ReadonlySet<string> = new Set(['en', 'fr', 'es', 'zh', 'ja', 'ko', 'hi', 'de', 'pt', 'pl', 'it', 'nl']);

/**
 * The reference's `language auto`: a detected language from the sticky list is used and
 * remembered; any other detection (often a misdetection on a short utterance) is overruled by
 * the last remembered language, when there is one.
 */
export class StickyLanguage {
  private last: string | null = null;

  get remembered(): string | null {
    return this.last;
  }

  choose(detected: string | null): string | null {
    if (detected !== null && STICKY_LANGUAGES.has(detected)) {
      this.last = detected;
      return detected;
    }
    return this.last ?? detected;
  }
}

/**
 * The language reported with a transcript: `en` for English-only models, the fixed language, or
 * a detected one with the reference's `-auto` suffix.
 */
export function reportedLanguage(settings: Pick<Settings, 'language' | 'stt_model_name'>, detected: string | null): string {
  if (isEnglishOnly(settings.stt_model_name)) return 'en';
  if (settings.language !== 'auto') return settings.language;
  return `${detected ?? 'en'}-auto`;
}
