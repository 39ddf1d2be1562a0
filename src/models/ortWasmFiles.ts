/**
 * The addresses of the onnxruntime-web files this site serves for transformers.js, so the app
 * works offline and never asks another origin for code. Kept apart from transformers.js itself:
 * the page hands these to its workers and must not load the library to do so.
 */
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
