/** The speech-to-text worker's protocol: Whisper loaded once, then one transcription per request. */
import type { OrtWasmPaths } from '../../models/ortWasmFiles';
import type { TransformersLocation } from '../../models/transformersLocation';
import type { Settings } from '../../settings/schema';
import type { StageProtocol } from '../../worker/workerProtocol';
import type { TurnAudio } from './transcriber';
import type { WhisperRuntime } from './whisperRuntime';

/** The settings the worker reads: all it is given of them. */
export const WHISPER_WORKER_SETTINGS = ['stt_model_name', 'language', 'stt_gen_max_new_tokens', 'stt_gen_num_beams', 'stt_gen_return_timestamps', 'stt_gen_task', 'stt_gen_kwargs'] as const;

export type WhisperSettings = Pick<Settings, (typeof WHISPER_WORKER_SETTINGS)[number]>;

export interface WhisperLoad {
  readonly settings: WhisperSettings;
  readonly runtime: WhisperRuntime;
  readonly location: TransformersLocation;
  readonly ortWasm: OrtWasmPaths;
}

export type TranscriptionResult =
  | { readonly kind: 'transcript'; readonly text: string; readonly language: string; readonly inferenceMs: number; readonly audioMs: number }
  /** Stale before it ran, or by the time it finished. */
  | { readonly kind: 'dropped' };

export interface SttProtocol extends StageProtocol {
  readonly load: WhisperLoad;
  readonly ready: { readonly loadMs: number };
  readonly request: TurnAudio;
  readonly partial: never;
  readonly result: TranscriptionResult;
  readonly event: never;
}
