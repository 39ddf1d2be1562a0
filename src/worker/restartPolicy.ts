import { markGpuLost } from '../models/capabilities';
import { GPU_LOST } from '../models/gpuLoss';

/**
 * How a stage that stopped after it was ready (its worker crashed, ran out of memory, stopped
 * answering, lost its GPU) comes back: started again by itself once, then only when the user
 * asks, so a stage that keeps failing does not loop. One that then runs for `settleMs` without
 * failing earns its automatic restart back.
 */
export class RestartPolicy {
  private lastAutomatic: number | null = null;

  constructor(
    private readonly settleMs = 5 * 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The stage stopped: whether it starts again now by itself (else the page offers a button). */
  restartsByItself(): boolean {
    const now = this.now();
    if (this.lastAutomatic !== null && now - this.lastAutomatic < this.settleMs) return false;
    this.lastAutomatic = now;
    return true;
  }
}

/**
 * A stage that stopped after it was ready: whether it starts again by itself, and what to tell
 * the user. A lost GPU device marks WebGPU unusable, so the stage and every later load run on
 * WASM, and the message says that `subject` ("The voice") loads again on the CPU, with `note`
 * (", which is slower").
 */
export function stageStopped(error: { readonly code: string; readonly message: string }, subject: string, restarts: RestartPolicy, note = ''): { readonly restarting: boolean; readonly message: string } {
  const gpuLost = error.code === GPU_LOST;
  if (gpuLost) markGpuLost();
  const restarting = restarts.restartsByItself();
  return { restarting, message: gpuLost ? `${error.message} ${subject} ${restarting ? 'is loading again' : 'can load again'} on the CPU (WASM)${note}.` : error.message };
}
