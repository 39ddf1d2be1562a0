/**
 * What every language model backend is to the rest of the app: loaded for the settings (with
 * progress), then, given the messages, a stream of the reply's speakable text (reasoning already
 * removed), which stops promptly when the signal aborts (barge-in, a reopened turn), leaving the
 * backend ready for the next request; disposed when the settings choose another.
 */
import type { LoadProgress } from '../../models/loadProgress';
import type { SettingKey, Settings } from '../../settings/schema';
import type { StageError } from '../../worker/stageError';
import type { Message } from './message';
import type { ReplyPart, ToolSpec } from './tools';

/** Every setting the language model backends read: all they are given of the settings. */
export const LANGUAGE_MODEL_SETTINGS = [
  'llm_backend',
  'model_name',
  'device',
  'llm_device',
  'llm_torch_dtype',
  'models_base_url',
  'llm_gen_max_new_tokens',
  'llm_gen_min_new_tokens',
  'llm_gen_temperature',
  'llm_gen_do_sample',
  'llm_gen_kwargs',
  'responses_api_base_url',
  'responses_api_api_key',
  'responses_api_stream',
  'responses_api_disable_thinking',
  'responses_api_reasoning_effort',
  'responses_api_audio_max_tokens',
  'responses_api_audio_temperature',
  'responses_api_audio_history_turns',
] as const satisfies readonly SettingKey[];

export type LanguageModelSettings = Pick<Settings, (typeof LANGUAGE_MODEL_SETTINGS)[number]>;

export interface LanguageModelBackend {
  /** Whether a background compaction may run beside a reply (a server), or must give way to it (one local engine). */
  readonly concurrent: boolean;
  /** Whether text arrives as it is generated; a single answer is spoken whole, as the reference does. */
  readonly streamed: boolean;
  /** What answers, for the page ("WebGPU (...), q4f16 weights", a server's address). */
  readonly description: string;
  /** The reply as it comes: text, and (where the backend offers `tools` to its model) the calls the model makes. */
  stream(messages: readonly Message[], signal: AbortSignal, tools?: readonly ToolSpec[]): AsyncIterable<ReplyPart>;
  /** Generation settings (`llm_gen_*`...) for the replies from now on. */
  configure(settings: LanguageModelSettings): void;
  /** Frees the model (a local one's worker and memory). */
  dispose(): void;
}

/** Load progress: files as they download, or (web-llm) one fraction with a line of text. */
export interface LanguageModelProgress {
  readonly onFile: (progress: LoadProgress) => void;
  readonly onStep: (fraction: number, text: string) => void;
  /** The loaded backend cannot answer any more (its worker crashed, stopped answering, lost its GPU). */
  readonly onStopped?: (error: StageError) => void;
}

/** Loads a backend for the settings; rejects with a sentence that says what to check. */
export type LanguageModelLoader = (settings: LanguageModelSettings, progress: LanguageModelProgress) => Promise<LanguageModelBackend>;
