import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { importCommandLine } from './commandLine';
import { WEB_LLM_LIST, webLlmBuildOf } from './modelIds';
import { defaultSettings } from './schema';

describe('web-llm’s list in the page', () => {
  it('is the installed web-llm’s prebuilt list (after updating web-llm, run node scripts/web-llm-models.mjs)', () => {
    expect(WEB_LLM_LIST.map((model) => model.model_id)).toEqual(prebuiltAppConfig.model_list.map((model) => model.model_id));
  });
});

describe('the reference’s model ids, made to run', () => {
  it('maps MLX and hub ids to web-llm’s build of the same model', () => {
    expect(webLlmBuildOf('mlx-community/Qwen3-4B-Instruct-2507-bf16')?.modelId).toBe('Qwen3-4B-q4f16_1-MLC');
    expect(webLlmBuildOf('mlx-community/Qwen3-4B-Instruct-2507-bf16')?.builds.map((build) => build.model_id)).toEqual(['Qwen3-4B-q4f16_1-MLC', 'Qwen3-4B-q4f32_1-MLC']);
    expect(webLlmBuildOf('mlx-community/Llama-3.2-1B-Instruct-4bit')?.modelId).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(webLlmBuildOf('Qwen/Qwen3-8B')?.modelId).toBe('Qwen3-8B-q4f16_1-MLC');
    expect(webLlmBuildOf('Qwen3-4B-q4f32_1-MLC')).toBeNull();
    expect(webLlmBuildOf('acme/not-a-model')).toBeNull();
  });

  const run = (line: string) => {
    const result = importCommandLine(line, defaultSettings());
    if (!result.ok) throw new Error(result.errors.join(' | '));
    return result;
  };

  // Every example command line of the reference's LLM documentation (src/speech_to_speech/LLM/README.md).
  it.each([
    ['serve --llm_backend mlx-lm --model_name mlx-community/Qwen3-4B-Instruct-2507-bf16 --llm_device mps --llm_gen_max_new_tokens 128', 'web-llm', 'Qwen3-4B-q4f16_1-MLC', 'the browser runs Qwen3-4B-q4f16_1-MLC'],
    ['local --mac-optimal-settings --model_name mlx-community/Qwen3-4B-Instruct-2507-bf16', 'web-llm', 'Qwen3-4B-q4f16_1-MLC', 'the browser runs Qwen3-4B-q4f16_1-MLC'],
    ['serve --llm_backend mlx-lm --model_name mlx-community/Qwen3-4B-Instruct-2507-bf16 --host 0.0.0.0 --port 8765', 'web-llm', 'Qwen3-4B-q4f16_1-MLC', 'web-llm’s build of the same model'],
    ['serve --mac-optimal-settings --host 0.0.0.0 --port 8765', 'web-llm', 'Qwen3-4B-q4f16_1-MLC', 'its other builds: Qwen3-4B-q4f32_1-MLC'],
    ['serve --llm_backend transformers --model_name Qwen/Qwen3-4B-Instruct-2507 --llm_device cuda --llm_torch_dtype float16 --llm_gen_max_new_tokens 128', 'transformers', 'Qwen/Qwen3-4B-Instruct-2507', 'Find ONNX builds checks it on the hub'],
    ['serve --llm_backend transformers --model_name microsoft/Phi-3-mini-4k-instruct', 'transformers', 'microsoft/Phi-3-mini-4k-instruct', 'transformers.js loads ONNX weights only'],
    ['serve --llm_backend responses-api --model_name gpt-5.6-terra --responses_api_api_key YOUR_API_KEY --responses_api_base_url https://api.example.com/v1 --responses_api_stream true', 'responses-api', 'gpt-5.6-terra', null],
    ['serve --llm_backend responses-api --model_name gpt-5.6-terra --responses_api_api_key YOUR_API_KEY', 'responses-api', 'gpt-5.6-terra', null],
  ])('speech-to-speech %s ends in a model that loads, or says what to pick', (line, backend, model, said) => {
    const { settings, warnings } = run(`speech-to-speech ${line}`);
    expect([settings.llm_backend, settings.model_name]).toEqual([backend, model]);
    if (said) expect(warnings.join('\n')).toContain(said);
    else expect(warnings.join('\n')).not.toContain('model_name');
  });

  it('says when web-llm has no build of the model, and that it would fail to load', () => {
    expect(run('speech-to-speech serve --llm_backend mlx-lm --model_name acme/unknown-7B').warnings.join('\n')).toContain('web-llm has no build of that model: it would fail to load');
  });

  it('says an MLX id cannot load in transformers.js', () => {
    expect(run('speech-to-speech serve --llm_backend transformers --model_name mlx-community/Qwen3-4B-Instruct-2507-bf16').warnings.join('\n')).toContain('is an MLX build (for mlx-lm on Apple Silicon), which transformers.js cannot load');
  });
});
