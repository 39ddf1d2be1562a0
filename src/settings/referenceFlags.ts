/**
 * Flags of the reference command line that are not settings of this app: renamed older flags,
 * flags of reference backends that the browser replaces (taken as this app's setting where one
 * fits), and flags with no meaning in a browser (accepted with a warning, so a pasted reference
 * command line keeps working). Any other flag is unknown, and an error, as in the reference.
 */
import type { SettingKey } from './schema';

export interface ReferenceFlag {
  /** `bool` flags take an optional value; `value` flags need one. */
  readonly arity: 'value' | 'bool';
  /** Booleans that default to true also have a `--no_<flag>` form. */
  readonly defaultTrue?: boolean;
  /** The setting this flag is taken as; without it, the flag is ignored. */
  readonly mapsTo?: SettingKey;
  /** Rewrites the value for `mapsTo`; `undefined` means the value has no browser equivalent. */
  readonly mapValue?: (value: string) => string | undefined;
  /** Why the flag is mapped or ignored, for the warning. */
  readonly why: string;
}

/** faster-whisper size names and mlx ids -> the transformers.js Whisper models. */
export function whisperModelId(name: string): string | undefined {
  const size = name.split('/').pop()?.replace(/^whisper-/, '') ?? '';
  if (/^(tiny|base|small|medium)(\.en)?$/.test(size)) return `onnx-community/whisper-${size}`;
  if (size === 'large-v3-turbo' || size === 'turbo') return 'onnx-community/whisper-large-v3-turbo';
  return undefined;
}

const NOT_IN_BROWSER = 'it configures the reference’s server or machine and has no meaning in a browser';
const noBrowser = (arity: 'value' | 'bool', why = NOT_IN_BROWSER): ReferenceFlag => ({ arity, why });
const BACKEND_NOT_IN_BROWSER = (backend: string, replacement: string) =>
  `${backend} does not run in a browser; ${replacement} takes its place`;

const QWEN3 = BACKEND_NOT_IN_BROWSER('qwen3 TTS', 'Kokoro');
const POCKET = BACKEND_NOT_IN_BROWSER('Pocket TTS', 'Kokoro');
const CHAT_TTS = BACKEND_NOT_IN_BROWSER('ChatTTS', 'Kokoro');
const SUPERTONIC = BACKEND_NOT_IN_BROWSER('Supertonic', 'Kokoro');
const FASTER_WHISPER = 'faster-whisper is replaced by Whisper in the browser';
const PARAKEET = 'Parakeet is replaced by Whisper in the browser';

export const REFERENCE_FLAGS: ReadonlyMap<string, ReferenceFlag> = new Map<string, ReferenceFlag>([
  // Module and server.
  ['log_level', noBrowser('value', 'the browser console has its own log levels')],
  ['live_transcription_min_silence_ms', noBrowser('value', 'the reference declares it but never reads it')],
  ['enable_llm_proxy', noBrowser('bool')],
  ['llm_proxy_connect_timeout_s', noBrowser('value')],
  ['num_pipelines', noBrowser('value', 'the page is one pipeline for one user')],
  ['host', noBrowser('value')],
  ['port', noBrowser('value')],
  ['mac-optimal-settings', noBrowser('bool', 'the macOS preset picks macOS backends; choose llm_backend web-llm for local GPU kernels')],
  ['local_audio_tool_module', noBrowser('value', 'Python tool modules cannot run in a browser')],
  ['tool_module', noBrowser('value', 'Python tool modules cannot run in a browser')],
  ['local_audio_input_device', noBrowser('value', 'choose the microphone in the page')],
  ['local_audio_output_device', noBrowser('value', 'the page plays through the browser’s audio output')],
  ['local_audio_chunk_size', noBrowser('value', 'the browser’s audio worklets fix their own block size')],
  ['local_audio_print_json', noBrowser('bool')],
  // VAD.
  ['sample_rate', noBrowser('value', 'the browser pipeline always runs at 16 kHz')],
  ['audio_enhancement', noBrowser('bool', 'DeepFilterNet does not run in a browser; the browser’s own noise suppression is used')],
  ['enable_realtime_transcription', noBrowser('bool', 'live transcription is set by enable_live_transcription')],
  ['realtime_processing_pause', noBrowser('value', 'live transcription is paced by live_transcription_update_interval')],
  // STT backends the browser replaces with Whisper.
  ['stt_compile_mode', noBrowser('value', 'torch.compile has no browser counterpart')],
  ['faster_whisper_stt_model_name', { arity: 'value', mapsTo: 'stt_model_name', mapValue: whisperModelId, why: FASTER_WHISPER }],
  ['faster_whisper_stt_device', { arity: 'value', mapsTo: 'stt_device', why: FASTER_WHISPER }],
  ['faster_whisper_stt_compute_type', noBrowser('value', 'set stt_torch_dtype instead')],
  ['faster_whisper_stt_gen_max_new_tokens', { arity: 'value', mapsTo: 'stt_gen_max_new_tokens', why: FASTER_WHISPER }],
  ['faster_whisper_stt_gen_beam_size', { arity: 'value', mapsTo: 'stt_gen_num_beams', why: FASTER_WHISPER }],
  ['faster_whisper_stt_gen_return_timestamps', { arity: 'bool', mapsTo: 'stt_gen_return_timestamps', why: FASTER_WHISPER }],
  ['faster_whisper_stt_gen_task', { arity: 'value', mapsTo: 'stt_gen_task', why: FASTER_WHISPER }],
  ['faster_whisper_stt_gen_language', { arity: 'value', mapsTo: 'language', why: FASTER_WHISPER }],
  ['mlx_audio_whisper_model_name', { arity: 'value', mapsTo: 'stt_model_name', mapValue: whisperModelId, why: 'mlx-audio-whisper is replaced by Whisper in the browser' }],
  ['mlx_audio_whisper_gen_kwargs', noBrowser('value', 'use --stt_gen_<name> flags instead')],
  ['parakeet_tdt_model_name', noBrowser('value', PARAKEET)],
  ['parakeet_tdt_device', { arity: 'value', mapsTo: 'stt_device', why: PARAKEET }],
  ['parakeet_tdt_compute_type', noBrowser('value', 'set stt_torch_dtype instead')],
  ['parakeet_tdt_language', { arity: 'value', mapsTo: 'language', why: PARAKEET }],
  ['paraformer_stt_model_name', noBrowser('value', 'Paraformer is replaced by Whisper in the browser')],
  ['paraformer_stt_device', { arity: 'value', mapsTo: 'stt_device', why: 'Paraformer is replaced by Whisper in the browser' }],
  // LLM.
  ['llm_is_vlm', noBrowser('bool', 'image input is not supported in the browser yet')],
  // TTS backends the browser replaces with Kokoro.
  ['kokoro_blocksize', noBrowser('value', 'Kokoro audio is streamed per sentence batch')],
  ...[
    'qwen3_tts_model_name', 'qwen3_tts_device', 'qwen3_tts_dtype', 'qwen3_tts_attn_implementation',
    'qwen3_tts_backend', 'qwen3_tts_ggml_quantization', 'qwen3_tts_gguf_talker_path', 'qwen3_tts_gguf_codec_path',
    'qwen3_tts_ref_cache_dir', 'qwen3_tts_ref_audio', 'qwen3_tts_ref_spk', 'qwen3_tts_ref_rvq', 'qwen3_tts_ref_text',
    'qwen3_tts_speaker', 'qwen3_tts_instruct', 'qwen3_tts_mlx_quantization', 'qwen3_tts_language',
    'qwen3_tts_streaming_chunk_size', 'qwen3_tts_max_new_tokens', 'qwen3_tts_blocksize',
  ].map((flag): [string, ReferenceFlag] => [flag, noBrowser('value', QWEN3)]),
  ['qwen3_tts_xvec_only', noBrowser('bool', QWEN3)],
  ['qwen3_tts_parity_mode', noBrowser('bool', QWEN3)],
  ['qwen3_tts_non_streaming_mode', { arity: 'bool', defaultTrue: true, why: QWEN3 }],
  ...['pocket_tts_device', 'pocket_tts_voice', 'pocket_tts_sample_rate', 'pocket_tts_blocksize', 'pocket_tts_max_tokens', 'pocket_tts_language'].map(
    (flag): [string, ReferenceFlag] => [flag, noBrowser('value', POCKET)],
  ),
  ['chat_tts_stream', { arity: 'bool', defaultTrue: true, why: CHAT_TTS }],
  ['chat_tts_device', noBrowser('value', CHAT_TTS)],
  ['chat_tts_chunk_size', noBrowser('value', CHAT_TTS)],
  ...['supertonic_tts_voice', 'supertonic_tts_lang', 'supertonic_tts_speed', 'supertonic_tts_blocksize'].map(
    (flag): [string, ReferenceFlag] => [flag, noBrowser('value', SUPERTONIC)],
  ),
]);

/** Flags the reference renamed when it unified its LLM arguments; the old spellings still work here. */
const RENAMED: ReadonlyMap<string, string> = new Map([
  ['lm_model_name', 'model_name'],
  ['lm_stream_batch_sentences', 'stream_batch_sentences'],
  ['lm_device', 'llm_device'],
  ['lm_torch_dtype', 'llm_torch_dtype'],
]);
const RENAMED_PREFIXES: readonly (readonly [string, string])[] = [
  ['lm_gen_', 'llm_gen_'],
  ['open_api_', 'responses_api_'],
];

/** The current name of a flag the reference renamed, or undefined. */
export function renamedFlag(name: string): string | undefined {
  const renamed = RENAMED.get(name);
  if (renamed !== undefined) return renamed;
  for (const [old, current] of RENAMED_PREFIXES) {
    if (name.startsWith(old)) return current + name.slice(old.length);
  }
  return undefined;
}
