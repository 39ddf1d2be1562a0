/**
 * transformers.js runs its models on onnxruntime-web, whose WebAssembly files it fetches from a
 * CDN unless told otherwise. These point it at the copies this site serves, so the app works
 * offline and never asks another origin for code.
 */
import { env } from '@huggingface/transformers';
import asyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export interface OrtWasmPaths {
  readonly mjs: string;
  readonly wasm: string;
}

/** The bundled files' addresses, resolved against the page (a worker is told them, as its own address differs). */
export function bundledOrtWasm(): OrtWasmPaths {
  return { mjs: new URL(asyncifyMjsUrl, self.location.href).href, wasm: new URL(asyncifyWasmUrl, self.location.href).href };
}

export function useLocalOnnxRuntime(paths: OrtWasmPaths = bundledOrtWasm()): void {
  const wasm = env.backends.onnx.wasm;
  if (wasm) wasm.wasmPaths = paths;
}
