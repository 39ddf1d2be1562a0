/**
 * How the `transformers` language model runs here: device and weight precision from the GPU probe
 * and `llm_device` / `llm_torch_dtype` (`device` overrides both stages, as in the reference).
 */
import { chooseDevice, type GpuCapabilities } from '../../models/capabilities';
import type { Settings } from '../../settings/schema';

/**
 * SmolLM2-360M-Instruct: an instruct model small enough to download and answer at speaking pace
 * on WASM, with ONNX weights (q4f16, q4, q8) published in its own repository.
 */
export const DEFAULT_TRANSFORMERS_MODEL = 'HuggingFaceTB/SmolLM2-360M-Instruct';

export interface LlmRuntime {
  readonly device: 'webgpu' | 'wasm';
  readonly dtype: string;
  /** Why this choice, for the UI. */
  readonly reason: string;
}

export function chooseLlmRuntime(settings: Pick<Settings, 'device' | 'llm_device' | 'llm_torch_dtype'>, gpu: GpuCapabilities): LlmRuntime {
  const { device, reason } = chooseDevice(settings.device ?? settings.llm_device, gpu);
  if (settings.llm_torch_dtype !== 'auto') return { device, dtype: settings.llm_torch_dtype, reason: `${reason}, ${settings.llm_torch_dtype} weights` };
  if (device === 'wasm') return { device, dtype: 'q8', reason: `${reason}, q8 weights` };
  return gpu.shaderF16 ? { device, dtype: 'q4f16', reason: `${reason}, q4f16 weights` } : { device, dtype: 'q4', reason: `${reason}, q4 weights (no shader-f16)` };
}
