/**
 * The one envelope every stage worker speaks (Silero VAD, Whisper, the language model, Kokoro and
 * MMS). The page loads the worker, asks it for work by id (a request may stream partial answers
 * before its result), may cancel a request, and stops it; the worker reports its load progress,
 * that it is ready, failures with a phase and a code, and events of its own. A stage's protocol
 * file fills in the payloads as one StageProtocol.
 */
import type { LoadProgress } from '../models/loadProgress';
import type { FailurePhase } from './stageError';

export interface StageProtocol {
  /** What the worker needs to load (model, runtime, where files come from). */
  readonly load: unknown;
  /** What it says once ready. */
  readonly ready: unknown;
  readonly request: unknown;
  /** What a request streams before its result (never, for most stages). */
  readonly partial: unknown;
  readonly result: unknown;
  /** What the worker reports unasked (the VAD's frames and turns). */
  readonly event: unknown;
}

export type ToWorker<P extends StageProtocol> =
  | { readonly kind: 'load'; readonly payload: P['load'] }
  | { readonly kind: 'request'; readonly id: number; readonly payload: P['request'] }
  /** Stops a request: dropped if it waits, told to stop if it runs. */
  | { readonly kind: 'cancel'; readonly id: number }
  /** Releases the models; the worker closes itself. */
  | { readonly kind: 'stop' };

export type FromWorker<P extends StageProtocol> =
  | { readonly kind: 'progress'; readonly progress: LoadProgress }
  | { readonly kind: 'ready'; readonly payload: P['ready'] }
  /** `phase` request: the request `id` failed and the worker goes on; load or run: the worker cannot go on. */
  | { readonly kind: 'failed'; readonly phase: FailurePhase; readonly code: string; readonly message: string; readonly id?: number }
  | { readonly kind: 'event'; readonly payload: P['event'] }
  | { readonly kind: 'partial'; readonly id: number; readonly payload: P['partial'] }
  | { readonly kind: 'result'; readonly id: number; readonly payload: P['result'] };
