/**
 * How Whisper is asked: the generation options from the `stt_gen_*` settings, and the language to
 * ask for and to report. (Its device and dtype come from the runtime policy.)
 */
import type { Runtime } from '../../models/runtimePolicy';
import type { Settings } from '../../settings/schema';

export type WhisperRuntime = Runtime;

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

/**
 * WASM threads for a Whisper worker: onnxruntime-web's default, half the cores (at most 4), so one
 * on a two-core machine. Measured there (`npm run bench`, "speech to text with audio running"),
 * two threads cut Whisper's real-time factor from 0.70 to 0.47 with the VAD's frames as timely
 * beside it; but a page opened right after one that had run Whisper on two threads then loaded
 * Whisper in 13.3 s instead of 4.1 s (the old page's threads outlive it for a while), which a
 * reload or a second visit would pay. One thread keeps every load predictable.
 */
export function whisperThreads(cores: number): number {
  return Math.min(4, Math.ceil(Math.max(1, cores) / 2));
}
