/**
 * The one runtime policy: which device and weight precision (dtype) each model family gets, and
 * why. `chooseRuntime` resolves a stage's `auto` (or what its settings ask for) against the
 * capability probe, and says why, for the page.
 */
import type { Settings } from '../settings/schema';
import type { GpuCapabilities } from './capabilities';

export type Device = 'webgpu' | 'wasm';
/** One precision for the whole model, or one per ONNX file (Whisper's encoder and decoder). */
export type Dtype = string | Readonly<Record<string, string>>;

export interface Runtime<D extends Dtype = Dtype> {
  readonly device: Device;
  readonly dtype: D;
  /** Why this device and precision, for the page. */
  readonly reason: string;
}

interface PolicyRow {
  /** On a real WebGPU adapter: with shader-f16, and without. */
  readonly webgpu: { readonly f16: Dtype; readonly noF16: Dtype };
  /** On the CPU; null where the family does not run there. */
  readonly wasm: Dtype | null;
  /** The settings that override `auto` (the global `device` comes before the stage's own). */
  readonly deviceSetting: 'stt_device' | 'llm_device' | 'kokoro_device' | 'facebook_mms_device' | null;
  readonly dtypeSetting: 'stt_torch_dtype' | 'llm_torch_dtype' | 'facebook_mms_torch_dtype' | null;
}

export type ModelFamily = 'whisper' | 'transformers-llm' | 'web-llm' | 'kokoro' | 'mms';

const WHISPER_ON_GPU = { encoder_model: 'fp32', decoder_model_merged: 'q4' } as const;

export const RUNTIME_POLICY: Readonly<Record<ModelFamily, PolicyRow>> = {
  // fp16 Whisper decoders loop (repeat tokens forever) on some GPUs, and an fp16 encoder loses
  // accuracy: the encoder runs in fp32 and the decoder in q4, which is as fast and stays correct.
  // On the CPU, q8 is onnxruntime-web's fastest WASM path at nearly fp32 accuracy.
  whisper: { webgpu: { f16: WHISPER_ON_GPU, noF16: WHISPER_ON_GPU }, wasm: 'q8', deviceSetting: 'stt_device', dtypeSetting: 'stt_torch_dtype' },
  // q4f16 needs shader-f16 (half the memory traffic of q4 with fp32 activations); q4 without it;
  // q8 on the CPU, where 4-bit kernels are slower than 8-bit ones.
  'transformers-llm': { webgpu: { f16: 'q4f16', noF16: 'q4' }, wasm: 'q8', deviceSetting: 'llm_device', dtypeSetting: 'llm_torch_dtype' },
  // web-llm's q4f16 builds only compile with shader-f16; the q4f32 build of the same model runs
  // everywhere else. It has no CPU path at all.
  'web-llm': { webgpu: { f16: 'q4f16', noF16: 'q4f32' }, wasm: null, deviceSetting: null, dtypeSetting: null },
  // Kokoro's fp16 and q4 builds sound wrong on WebGPU (noise, clipped vowels): fp32 there.
  kokoro: { webgpu: { f16: 'fp32', noF16: 'fp32' }, wasm: 'q8', deviceSetting: 'kokoro_device', dtypeSetting: null },
  // MMS (VITS) is small; fp32 keeps its voice clean on the GPU, q8 is fastest on the CPU.
  mms: { webgpu: { f16: 'fp32', noF16: 'fp32' }, wasm: 'q8', deviceSetting: 'facebook_mms_device', dtypeSetting: 'facebook_mms_torch_dtype' },
};

/** The device a stage runs on: the one asked for (WebGPU only where there is one), else WebGPU on real hardware, else WASM. */
export function chooseDevice(asked: string | null, gpu: GpuCapabilities): { device: Device; reason: string } {
  if (asked === 'wasm') return { device: 'wasm', reason: 'WASM, as set' };
  // No adapter at all, or (markGpuLost) one that lost its device during this visit.
  const none = gpu.description === 'no WebGPU' ? 'this browser has none' : gpu.description;
  if (asked === 'webgpu') return gpu.webgpu ? { device: 'webgpu', reason: 'WebGPU, as set' } : { device: 'wasm', reason: `WASM: WebGPU was asked for, but ${none}` };
  if (gpu.webgpu && !gpu.fallbackAdapter) return { device: 'webgpu', reason: `WebGPU (${gpu.description})` };
  return { device: 'wasm', reason: gpu.webgpu ? 'WASM: the only WebGPU adapter is a software fallback' : gpu.description === 'no WebGPU' ? 'WASM: this browser has no WebGPU' : `WASM: ${gpu.description}` };
}

function describeDtype(dtype: Dtype): string {
  if (typeof dtype === 'string') return `${dtype} weights`;
  return Object.entries(dtype)
    .map(([file, type]) => `${type} ${file.replace(/_model.*$/, '')}`)
    .join(' and ');
}

/** A runtime in a few words: "q8 weights on the CPU", "fp32 encoder and q4 decoder on WebGPU". */
export function runtimeLabel(runtime: Pick<Runtime, 'device' | 'dtype'>): string {
  return `${describeDtype(runtime.dtype)} on ${runtime.device === 'webgpu' ? 'WebGPU' : 'the CPU'}`;
}

export type RuntimeSettings = Pick<Settings, 'device' | 'stt_device' | 'llm_device' | 'kokoro_device' | 'facebook_mms_device' | 'stt_torch_dtype' | 'llm_torch_dtype' | 'facebook_mms_torch_dtype'>;

/** The device and dtype of a model family for these settings on this GPU, with the reason. */
export function chooseRuntime(family: ModelFamily, settings: Partial<RuntimeSettings>, gpu: GpuCapabilities): Runtime {
  const row = RUNTIME_POLICY[family];
  const askedDevice = settings.device ?? (row.deviceSetting ? (settings[row.deviceSetting] ?? null) : null);
  const { device, reason } = row.wasm === null ? { device: 'webgpu' as const, reason: `WebGPU (${gpu.description})` } : chooseDevice(askedDevice, gpu);
  const askedDtype = row.dtypeSetting ? settings[row.dtypeSetting] : undefined;
  if (askedDtype !== undefined && askedDtype !== 'auto') return { device, dtype: askedDtype, reason: `${reason}, ${askedDtype} weights` };
  if (device === 'wasm') return { device, dtype: row.wasm ?? 'q8', reason: `${reason}, ${describeDtype(row.wasm ?? 'q8')}` };
  if (gpu.shaderF16) return { device, dtype: row.webgpu.f16, reason: `${reason}, ${describeDtype(row.webgpu.f16)}` };
  const changed = JSON.stringify(row.webgpu.noF16) !== JSON.stringify(row.webgpu.f16);
  return { device, dtype: row.webgpu.noF16, reason: `${reason}, ${describeDtype(row.webgpu.noF16)}${changed ? ' (no shader-f16)' : ''}` };
}
