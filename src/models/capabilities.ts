/**
 * What this browser's GPU can do, probed once: whether WebGPU has a real (not software fallback)
 * adapter, whether it has shader-f16, and its buffer limit. Stages pick device and dtype from it.
 */

export interface GpuCapabilities {
  readonly webgpu: boolean;
  readonly fallbackAdapter: boolean;
  readonly shaderF16: boolean;
  readonly maxBufferSize: number;
  readonly description: string;
}

export const NO_GPU: GpuCapabilities = { webgpu: false, fallbackAdapter: false, shaderF16: false, maxBufferSize: 0, description: 'no WebGPU' };

interface MinimalAdapter {
  readonly features: { has(name: string): boolean };
  readonly limits: { readonly maxBufferSize: number };
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string; readonly isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

interface MinimalGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<MinimalAdapter | null>;
}

let probe: Promise<GpuCapabilities> | null = null;

export function probeGpu(gpu: MinimalGpu | undefined = (globalThis.navigator as { gpu?: MinimalGpu } | undefined)?.gpu): Promise<GpuCapabilities> {
  probe ??= (async () => {
    if (!gpu) return NO_GPU;
    try {
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) return NO_GPU;
      const info = adapter.info ?? {};
      return {
        webgpu: true,
        fallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
        shaderF16: adapter.features.has('shader-f16'),
        maxBufferSize: adapter.limits.maxBufferSize,
        description: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter',
      };
    } catch {
      return NO_GPU;
    }
  })();
  return probe;
}

/** The device a stage runs on: the setting when given (WebGPU only where there is one), else WebGPU on real hardware, else WASM. */
export function chooseDevice(asked: string | null, gpu: GpuCapabilities): { device: 'webgpu' | 'wasm'; reason: string } {
  if (asked === 'wasm') return { device: 'wasm', reason: 'WASM, as set' };
  if (asked === 'webgpu') return gpu.webgpu ? { device: 'webgpu', reason: 'WebGPU, as set' } : { device: 'wasm', reason: 'WASM: WebGPU was asked for, but this browser has none' };
  if (gpu.webgpu && !gpu.fallbackAdapter) return { device: 'webgpu', reason: `WebGPU (${gpu.description})` };
  return { device: 'wasm', reason: gpu.webgpu ? 'WASM: the only WebGPU adapter is a software fallback' : 'WASM: this browser has no WebGPU' };
}
