/** Messages between the page and the Kokoro worker. */
import type { FileProgress } from '../../models/transformersLoading';
import type { TransformersLocation } from '../../models/transformersLocation';
import type { OrtWasmPaths } from '../../models/transformersRuntime';
import type { KokoroRuntime } from './kokoroEngine';

export type TtsCommand =
  | {
      readonly kind: 'load';
      readonly modelId: string;
      readonly runtime: KokoroRuntime;
      readonly location: TransformersLocation;
      readonly ortWasm: OrtWasmPaths;
      /** Where voice files are read when they are not on the hub. */
      readonly modelsBase: string;
      /** The speakers' sample rate: audio comes back at it. */
      readonly outputRate: number;
    }
  | { readonly kind: 'speak'; readonly id: number; readonly text: string; readonly voice: string; readonly speed: number }
  /** Drops a request that has not started (one that has is dropped when it ends). */
  | { readonly kind: 'cancel'; readonly id: number };

export type TtsMessage =
  | { readonly kind: 'progress'; readonly progress: FileProgress }
  | { readonly kind: 'ready' }
  | { readonly kind: 'audio'; readonly id: number; readonly samples: Float32Array }
  | { readonly kind: 'error'; readonly id: number; readonly message: string }
  | { readonly kind: 'load-failed'; readonly message: string };
