/**
 * What this device can run, told to the user before anything is downloaded: the WebGPU adapter
 * (or its absence, or a software fallback), shader-f16, the buffer limit, memory and cores where
 * the browser says, cross-origin isolation (WASM threads), and whether it is a phone. From these
 * facts, its class, which chooses the preset the page proposes.
 */
import { probeGpu, type GpuCapabilities } from './capabilities';

export type DeviceClass = 'desktop-gpu' | 'laptop-gpu' | 'no-webgpu' | 'phone';

export interface DeviceFacts {
  readonly gpu: GpuCapabilities;
  /** GB, as `navigator.deviceMemory` rounds it (Chrome); null where the browser does not say. */
  readonly memoryGb: number | null;
  readonly cores: number | null;
  readonly crossOriginIsolated: boolean;
  readonly phone: boolean;
}

export interface DeviceReport extends DeviceFacts {
  readonly deviceClass: DeviceClass;
  /** A few words for the header ("WebGPU, shader-f16"; "CPU only"). */
  readonly summary: string;
  /** One line per fact, for the status card. */
  readonly lines: readonly string[];
}

const GIB = 2 ** 30;
/** Vendors whose adapters are discrete GPUs in desktops and gaming laptops. */
const DISCRETE_VENDORS = ['nvidia', 'amd'];

/**
 * A phone runs the smallest models whatever its GPU; no WebGPU (or only a software one) runs on
 * the CPU; a GPU with shader-f16 that is discrete, or allows buffers of 4 GiB (Apple silicon with
 * memory to spare, workstation GPUs), runs the larger models; any other GPU is treated as a
 * laptop's integrated one.
 */
export function classifyDevice(facts: DeviceFacts): DeviceClass {
  if (facts.phone) return 'phone';
  const { gpu } = facts;
  if (!gpu.webgpu || gpu.fallbackAdapter) return 'no-webgpu';
  const strong = DISCRETE_VENDORS.includes(gpu.vendor) || gpu.maxBufferSize >= 4 * GIB;
  return gpu.shaderF16 && strong && (facts.memoryGb === null || facts.memoryGb >= 8) ? 'desktop-gpu' : 'laptop-gpu';
}

export function describeDevice(facts: DeviceFacts): DeviceReport {
  const { gpu } = facts;
  const deviceClass = classifyDevice(facts);
  const gpuLine = !gpu.webgpu
    ? 'No WebGPU: models run on the CPU (WebAssembly).'
    : gpu.fallbackAdapter
      ? 'WebGPU is only a software fallback here, so models run on the CPU (WebAssembly).'
      : `WebGPU on ${gpu.description}${gpu.shaderF16 ? ', with shader-f16' : ', without shader-f16'}; buffers up to ${(gpu.maxBufferSize / GIB).toFixed(1)} GiB.`;
  const lines = [
    gpuLine,
    [facts.memoryGb === null ? null : `${facts.memoryGb} GB of memory`, facts.cores === null ? null : `${facts.cores} CPU cores`].filter(Boolean).join(', ') || 'Memory and cores not reported by this browser.',
    facts.crossOriginIsolated ? 'WebAssembly can use several threads.' : 'WebAssembly runs on one thread (the page is not cross-origin isolated).',
  ];
  if (facts.phone) lines.unshift('A phone or tablet.');
  const summary = gpu.webgpu && !gpu.fallbackAdapter ? `WebGPU${gpu.shaderF16 ? ' · f16' : ''}` : 'CPU only';
  return { ...facts, deviceClass, summary, lines };
}

interface NavigatorFacts {
  readonly deviceMemory?: number;
  readonly hardwareConcurrency?: number;
  readonly userAgentData?: { readonly mobile?: boolean };
  readonly userAgent?: string;
}

/** Probes this browser once. */
export async function probeDevice(): Promise<DeviceReport> {
  const nav = navigator as NavigatorFacts;
  const coarse = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  const phone = nav.userAgentData?.mobile ?? (/Android|iPhone|iPad|Mobile/i.test(nav.userAgent ?? '') || (coarse && Math.min(screen.width, screen.height) < 600));
  return describeDevice({
    gpu: await probeGpu(),
    memoryGb: typeof nav.deviceMemory === 'number' ? nav.deviceMemory : null,
    cores: typeof nav.hardwareConcurrency === 'number' ? nav.hardwareConcurrency : null,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    phone,
  });
}
