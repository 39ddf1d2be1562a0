/** The `transformers` language model worker's protocol: a model loaded once, then one streamed generation per request. */
import type { OrtWasmPaths } from '../../models/ortWasmFiles';
import type { Runtime } from '../../models/runtimePolicy';
import type { TransformersLocation } from '../../models/transformersLocation';
import type { StageProtocol } from '../../worker/workerProtocol';
import type { Message } from './message';
import type { ToolSpec } from './tools';

export interface LlmLoad {
  readonly modelId: string;
  readonly runtime: Runtime;
  readonly location: TransformersLocation;
  readonly ortWasm: OrtWasmPaths;
}

export interface LlmProtocol extends StageProtocol {
  readonly load: LlmLoad;
  readonly ready: { readonly loadMs: number };
  /** The conversation, the generation options and the tools offered; cancelling stops it at its next token. */
  readonly request: { readonly messages: readonly Message[]; readonly options: Record<string, unknown>; readonly tools?: readonly ToolSpec[] };
  /** Each decoded piece of the reply. */
  readonly partial: string;
  /** New tokens, time taken, and the prompt's tokens with how many of them the cache already held. */
  readonly result: { readonly tokens: number; readonly ms: number; readonly promptTokens: number; readonly cachedTokens: number };
  readonly event: never;
}
