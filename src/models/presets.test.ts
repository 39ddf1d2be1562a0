import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/schema';
import { NO_GPU, type GpuCapabilities } from './capabilities';
import { classifyDevice, describeDevice, type DeviceFacts } from './deviceProbe';
import { PRESETS, matchingPreset, withPreset } from './presets';
import { chooseRuntime } from './runtimePolicy';

const NVIDIA: GpuCapabilities = { webgpu: true, fallbackAdapter: false, shaderF16: true, maxBufferSize: 4 * 2 ** 30, vendor: 'nvidia', description: 'nvidia ampere' };
const INTEL: GpuCapabilities = { webgpu: true, fallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 31, vendor: 'intel', description: 'intel xe' };
const facts = (overrides: Partial<DeviceFacts>): DeviceFacts => ({ gpu: NO_GPU, memoryGb: 8, cores: 8, crossOriginIsolated: true, phone: false, ...overrides });

describe('device classes', () => {
  it('tells a desktop GPU, a laptop GPU, no WebGPU and a phone apart', () => {
    expect(classifyDevice(facts({ gpu: NVIDIA }))).toBe('desktop-gpu');
    expect(classifyDevice(facts({ gpu: INTEL }))).toBe('laptop-gpu');
    expect(classifyDevice(facts({ gpu: { ...NVIDIA, shaderF16: false } }))).toBe('laptop-gpu');
    expect(classifyDevice(facts({ gpu: NVIDIA, memoryGb: 4 }))).toBe('laptop-gpu');
    expect(classifyDevice(facts({ gpu: { ...INTEL, vendor: 'apple', maxBufferSize: 4 * 2 ** 30 } }))).toBe('desktop-gpu');
    expect(classifyDevice(facts({}))).toBe('no-webgpu');
    expect(classifyDevice(facts({ gpu: { ...INTEL, fallbackAdapter: true } }))).toBe('no-webgpu');
    expect(classifyDevice(facts({ gpu: NVIDIA, phone: true }))).toBe('phone');
  });

  it('reports what it found in plain words', () => {
    const report = describeDevice(facts({ gpu: INTEL, memoryGb: null, crossOriginIsolated: false }));
    expect(report.summary).toBe('WebGPU · f16');
    expect(report.lines).toEqual(['WebGPU on intel xe, with shader-f16; buffers up to 2.0 GiB.', '8 CPU cores', 'WebAssembly runs on one thread (the page is not cross-origin isolated).']);
    expect(describeDevice(facts({})).summary).toBe('CPU only');
  });
});

describe('presets', () => {
  it('the preset for a device without WebGPU is the app’s defaults', () => {
    expect(matchingPreset(defaultSettings())?.id).toBe('no-webgpu');
  });

  it('each preset is recognised once applied, and keeps the settings it does not choose', () => {
    for (const preset of Object.values(PRESETS)) {
      const applied = withPreset({ ...defaultSettings(), init_chat_prompt: 'Be brief.' }, preset);
      expect(matchingPreset(applied)?.id).toBe(preset.id);
      expect(applied.init_chat_prompt).toBe('Be brief.');
    }
    expect(matchingPreset({ ...defaultSettings(), model_name: 'someone/else' })).toBeNull();
  });

  it('gives concrete weights per stage on the device it is for', () => {
    const desktop = withPreset(defaultSettings(), PRESETS['desktop-gpu']);
    expect(chooseRuntime('whisper', desktop, NVIDIA).dtype).toEqual({ encoder_model: 'fp32', decoder_model_merged: 'q4' });
    expect(chooseRuntime('transformers-llm', desktop, NVIDIA).dtype).toBe('q4f16');
    const cpu = withPreset(defaultSettings(), PRESETS['no-webgpu']);
    expect([chooseRuntime('whisper', cpu, NO_GPU).dtype, chooseRuntime('transformers-llm', cpu, NO_GPU).dtype, chooseRuntime('kokoro', cpu, NO_GPU).dtype]).toEqual(['q8', 'q8', 'q8']);
  });
});
