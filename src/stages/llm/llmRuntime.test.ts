import { describe, expect, it } from 'vitest';
import { NO_GPU, type GpuCapabilities } from '../../models/capabilities';
import { defaultSettings } from '../../settings/schema';
import { chooseLlmRuntime } from './llmRuntime';

const GPU: GpuCapabilities = { webgpu: true, fallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 30, description: 'test GPU' };
const settings = defaultSettings();

describe('chooseLlmRuntime', () => {
  it('q4f16 on a GPU with shader-f16, q4 on one without, q8 on WASM', () => {
    expect(chooseLlmRuntime(settings, GPU)).toMatchObject({ device: 'webgpu', dtype: 'q4f16' });
    expect(chooseLlmRuntime(settings, { ...GPU, shaderF16: false })).toMatchObject({ device: 'webgpu', dtype: 'q4', reason: expect.stringContaining('no shader-f16') as string });
    expect(chooseLlmRuntime(settings, NO_GPU)).toMatchObject({ device: 'wasm', dtype: 'q8' });
    expect(chooseLlmRuntime(settings, { ...GPU, fallbackAdapter: true })).toMatchObject({ device: 'wasm', reason: expect.stringContaining('software fallback') as string });
  });

  it('follows llm_device, device and llm_torch_dtype', () => {
    expect(chooseLlmRuntime({ ...settings, llm_device: 'wasm' }, GPU)).toMatchObject({ device: 'wasm', dtype: 'q8' });
    expect(chooseLlmRuntime({ ...settings, device: 'wasm', llm_device: 'webgpu' }, GPU)).toMatchObject({ device: 'wasm' });
    expect(chooseLlmRuntime({ ...settings, llm_device: 'webgpu' }, NO_GPU)).toMatchObject({ device: 'wasm', reason: expect.stringContaining('WebGPU was asked for') as string });
    expect(chooseLlmRuntime({ ...settings, llm_torch_dtype: 'fp32' }, GPU)).toMatchObject({ device: 'webgpu', dtype: 'fp32' });
  });
});
