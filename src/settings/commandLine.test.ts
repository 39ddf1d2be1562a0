import { describe, expect, it } from 'vitest';
import { exportCommandLine, importCommandLine } from './commandLine';
import type { ImportResult } from './importer';
import { defaultSettings, type Settings } from './schema';

const defaults = defaultSettings();

function imported(line: string, current: Settings = defaults): Extract<ImportResult, { ok: true }> {
  const result = importCommandLine(line, current);
  if (!result.ok) throw new Error(`expected success, got: ${result.errors.join(' | ')}`);
  return result;
}

function rejected(line: string): Extract<ImportResult, { ok: false }> {
  const result = importCommandLine(line, defaults);
  if (result.ok) throw new Error('expected an error');
  return result;
}

describe('the reference’s commands', () => {
  it('takes a talk line as the page being the Realtime server’s client, each flag a setting', () => {
    const { settings, warnings } = imported(
      `speech-to-speech talk --url ws://gpu-box:8765/v1/realtime --model s2s --api-key sk-local --voice af_heart --instructions "Be brief." --send-rate 24000 --recv-rate=24000 --block-mic-during-playback --connection-retry-timeout 5`,
    );
    expect(settings.pipeline).toBe('realtime');
    expect(settings.talk_url).toBe('ws://gpu-box:8765/v1/realtime');
    expect(settings.talk_model).toBe('s2s');
    expect(settings.talk_api_key).toBe('sk-local');
    expect(settings.talk_voice).toBe('af_heart');
    expect(settings.talk_instructions).toBe('Be brief.');
    expect(settings.talk_send_rate).toBe(24_000);
    expect(settings.talk_recv_rate).toBe(24_000);
    expect(settings.talk_block_mic_during_playback).toBe(true);
    expect(settings.talk_connection_retry_timeout).toBe(5);
    expect(warnings).toEqual([]);
  });

  it('accepts the terminal-only talk flags with a warning that says what the page does instead', () => {
    const { settings, warnings } = imported('speech-to-speech talk --input-device 2 --output-device 3 --chunk-size 512 --print-json --tool-module tools.weather');
    expect(settings.pipeline).toBe('realtime');
    expect(warnings).toHaveLength(5);
    expect(warnings.join('\n')).toContain('--input-device was ignored: in the page, choose the microphone in the page');
    expect(warnings.join('\n')).toContain('--print-json was ignored: in the page, the page shows the conversation');
  });

  it('reads talk flags as argparse does: hyphens only, switches without a value, rates of 16000 or 24000', () => {
    expect(rejected('speech-to-speech talk --api_key x').errors[0]).toBe('--api_key is not a known setting: write it --api-key: the talk client’s flags use hyphens');
    expect(rejected('speech-to-speech talk --block-mic-during-playback=true').errors[0]).toBe('--block-mic-during-playback takes no value.');
    expect(rejected('speech-to-speech talk --block-mic-during-playback true').errors[0]).toContain('"true" is not a flag');
    expect(rejected('speech-to-speech talk --send-rate 44100').errors[0]).toContain('44100 is not allowed (expected one of: 16000, 24000)');
    expect(rejected('speech-to-speech talk --url http://gpu-box:8765/v1/realtime').errors[0]).toContain('uses http:, not ws: or wss:');
    expect(rejected('speech-to-speech talk --thresh 0.5').errors[0]).toContain('not a flag of speech-to-speech talk');
  });

  it('keeps the pipeline’s settings through a talk line, and the client’s through a serve line', () => {
    const withPipeline = imported('speech-to-speech serve --thresh 0.7 --init_chat_prompt "Answer in French."').settings;
    const talking = imported('speech-to-speech talk --voice af_heart', withPipeline).settings;
    expect(talking.thresh).toBe(0.7);
    expect(talking.init_chat_prompt).toBe('Answer in French.');
    const again = imported('speech-to-speech local --stt whisper', talking).settings;
    expect(again.pipeline).toBe('local');
    expect(again.thresh).toBe(defaults.thresh);
    expect(again.talk_voice).toBe('af_heart');
    // A talk line sets every client setting: those it does not name go back to their defaults.
    expect(imported('speech-to-speech talk --model other', talking).settings.talk_voice).toBeNull();
  });

  it('exports a talk line while a Realtime server runs the pipeline, a serve line otherwise, never the key', () => {
    const line = 'speech-to-speech talk --url ws://gpu-box:8765/v1/realtime --api-key secret --voice af_heart --instructions \'Be brief.\' --send-rate 24000 --block-mic-during-playback';
    const { settings } = imported(line);
    const exported = exportCommandLine(settings);
    expect(exported).toBe("speech-to-speech talk --url ws://gpu-box:8765/v1/realtime --voice af_heart --instructions 'Be brief.' --send-rate 24000 --block-mic-during-playback");
    expect(imported(exported, settings).settings).toEqual(settings);
    expect(exportCommandLine({ ...settings, pipeline: 'local', thresh: 0.7 })).toBe('speech-to-speech serve --thresh 0.7');
  });

  it('takes the deprecated --mode with the reference’s warning, and rejects what the reference rejects', () => {
    const serve = imported('python -m speech_to_speech --mode realtime --thresh 0.7');
    expect(serve.settings.pipeline).toBe('local');
    expect(serve.settings.thresh).toBe(0.7);
    expect(serve.warnings[0]).toBe("'--mode realtime' is deprecated and will stop working soon; use 'speech-to-speech serve' instead. It was taken as serve.");
    expect(imported('speech-to-speech --mode=local').warnings[0]).toContain("use 'speech-to-speech local'");
    expect(rejected('speech-to-speech --mode socket').errors[0]).toBe(
      "--mode \"socket\" is no longer supported; only 'realtime' and 'local' remain temporarily. Use 'speech-to-speech serve' or 'speech-to-speech local' instead.",
    );
    expect(rejected('speech-to-speech --mode').errors[0]).toBe('--mode requires a value: realtime or local.');
    expect(rejected('speech-to-speech --mode local --mode local').errors).toContain('--mode may only be specified once.');
    expect(rejected('speech-to-speech serve --mode local').errors[0]).toContain('already names one (serve)');
  });

  it('takes local --mac-optimal-settings as the browser’s counterpart: web-llm and web-llm’s build of the preset’s model', () => {
    const { settings, warnings } = imported('speech-to-speech local --mac-optimal-settings');
    expect(settings.pipeline).toBe('local');
    expect(settings.llm_backend).toBe('web-llm');
    expect(settings.model_name).toBe('Qwen3-4B-q4f16_1-MLC');
    expect(warnings[0]).toContain('--mac-optimal-settings: the browser takes llm_backend web-llm');
    // Explicit flags win, as in the reference.
    expect(imported('speech-to-speech local --mac-optimal-settings --llm_backend responses-api --model_name gpt-5.6-terra').settings).toMatchObject({ llm_backend: 'responses-api', model_name: 'gpt-5.6-terra' });
  });
});

describe('importCommandLine', () => {
  it('takes the example command line of the browser mapping', () => {
    const { settings, warnings } = imported(
      'speech-to-speech serve --llm_backend chat-completions --model_name Qwen/Qwen3-4B-Instruct-2507 --responses_api_base_url http://localhost:8000/v1 --stream_batch_sentences 1 --no_compact_history',
    );
    expect(settings.llm_backend).toBe('chat-completions');
    expect(settings.model_name).toBe('Qwen/Qwen3-4B-Instruct-2507');
    expect(settings.responses_api_base_url).toBe('http://localhost:8000/v1');
    expect(settings.stream_batch_sentences).toBe(1);
    expect(settings.compact_history).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('starts from the defaults, so flags not on the line go back to their defaults', () => {
    const current = { ...defaults, thresh: 0.9, init_chat_prompt: 'Be terse.' };
    const { settings } = imported('--stt whisper', current);
    expect(settings.thresh).toBe(0.6);
    expect(settings.init_chat_prompt).toBe(defaults.init_chat_prompt);
  });

  it('keeps API keys that the line does not set', () => {
    const current = { ...defaults, responses_api_api_key: 'sk-kept' };
    expect(imported('--llm_backend responses-api', current).settings.responses_api_api_key).toBe('sk-kept');
    expect(imported('--responses_api_api_key sk-new', current).settings.responses_api_api_key).toBe('sk-new');
  });

  it('accepts --a_b and --a-b alike, and --flag=value', () => {
    expect(imported('--min-silence-ms 100').settings.min_silence_ms).toBe(100);
    expect(imported('--min_silence_ms=120').settings.min_silence_ms).toBe(120);
    expect(imported('--llm-backend web-llm').settings.llm_backend).toBe('web-llm');
  });

  it('takes the last of a repeated flag, as argparse does', () => {
    expect(imported('--thresh 0.2 --thresh 0.3').settings.thresh).toBe(0.3);
  });

  describe('booleans', () => {
    it('take no value, or true/false/yes/no/1/0 in any case', () => {
      expect(imported('--enable_lang_prompt').settings.enable_lang_prompt).toBe(true);
      for (const word of ['true', 'True', 'yes', 'y', '1', 't']) {
        expect(imported(`--enable_lang_prompt ${word}`).settings.enable_lang_prompt).toBe(true);
      }
      for (const word of ['false', 'FALSE', 'no', 'n', '0', 'f']) {
        expect(imported(`--smart_turn ${word}`).settings.smart_turn).toBe(false);
      }
    });

    it('do not swallow the next flag', () => {
      const { settings } = imported('--enable_lang_prompt --thresh 0.4');
      expect(settings.enable_lang_prompt).toBe(true);
      expect(settings.thresh).toBe(0.4);
    });

    it('reject a value that is not a boolean, naming flag, value and what is allowed', () => {
      const { errors } = rejected('--smart_turn maybe');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('--smart_turn');
      expect(errors[0]).toContain('"maybe"');
      expect(errors[0]).toContain('true or false');
    });

    it('have --no_<flag> only when they default to true, with an underscore', () => {
      expect(imported('--no_smart_turn').settings.smart_turn).toBe(false);
      expect(imported('--no_enable_live_transcription').settings.enable_live_transcription).toBe(false);
      expect(imported('--no_responses_api_stream').settings.responses_api_stream).toBe(false);
      expect(rejected('--no_enable_lang_prompt').errors[0]).toContain('--no_enable_lang_prompt');
      expect(rejected('--no-smart-turn').errors[0]).toContain('--no_smart_turn');
      expect(rejected('--no_smart_turn=false').errors[0]).toContain('takes no value');
    });

    it('read --no_<flag> of a reference-only flag as that flag, ignored with a warning', () => {
      const { warnings } = imported('--tts qwen3 --no_qwen3_tts_non_streaming_mode');
      expect(warnings.some((w) => w.includes('--no_qwen3_tts_non_streaming_mode') && w.includes('ignored'))).toBe(true);
    });
  });

  describe('values', () => {
    it('parse numbers as the reference does, including inf and negative-looking values', () => {
      expect(imported('--max_speech_ms inf').settings.max_speech_ms).toBe(Infinity);
      expect(imported('--max_speech_ms 12000.5').settings.max_speech_ms).toBe(12000.5);
      expect(imported('--thresh .5').settings.thresh).toBe(0.5);
      expect(imported('--thresh 5e-1').settings.thresh).toBe(0.5);
      expect(rejected('--llm_gen_temperature -1').errors[0]).toContain('out of range');
    });

    it('reject bad numbers with the flag, the value and the range', () => {
      const [error] = rejected('--thresh 1.5').errors;
      expect(error).toContain('--thresh');
      expect(error).toContain('1.5');
      expect(error).toContain('from 0 to 1');
      expect(rejected('--chat_size 2.5').errors[0]).toContain('whole number');
      expect(rejected('--chat_size 99999999999999999999').errors[0]).toContain('too large');
      expect(rejected('--thresh nan').errors[0]).toContain('not a number');
    });

    it('rejects a choice outside its list, listing the list', () => {
      const [error] = rejected('--tts espeak').errors;
      expect(error).toContain('--tts');
      expect(error).toContain('"espeak"');
      expect(error).toContain('kokoro, facebookMMS, openai, web-speech');
    });

    it('needs a value for non-boolean flags', () => {
      expect(rejected('--model_name').errors[0]).toContain('needs a value');
      expect(rejected('--model_name --thresh 0.5').errors[0]).toContain('needs a value');
    });

    it('keeps quoted text, unicode and newlines', () => {
      const { settings } = imported(`--init_chat_prompt "Tu es \\"Marvin\\", un robot déprimé. 日本語も話せる。" --user_role 'the user'`);
      expect(settings.init_chat_prompt).toBe('Tu es "Marvin", un robot déprimé. 日本語も話せる。');
      expect(settings.user_role).toBe('the user');
      expect(imported("--init_chat_prompt 'line one\nline two'").settings.init_chat_prompt).toBe('line one\nline two');
    });

    it('takes a value starting with "-" only as --flag=value, as argparse does', () => {
      expect(imported("'--init_chat_prompt=-be brief-'").settings.init_chat_prompt).toBe('-be brief-');
      expect(rejected('--init_chat_prompt -x').errors.length).toBeGreaterThan(0);
    });

    it('validates URLs', () => {
      expect(rejected('--responses_api_base_url localhost:8000').errors[0]).toContain('http');
      expect(rejected('--openai_stt_base_url ftp://example.com').errors[0]).toContain('ftp:');
      expect(rejected('--responses_api_base_url https://user:secret@example.com/v1').errors[0]).toContain('API key setting');
      expect(imported('--models_base_url /models/').settings.models_base_url).toBe('/models/');
      expect(rejected('--responses_api_base_url /v1').errors[0]).toContain('--responses_api_base_url');
    });

    it('says that shell variables cannot be read', () => {
      const [error] = rejected('--responses_api_api_key $HF_TOKEN').errors;
      expect(error).toContain('$HF_TOKEN');
      expect(error).toContain('paste its value');
      expect(imported("--init_chat_prompt 'costs $5'").settings.init_chat_prompt).toBe('costs $5');
      expect(imported('--init_chat_prompt costs\\ \\$5').settings.init_chat_prompt).toBe('costs $5');
    });
  });

  describe('the program and shell syntax', () => {
    it('skips the program, its command and environment assignments', () => {
      for (const prefix of ['speech-to-speech serve', 'speech-to-speech local', 'python s2s_pipeline.py', 'HF_HUB_OFFLINE=1 uv run speech-to-speech serve', 'python -m speech_to_speech serve', '']) {
        expect(imported(`${prefix} --thresh 0.7`).settings.thresh).toBe(0.7);
      }
    });

    it('joins lines continued with a backslash', () => {
      const { settings } = imported('speech-to-speech serve \\\n  --stt openai \\\r\n  --openai_stt_model whisper-1');
      expect(settings.stt).toBe('openai');
      expect(settings.openai_stt_model).toBe('whisper-1');
    });

    it('stops at a comment', () => {
      expect(imported('--thresh 0.7 # --thresh 0.9').settings.thresh).toBe(0.7);
    });

    it('rejects pipes and command lists, a JSON path and stray words', () => {
      expect(rejected('--thresh 0.7 && echo hi').errors[0]).toContain('"&&"');
      expect(rejected('config.json').errors[0]).toContain('Import JSON');
      expect(rejected('--thresh 0.7 0.8').errors[0]).toContain('"0.8" is not a flag');
      expect(rejected('   ').errors[0]).toContain('empty');
      expect(rejected('--init_chat_prompt ${').errors[0]).toContain('not valid shell syntax');
    });
  });

  describe('flags of the reference', () => {
    it('maps backend aliases with a warning that names the mapping', () => {
      const { settings, warnings } = imported('--stt faster-whisper --faster_whisper_stt_model_name tiny.en --llm_backend mlx-lm --tts qwen3');
      expect(settings.stt).toBe('whisper');
      expect(settings.stt_model_name).toBe('onnx-community/whisper-tiny.en');
      expect(settings.llm_backend).toBe('web-llm');
      expect(settings.tts).toBe('kokoro');
      expect(warnings.join('\n')).toContain('"faster-whisper" is taken as "whisper"');
      expect(warnings.join('\n')).toContain('"mlx-lm" is taken as "web-llm"');
      expect(warnings.join('\n')).toContain('"qwen3" is taken as "kokoro"');
      expect(warnings.join('\n')).toContain('--faster_whisper_stt_model_name was taken as --stt_model_name');
    });

    it('maps the default stt and mlx-audio-whisper model names', () => {
      expect(imported('--stt parakeet-tdt').settings.stt).toBe('whisper');
      expect(imported('--stt mlx-audio-whisper --mlx_audio_whisper_model_name mlx-community/whisper-large-v3-turbo').settings.stt_model_name).toBe(
        'onnx-community/whisper-large-v3-turbo',
      );
      const { settings, warnings } = imported('--faster_whisper_stt_model_name distil-large-v3');
      expect(settings.stt_model_name).toBe(defaults.stt_model_name);
      expect(warnings.join('\n')).toContain('no browser equivalent');
    });

    it('maps reference device and dtype names', () => {
      const { settings, warnings } = imported('--stt_device cuda --llm_device cpu --kokoro_device mps --stt_torch_dtype float16 --llm_torch_dtype bfloat16');
      expect(settings.stt_device).toBe('webgpu');
      expect(settings.llm_device).toBe('wasm');
      expect(settings.kokoro_device).toBe('webgpu');
      expect(settings.stt_torch_dtype).toBe('fp16');
      expect(settings.llm_torch_dtype).toBe('fp16');
      expect(warnings).toHaveLength(5);
    });

    it('accepts the renamed LLM flags with a warning', () => {
      const { settings, warnings } = imported('--lm_model_name foo --lm_gen_temperature 0.3 --open_api_stream false --lm_stream_batch_sentences 2');
      expect(settings.model_name).toBe('foo');
      expect(settings.llm_gen_temperature).toBe(0.3);
      expect(settings.responses_api_stream).toBe(false);
      expect(settings.stream_batch_sentences).toBe(2);
      expect(warnings.filter((w) => w.includes('old name'))).toHaveLength(4);
    });

    it('ignores server and machine flags with a warning, consuming their values', () => {
      const { settings, warnings } = imported(
        '--host 0.0.0.0 --port 8765 --log_level debug --num_pipelines 2 --enable_llm_proxy --audio_enhancement false --thresh 0.7',
      );
      expect(settings.thresh).toBe(0.7);
      expect(warnings.filter((w) => w.includes('ignored'))).toHaveLength(6);
    });

    it('rejects the underscore form of --mac-optimal-settings, as the reference does', () => {
      expect(rejected('--mac_optimal_settings').errors[0]).toContain('--mac_optimal_settings');
    });

    it('keeps flags of backends that are not selected, with a warning', () => {
      const { settings, warnings } = imported('--stt whisper --openai_stt_model whisper-1');
      expect(settings.openai_stt_model).toBe('whisper-1');
      expect(warnings).toEqual(['--openai_stt_model has no effect now: it applies when stt is openai. It was kept for when you switch.']);
    });

    it('reads backends before judging other flags, whatever their order', () => {
      expect(imported('--openai_stt_model whisper-1 --stt openai').warnings).toEqual([]);
    });
  });

  describe('*_gen_* options', () => {
    it('takes declared ones as typed settings', () => {
      const { settings } = imported('--llm_gen_max_new_tokens 64 --stt_gen_num_beams 2 --stt_gen_task translate');
      expect(settings.llm_gen_max_new_tokens).toBe(64);
      expect(settings.stt_gen_num_beams).toBe(2);
      expect(settings.stt_gen_task).toBe('translate');
    });

    it('forwards any other one, reading JSON values', () => {
      const { settings } = imported(`--llm_gen_top_p 0.9 --llm_gen_seed 7 --llm_gen_stop '["\\n", "User:"]' --llm_gen_response_format json_object --stt_gen_no_repeat_ngram_size 3`);
      expect(settings.llm_gen_kwargs).toEqual({ top_p: 0.9, seed: 7, stop: ['\n', 'User:'], response_format: 'json_object' });
      expect(settings.stt_gen_kwargs).toEqual({ no_repeat_ngram_size: 3 });
    });

    it('rejects a gen option without a value or with a bad name', () => {
      expect(rejected('--llm_gen_top_p').errors[0]).toContain('needs a value');
      expect(rejected('--llm_gen_').errors[0]).toContain('not a known setting');
      expect(rejected('--llm_gen___proto__ 1').errors[0]).toContain('not a known setting');
    });
  });

  describe('unknown flags', () => {
    it('are errors that name the flag and suggest the closest one', () => {
      const { errors } = rejected('--threshold 0.5 --min_silense_ms 10');
      expect(errors).toHaveLength(2);
      expect(errors[0]).toContain('--threshold');
      expect(errors[0]).toContain('did you mean --thresh?');
      expect(errors[1]).toContain('did you mean --min_silence_ms?');
    });

    it('are reported together with every other error, and nothing is applied', () => {
      const result = rejected('--thresh 2 --bogus_flag 1 --tts nope');
      expect(result.errors).toHaveLength(3);
    });
  });
});

describe('exportCommandLine', () => {
  it('is just the command for the defaults', () => {
    expect(exportCommandLine(defaults)).toBe('speech-to-speech serve');
  });

  it('writes only what differs from the defaults, in the reference’s spelling', () => {
    const settings: Settings = {
      ...defaults,
      llm_backend: 'chat-completions',
      compact_history: false,
      enable_lang_prompt: true,
      init_chat_prompt: "It's a test",
      llm_gen_kwargs: { top_p: 0.9 },
    };
    expect(exportCommandLine(settings)).toBe(
      `speech-to-speech serve --init_chat_prompt 'It'\\''s a test' --llm_backend chat-completions --enable_lang_prompt --no_compact_history --llm_gen_top_p 0.9`,
    );
  });

  it('never writes an API key', () => {
    const line = exportCommandLine({ ...defaults, responses_api_api_key: 'sk-secret', openai_stt_api_key: 'k2', openai_tts_api_key: 'k3' });
    expect(line).not.toContain('sk-secret');
    expect(line).not.toContain('api_key');
  });
});
