/** The text-to-speech worker's protocol (Kokoro or MMS): a model loaded once, then one sentence batch per request. */
import type { Runtime } from '../../models/runtimePolicy';
import type { TransformersLocation } from '../../models/transformersLocation';
import type { OrtWasmPaths } from '../../models/ortWasmFiles';
import type { StageProtocol } from '../../worker/workerProtocol';

export type TtsEngineChoice =
  | {
      readonly kind: 'kokoro';
      /** Where voice files are read from. */
      readonly modelsBase: string;
      /** The configured voice, fetched with the model. */
      readonly voice: string;
    }
  | { readonly kind: 'mms' };

export interface TtsLoad {
  readonly modelId: string;
  readonly engine: TtsEngineChoice;
  readonly runtime: Runtime;
  readonly location: TransformersLocation;
  readonly ortWasm: OrtWasmPaths;
  /** The speakers' sample rate: audio comes back at it. */
  readonly outputRate: number;
}

export interface TtsProtocol extends StageProtocol {
  readonly load: TtsLoad;
  /** The voices the engine can speak (none to choose from for MMS). */
  readonly ready: { readonly voices: readonly string[] };
  /** `voice` and `speed` are Kokoro's; MMS has one voice per model. */
  readonly request: { readonly text: string; readonly voice: string; readonly speed: number };
  /** Samples at the speakers' rate, transferred. */
  readonly result: Float32Array;
  readonly partial: never;
  readonly event: never;
}
