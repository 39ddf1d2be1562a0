/**
 * How much a model download weighs, measured rather than guessed: a HEAD request for each file
 * the app would fetch. The hub answers large files with their size in `x-linked-size`.
 */
import { modelFileUrl } from './modelLocation';
import type { Dtype } from './runtimePolicy';

export async function downloadSize(base: URL, modelId: string, files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(
    files.map(async (file) => {
      const url = modelFileUrl(base, modelId, file);
      let response: Response;
      try {
        response = await fetch(url, { method: 'HEAD' });
      } catch (error) {
        throw new Error(`The size of ${file} could not be checked: ${url} could not be reached.`, { cause: error });
      }
      if (!response.ok) throw new Error(`${modelId} has no ${file} at ${base.href} (HTTP ${response.status}).`);
      const size = Number(response.headers.get('x-linked-size') ?? response.headers.get('content-length'));
      if (!Number.isFinite(size) || size <= 0) throw new Error(`The server did not say how large ${file} is.`);
      return size;
    }),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** The ONNX files transformers.js loads for a Whisper model with this dtype. */
export function whisperFiles(dtype: Dtype): string[] {
  const suffix = (type: string) => (type === 'fp32' ? '' : type === 'q8' ? '_quantized' : `_${type}`);
  const encoder = typeof dtype === 'string' ? dtype : (dtype.encoder_model ?? 'fp32');
  const decoder = typeof dtype === 'string' ? dtype : (dtype.decoder_model_merged ?? 'fp32');
  return [`onnx/encoder_model${suffix(encoder)}.onnx`, `onnx/decoder_model_merged${suffix(decoder)}.onnx`];
}
