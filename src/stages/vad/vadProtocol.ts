/** The VAD worker's protocol: loaded with the models and the frames' port, it reports each frame heard and the turns it finds. */
import type { StageProtocol } from '../../worker/workerProtocol';
import type { TurnDetectorOptions, TurnEvent } from './turnDetector';

export interface VadLoad {
  readonly options: TurnDetectorOptions;
  readonly sileroModelUrl: string;
  /** Null with Smart Turn off. */
  readonly smartTurnModelUrl: string | null;
  readonly ortWasmUrl: string;
  readonly threads: number;
  /** Frames from the capture worklet arrive here. */
  readonly frames: MessagePort;
}

export type VadEvent =
  /** One frame heard: its level (RMS), speech probability, and how long Silero took on it. */
  | { readonly kind: 'frame'; readonly index: number; readonly timeMs: number; readonly rms: number; readonly probability: number; readonly inferenceMs: number }
  | { readonly kind: 'turn'; readonly event: TurnEvent }
  /** Something listening goes on without (a Smart Turn model that would not load). */
  | { readonly kind: 'notice'; readonly message: string };

/** End the turn now (send now, or push to talk let go); hold: push to talk held or let go. */
export type VadRequest = { readonly kind: 'end_turn' } | { readonly kind: 'hold'; readonly holding: boolean };

export interface VadProtocol extends StageProtocol {
  readonly load: VadLoad;
  readonly ready: null;
  readonly request: VadRequest;
  readonly partial: never;
  readonly result: null;
  readonly event: VadEvent;
}
