/**
 * Every flag of the reference's `serve`/`local` command line (its section 2 tables, version 0.2.12)
 * is known here: a setting, taken as one, or accepted and ignored with a warning. None is an error.
 */
import { describe, expect, it } from 'vitest';
import { importCommandLine } from './commandLine';
import { resolveFlag } from './importer';
import { defaultSettings } from './schema';

const REFERENCE_FLAGS = [
  'device', 'mac-optimal-settings', 'stt', 'llm_backend', 'tts', 'log_level', 'enable_live_transcription',
  'live_transcription_update_interval', 'live_transcription_min_silence_ms', 'enable_llm_proxy',
  'llm_proxy_connect_timeout_s', 'num_pipelines', 'host', 'port', 'local_audio_tool_module', 'tool-module',
  'local_audio_input_device', 'local_audio_output_device', 'local_audio_chunk_size',
  'local_audio_block_mic_during_playback', 'local_audio_print_json', 'thresh', 'sample_rate',
  'min_silence_ms', 'min_speech_ms', 'min_speech_continuation_ms', 'max_speech_ms', 'speech_pad_ms',
  'audio_enhancement', 'enable_realtime_transcription', 'realtime_processing_pause', 'speculative_reopen_ms',
  'unanswered_reopen_ms', 'short_segment_merge_ms', 'smart_turn', 'no_smart_turn', 'smart_turn_model_path',
  'smart_turn_threshold', 'smart_turn_max_wait_ms', 'smart_turn_incomplete_delay_ms', 'smart_turn_cpu_count',
  'stt_model_name', 'stt_device', 'stt_torch_dtype', 'stt_compile_mode', 'stt_gen_max_new_tokens',
  'stt_gen_num_beams', 'stt_gen_return_timestamps', 'stt_gen_task', 'language',
  'mlx_audio_whisper_model_name', 'mlx_audio_whisper_gen_kwargs', 'faster_whisper_stt_model_name',
  'faster_whisper_stt_device', 'faster_whisper_stt_compute_type', 'faster_whisper_stt_gen_max_new_tokens',
  'faster_whisper_stt_gen_beam_size', 'faster_whisper_stt_gen_return_timestamps',
  'faster_whisper_stt_gen_task', 'faster_whisper_stt_gen_language', 'parakeet_tdt_model_name',
  'parakeet_tdt_device', 'parakeet_tdt_compute_type', 'parakeet_tdt_language', 'paraformer_stt_model_name',
  'paraformer_stt_device', 'openai_stt_base_url', 'openai_stt_api_key', 'openai_stt_model',
  'openai_stt_language', 'openai_stt_response_format', 'openai_stt_timeout', 'model_name', 'user_role',
  'init_chat_role', 'init_chat_prompt', 'chat_size', 'stream_batch_sentences', 'enable_lang_prompt',
  'compact_history', 'no_compact_history', 'llm_device', 'llm_torch_dtype', 'llm_gen_max_new_tokens',
  'llm_gen_min_new_tokens', 'llm_gen_temperature', 'llm_gen_do_sample', 'llm_is_vlm',
  'responses_api_api_key', 'responses_api_base_url', 'responses_api_stream', 'no_responses_api_stream',
  'responses_api_disable_thinking', 'responses_api_reasoning_effort', 'responses_api_audio_max_tokens',
  'responses_api_audio_temperature', 'responses_api_audio_content_type', 'responses_api_audio_history_turns',
  'qwen3_tts_model_name', 'qwen3_tts_device', 'qwen3_tts_dtype', 'qwen3_tts_attn_implementation',
  'qwen3_tts_backend', 'qwen3_tts_ggml_quantization', 'qwen3_tts_gguf_talker_path',
  'qwen3_tts_gguf_codec_path', 'qwen3_tts_ref_cache_dir', 'qwen3_tts_ref_audio', 'qwen3_tts_ref_spk',
  'qwen3_tts_ref_rvq', 'qwen3_tts_ref_text', 'qwen3_tts_speaker', 'qwen3_tts_instruct',
  'qwen3_tts_xvec_only', 'qwen3_tts_parity_mode', 'qwen3_tts_non_streaming_mode',
  'qwen3_tts_mlx_quantization', 'qwen3_tts_language', 'qwen3_tts_streaming_chunk_size',
  'qwen3_tts_max_new_tokens', 'qwen3_tts_blocksize', 'kokoro_model_name', 'kokoro_device', 'kokoro_voice',
  'kokoro_lang_code', 'kokoro_speed', 'kokoro_blocksize', 'pocket_tts_device', 'pocket_tts_voice',
  'pocket_tts_sample_rate', 'pocket_tts_blocksize', 'pocket_tts_max_tokens', 'pocket_tts_language',
  'chat_tts_stream', 'no_chat_tts_stream', 'chat_tts_device', 'chat_tts_chunk_size',
  'facebook_mms_model_name', 'tts_language', 'facebook_mms_device', 'facebook_mms_torch_dtype',
  'supertonic_tts_voice', 'supertonic_tts_lang', 'supertonic_tts_speed', 'supertonic_tts_blocksize',
];

describe('the reference command line', () => {
  it.each(REFERENCE_FLAGS)('knows --%s', (flag) => {
    expect(resolveFlag(flag).kind).not.toBe('unknown');
  });

  it('takes a command line of the reference’s defaults as this app’s defaults, but for the local LLM backend and the kept short first word', () => {
    const line = [
      'speech-to-speech serve --stt parakeet-tdt --llm_backend responses-api --tts qwen3 --log_level info',
      '--enable_live_transcription --live_transcription_update_interval 0.5 --thresh 0.6 --sample_rate 16000',
      '--min_silence_ms 64 --min_speech_ms 384 --min_speech_continuation_ms 192 --max_speech_ms inf --speech_pad_ms 500',
      '--speculative_reopen_ms 800 --unanswered_reopen_ms 7000 --short_segment_merge_ms 0 --smart_turn true',
      '--smart_turn_threshold 0.5 --smart_turn_max_wait_ms 2000 --smart_turn_incomplete_delay_ms 600 --smart_turn_cpu_count 1',
      '--user_role user --init_chat_role system --chat_size 30 --stream_batch_sentences 3 --enable_lang_prompt false',
      '--compact_history --responses_api_stream --responses_api_disable_thinking --responses_api_reasoning_effort none',
      '--responses_api_audio_max_tokens 256 --responses_api_audio_temperature 0.0 --responses_api_audio_content_type input_audio',
      '--responses_api_audio_history_turns 1 --llm_gen_max_new_tokens 1024 --llm_gen_temperature 0.0 --kokoro_voice bm_fable',
      '--kokoro_lang_code b --kokoro_speed 1.0 --tts_language en --stt_gen_max_new_tokens 128 --stt_gen_task transcribe',
    ].join(' ');
    const result = importCommandLine(line, defaultSettings());
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.settings).toEqual({ ...defaultSettings(), llm_backend: 'responses-api', responses_api_reasoning_effort: 'none', short_segment_merge_ms: 0 });
    }
  });
});
