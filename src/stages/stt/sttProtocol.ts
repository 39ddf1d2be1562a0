/** Messages between the page and the speech-to-text worker. */
import type { TransformersLocation } from '../../models/transformersLocation';
import type { Settings } from '../../settings/schema';
import type { FileProgress } from '../../models/transformersLoading';
import type { TranscriptionJob } from './transcriptionQueue';
import type { WhisperRuntime } from './whisperRuntime';

export type WhisperSettings = Pick<
  Settings,
  'stt_model_name' | 'language' | 'stt_gen_max_new_tokens' | 'stt_gen_num_beams' | 'stt_gen_return_timestamps' | 'stt_gen_task' | 'stt_gen_kwargs'
>;

export interface TranscriptionRequest extends TranscriptionJob {
  readonly audio: Float32Array;
}

export type SttCommand =
  | { readonly kind: 'load'; readonly settings: WhisperSettings; readonly runtime: WhisperRuntime; readonly location: TransformersLocation; readonly ortWasm: { readonly mjs: string; readonly wasm: string } }
  | { readonly kind: 'transcribe'; readonly request: TranscriptionRequest };

export type SttMessage =
  | { readonly kind: 'progress'; readonly progress: FileProgress }
  | { readonly kind: 'ready'; readonly runtime: WhisperRuntime; readonly loadMs: number }
  | {
      readonly kind: 'transcript';
      readonly id: number;
      readonly turn: number;
      readonly revision: number;
      readonly mode: 'partial' | 'final';
      readonly text: string;
      readonly language: string;
      /** Inference time, and audio length, for the real-time factor. */
      readonly inferenceMs: number;
      readonly audioMs: number;
    }
  | { readonly kind: 'dropped'; readonly id: number; readonly turn: number; readonly revision: number; readonly mode: 'partial' | 'final' }
  | { readonly kind: 'error'; readonly message: string; readonly fatal: boolean; readonly id?: number };
