/** Messages between the page and the VAD worker. */
import type { DownloadProgress } from '../../models/fetchModelFile';
import type { TurnDetectorOptions, TurnEvent } from './turnDetector';

export interface VadStart {
  readonly kind: 'start';
  readonly options: TurnDetectorOptions;
  readonly sileroModelUrl: string;
  /** Null with Smart Turn off. */
  readonly smartTurnModelUrl: string | null;
  readonly ortWasmUrl: string;
  readonly threads: number;
  /** Frames from the capture worklet arrive here. */
  readonly frames: MessagePort;
}

export type VadCommand = VadStart | { readonly kind: 'stop' };

export type VadMessage =
  | { readonly kind: 'loading'; readonly what: string; readonly progress: DownloadProgress }
  | { readonly kind: 'ready' }
  /** One frame heard: its level (RMS), speech probability, and how long Silero took on it. */
  | { readonly kind: 'frame'; readonly index: number; readonly timeMs: number; readonly rms: number; readonly probability: number; readonly inferenceMs: number }
  | { readonly kind: 'turn'; readonly event: TurnEvent }
  | { readonly kind: 'error'; readonly message: string; readonly fatal: boolean };
