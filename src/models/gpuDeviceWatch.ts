/**
 * In a worker that runs on WebGPU: watches onnxruntime-web's device, so that a lost device (a
 * driver reset, the GPU taken back by the system, a tab pushed out of GPU memory) is reported as
 * `gpu-lost` rather than failing every later inference.
 */
import { env } from '@huggingface/transformers';

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
