/**
 * Presets: the models and precisions the page proposes for each class of device, so a first
 * visit starts with choices that fit (and says what they will download). A preset only writes
 * settings; the runtime policy then picks each model's device and dtype from the probe.
 */
import type { Settings } from '../settings/schema';
import type { DeviceClass } from './deviceProbe';

export type PresetSettings = Pick<Settings, 'stt' | 'stt_model_name' | 'stt_device' | 'stt_torch_dtype' | 'llm_backend' | 'model_name' | 'llm_device' | 'llm_torch_dtype' | 'tts' | 'kokoro_device' | 'device'>;

export interface Preset {
  readonly id: DeviceClass;
  readonly label: string;
  /** What it chooses and why, in plain words. */
  readonly description: string;
  readonly settings: PresetSettings;
}

const LOCAL = { stt: 'whisper', llm_backend: 'transformers', device: null, stt_device: 'auto', stt_torch_dtype: 'auto', llm_device: 'auto', llm_torch_dtype: 'auto', kokoro_device: 'auto' } as const;

export const PRESETS: Readonly<Record<DeviceClass, Preset>> = {
  'desktop-gpu': {
    id: 'desktop-gpu',
    label: 'Desktop GPU',
    description: 'A strong GPU with shader-f16: Whisper small hears best, SmolLM2 1.7B answers best, Kokoro speaks, all on WebGPU.',
    settings: { ...LOCAL, stt_model_name: 'onnx-community/whisper-small', model_name: 'HuggingFaceTB/SmolLM2-1.7B-Instruct', tts: 'kokoro' },
  },
  'laptop-gpu': {
    id: 'laptop-gpu',
    label: 'Laptop GPU',
    description: 'An integrated GPU: Whisper base, SmolLM2 360M and Kokoro on WebGPU, light enough to answer at speaking pace.',
    settings: { ...LOCAL, stt_model_name: 'onnx-community/whisper-base', model_name: 'HuggingFaceTB/SmolLM2-360M-Instruct', tts: 'kokoro' },
  },
  'no-webgpu': {
    id: 'no-webgpu',
    label: 'No WebGPU',
    description: 'The CPU only: Whisper base, SmolLM2 360M and Kokoro with 8-bit weights on WebAssembly (the app’s defaults).',
    settings: { ...LOCAL, stt_model_name: 'onnx-community/whisper-base', model_name: null, tts: 'kokoro' },
  },
  phone: {
    id: 'phone',
    label: 'Phone',
    description: 'A phone: the smallest Whisper and SmolLM2 (135M), and the phone’s own voice, so little is downloaded.',
    settings: { ...LOCAL, stt_model_name: 'onnx-community/whisper-tiny', model_name: 'HuggingFaceTB/SmolLM2-135M-Instruct', tts: 'web-speech' },
  },
};

const PRESET_KEYS = Object.keys(PRESETS['no-webgpu'].settings) as (keyof PresetSettings)[];

/** The preset the settings follow, if any (an empty model_name is the backend's default). */
export function matchingPreset(settings: Settings): Preset | null {
  return Object.values(PRESETS).find((preset) => PRESET_KEYS.every((key) => settings[key] === preset.settings[key])) ?? null;
}

/** The settings with a preset applied; the rest stays as it was. */
export function withPreset(settings: Settings, preset: Preset): Settings {
  return { ...settings, ...preset.settings };
}
