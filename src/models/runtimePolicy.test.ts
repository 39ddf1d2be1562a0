import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/schema';
import { NO_GPU, type GpuCapabilities } from './capabilities';
import { RUNTIME_POLICY, chooseRuntime, type ModelFamily } from './runtimePolicy';

const GPU: GpuCapabilities = { webgpu: true, fallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 31, vendor: 'test', description: 'test GPU' };
const NO_F16: GpuCapabilities = { ...GPU, shaderF16: false };
const FALLBACK: GpuCapabilities = { ...GPU, fallbackAdapter: true };
const settings = defaultSettings();

describe('the runtime policy table', () => {
  it('gives each family its device and dtype with auto settings', () => {
    const table = (gpu: GpuCapabilities) => Object.fromEntries((Object.keys(RUNTIME_POLICY) as ModelFamily[]).map((family) => [family, chooseRuntime(family, settings, gpu).dtype]));
    expect(table(GPU)).toEqual({ whisper: { encoder_model: 'fp32', decoder_model_merged: 'q4' }, 'transformers-llm': 'q4f16', 'web-llm': 'q4f16', kokoro: 'fp32', mms: 'fp32' });
    expect(table(NO_F16)).toEqual({ whisper: { encoder_model: 'fp32', decoder_model_merged: 'q4' }, 'transformers-llm': 'q4', 'web-llm': 'q4f32', kokoro: 'fp32', mms: 'fp32' });
    const onCpu = table(NO_GPU);
    delete onCpu['web-llm'];
    expect(onCpu).toEqual({ whisper: 'q8', 'transformers-llm': 'q8', kokoro: 'q8', mms: 'q8' });
  });

  it('says why, for the page', () => {
    expect(chooseRuntime('whisper', settings, GPU).reason).toBe('WebGPU (test GPU), fp32 encoder and q4 decoder');
    expect(chooseRuntime('whisper', settings, NO_GPU).reason).toBe('WASM: this browser has no WebGPU, q8 weights');
    expect(chooseRuntime('transformers-llm', settings, NO_F16).reason).toBe('WebGPU (test GPU), q4 weights (no shader-f16)');
    expect(chooseRuntime('kokoro', settings, FALLBACK)).toMatchObject({ device: 'wasm', dtype: 'q8', reason: 'WASM: the only WebGPU adapter is a software fallback, q8 weights' });
  });

  it('follows each stage’s device setting, the global device over it, and its dtype setting', () => {
    expect(chooseRuntime('whisper', { ...settings, stt_device: 'wasm' }, GPU).device).toBe('wasm');
    expect(chooseRuntime('whisper', { ...settings, stt_device: 'wasm', device: 'webgpu' }, GPU).device).toBe('webgpu');
    expect(chooseRuntime('whisper', { ...settings, stt_torch_dtype: 'fp16' }, GPU)).toMatchObject({ dtype: 'fp16', reason: 'WebGPU (test GPU), fp16 weights' });
    expect(chooseRuntime('transformers-llm', { ...settings, llm_device: 'wasm' }, GPU)).toMatchObject({ device: 'wasm', dtype: 'q8' });
    expect(chooseRuntime('transformers-llm', { ...settings, device: 'wasm', llm_device: 'webgpu' }, GPU).device).toBe('wasm');
    expect(chooseRuntime('transformers-llm', { ...settings, llm_device: 'webgpu' }, NO_GPU)).toMatchObject({ device: 'wasm', reason: 'WASM: WebGPU was asked for, but this browser has none, q8 weights' });
    expect(chooseRuntime('kokoro', { ...settings, kokoro_device: 'wasm' }, GPU)).toMatchObject({ device: 'wasm', dtype: 'q8' });
    expect(chooseRuntime('mms', { ...settings, facebook_mms_torch_dtype: 'fp16' }, GPU)).toMatchObject({ device: 'webgpu', dtype: 'fp16' });
    // One stage's settings do not move another.
    expect(chooseRuntime('kokoro', { ...settings, stt_device: 'wasm', llm_torch_dtype: 'fp16' }, GPU)).toMatchObject({ device: 'webgpu', dtype: 'fp32' });
  });
});
