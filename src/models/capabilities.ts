/**
 * What this browser's GPU can do, probed once: whether WebGPU has a real (not software fallback)
 * adapter, whether it has shader-f16, and its buffer limit. The runtime policy picks each model's device and dtype from it.
 */

export interface GpuCapabilities {
  readonly webgpu: boolean;
  readonly fallbackAdapter: boolean;
  readonly shaderF16: boolean;
  readonly maxBufferSize: number;
  /** The adapter's vendor as the browser names it ("nvidia", "intel", "apple"...), or empty. */
  readonly vendor: string;
  readonly description: string;
}

export const NO_GPU: GpuCapabilities = { webgpu: false, fallbackAdapter: false, shaderF16: false, maxBufferSize: 0, vendor: '', description: 'no WebGPU' };

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

/**
 * WebGPU lost its device during this visit: from now on every model loads on WASM, as if there
 * were no GPU (the page says so when it happens).
 */
export function markGpuLost(): void {
  probe = Promise.resolve({ ...NO_GPU, description: 'WebGPU lost its device during this visit' });
}

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
        vendor: (info.vendor ?? '').toLowerCase(),
        description: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter',
      };
    } catch {
      return NO_GPU;
    }
  })();
  return probe;
}
