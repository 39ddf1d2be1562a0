/** Messages between the page and the `transformers` language model worker. */
import type { FileProgress } from '../../models/transformersLoading';
import type { TransformersLocation } from '../../models/transformersLocation';
import type { OrtWasmPaths } from '../../models/transformersRuntime';
import type { Message } from './conversation';
import type { LlmRuntime } from './llmRuntime';

export type LlmCommand =
  | { readonly kind: 'load'; readonly modelId: string; readonly runtime: LlmRuntime; readonly location: TransformersLocation; readonly ortWasm: OrtWasmPaths }
  | { readonly kind: 'generate'; readonly id: number; readonly messages: readonly Message[]; readonly options: Record<string, unknown> }
  /** Stops a generation at its next token, or drops it if it has not started. */
  | { readonly kind: 'abort'; readonly id: number };

export type LlmMessage =
  | { readonly kind: 'progress'; readonly progress: FileProgress }
  | { readonly kind: 'ready'; readonly loadMs: number }
  | { readonly kind: 'delta'; readonly id: number; readonly text: string }
  | { readonly kind: 'done'; readonly id: number; readonly tokens: number; readonly ms: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string }
  | { readonly kind: 'load-failed'; readonly message: string };
