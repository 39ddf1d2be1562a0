/**
 * transformers.js runs its models on onnxruntime-web, whose WebAssembly files it fetches from a
 * CDN unless told otherwise. This points it at the copies this site serves (in workers only: the
 * page never loads transformers.js).
 */
import { env } from '@huggingface/transformers';
import { bundledOrtWasm, type OrtWasmPaths } from './ortWasmFiles';

export function useLocalOnnxRuntime(paths: OrtWasmPaths = bundledOrtWasm()): void {
  const wasm = env.backends.onnx.wasm;
  if (wasm) wasm.wasmPaths = paths;
  // Its own copy of these files would be imported from a blob: URL, which the site's
  // Content-Security-Policy refuses; the site's service worker keeps them for offline visits.
  env.useWasmCache = false;
}
