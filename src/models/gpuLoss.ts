/**
 * A lost GPU device (a driver reset, the GPU taken back by the system, a tab pushed out of GPU
 * memory) makes every later inference on it fail. A worker that runs on WebGPU watches its
 * device and reports the loss as `gpu-lost`; the page then marks WebGPU unusable
 * (`markGpuLost`), so the stage loads again on WASM and every later load chooses WASM.
 */
import { env } from '@huggingface/transformers';

/** The code a worker fails with when its GPU device is lost. */
export const GPU_LOST = 'gpu-lost';

interface LostInfo {
  readonly reason: string;
  readonly message: string;
}

/** Calls `onLost` if onnxruntime-web's WebGPU device is lost (not when it is destroyed on purpose). */
export function watchGpuDevice(onLost: (message: string) => void): void {
  const webgpu = env.backends.onnx.webgpu as { device?: Promise<{ lost: Promise<LostInfo> } | undefined> } | undefined;
  void Promise.resolve(webgpu?.device)
    .then((device) => device?.lost)
    .then((info) => {
      if (info && info.reason !== 'destroyed') onLost(`The GPU stopped working (${info.message || 'device lost'}).`);
    })
    .catch(() => undefined);
}
