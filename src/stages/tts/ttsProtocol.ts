/** Messages between the page and the text-to-speech worker (Kokoro or MMS). */
import type { FileProgress } from '../../models/transformersLoading';
import type { TransformersLocation } from '../../models/transformersLocation';
import type { OrtWasmPaths } from '../../models/transformersRuntime';
import type { KokoroRuntime } from './kokoroEngine';
import type { MmsRuntime } from './mmsEngine';

export type TtsEngineChoice =
  | {
      readonly kind: 'kokoro';
      readonly runtime: KokoroRuntime;
      /** Where voice files are read when they are not on the hub. */
      readonly modelsBase: string;
    }
  | { readonly kind: 'mms'; readonly runtime: MmsRuntime };

export type TtsCommand =
  | {
      readonly kind: 'load';
      readonly modelId: string;
      readonly engine: TtsEngineChoice;
      readonly location: TransformersLocation;
      readonly ortWasm: OrtWasmPaths;
      /** The speakers' sample rate: audio comes back at it. */
      readonly outputRate: number;
    }
  /** `voice` and `speed` are Kokoro's; MMS has one voice per model. */
  | { readonly kind: 'speak'; readonly id: number; readonly text: string; readonly voice: string; readonly speed: number }
  /** Drops a request that has not started (one that has is dropped when it ends). */
  | { readonly kind: 'cancel'; readonly id: number };

export type TtsMessage =
  | { readonly kind: 'progress'; readonly progress: FileProgress }
  /** `voices`: the voices the engine can speak (none to choose from for MMS). */
  | { readonly kind: 'ready'; readonly voices: readonly string[] }
  | { readonly kind: 'audio'; readonly id: number; readonly samples: Float32Array }
  | { readonly kind: 'error'; readonly id: number; readonly message: string }
  | { readonly kind: 'load-failed'; readonly message: string };
