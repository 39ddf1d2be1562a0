/**
 * A stage that stopped after it was ready, as the page takes it: a lost GPU device (reported by
 * the worker's `watchGpuDevice` as `gpu-lost`) marks WebGPU unusable, so the stage and every later
 * load run on WASM; the restart policy says whether it starts again by itself. Kept free of
 * transformers.js, so the page's own bundle does not carry the library.
 */
import type { RestartPolicy } from '../worker/restartPolicy';
import { markGpuLost } from './capabilities';

/** The code a worker fails with when its GPU device is lost. */
export const GPU_LOST = 'gpu-lost';

/**
 * Whether the stopped stage starts again by itself, and what to tell the user: the failure, and
 * after a GPU loss that `subject` ("The voice") loads again on the CPU, with `note` (", which is slower").
 */
export function stageStopped(error: { readonly code: string; readonly message: string }, subject: string, restarts: RestartPolicy, note = ''): { readonly restarting: boolean; readonly message: string } {
  const gpuLost = error.code === GPU_LOST;
  if (gpuLost) markGpuLost();
  const restarting = restarts.restartsByItself();
  return { restarting, message: gpuLost ? `${error.message} ${subject} ${restarting ? 'is loading again' : 'can load again'} on the CPU (WASM)${note}.` : error.message };
}
