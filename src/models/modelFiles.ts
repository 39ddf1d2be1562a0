/**
 * The files a model family loads, as transformers.js and kokoro-js name them for a dtype: what
 * the page counts before a first download, and what the model manager groups by model.
 */
import type { Dtype } from './runtimePolicy';

export interface ModelFile {
  readonly path: string;
  /** Loaded when present (configurations some repositories lack, weights split into external data). */
  readonly optional: boolean;
}

/** transformers.js's file suffix for a dtype (`model_quantized.onnx` is q8). */
export function dtypeSuffix(dtype: string): string {
  return dtype === 'fp32' ? '' : dtype === 'q8' ? '_quantized' : `_${dtype}`;
}

const required = (path: string): ModelFile => ({ path, optional: false });
const optional = (path: string): ModelFile => ({ path, optional: true });

/** One dtype, or (Whisper on WebGPU) one for the encoder and one for the decoder. */
function part(dtype: Dtype, name: string): string {
  return typeof dtype === 'string' ? dtype : (dtype[name] ?? 'fp32');
}

export function whisperFiles(dtype: Dtype): ModelFile[] {
  return [
    required('config.json'),
    optional('generation_config.json'),
    optional('preprocessor_config.json'),
    required('tokenizer.json'),
    optional('tokenizer_config.json'),
    required(`onnx/encoder_model${dtypeSuffix(part(dtype, 'encoder_model'))}.onnx`),
    required(`onnx/decoder_model_merged${dtypeSuffix(part(dtype, 'decoder_model_merged'))}.onnx`),
  ];
}

export function causalLmFiles(dtype: string): ModelFile[] {
  const model = `onnx/model${dtypeSuffix(dtype)}.onnx`;
  return [required('config.json'), optional('generation_config.json'), required('tokenizer.json'), optional('tokenizer_config.json'), required(model), optional(`${model}_data`)];
}

export function kokoroFiles(dtype: string, voice: string): ModelFile[] {
  return [required('config.json'), required('tokenizer.json'), optional('tokenizer_config.json'), required(`onnx/model${dtypeSuffix(dtype)}.onnx`), required(`voices/${voice}.bin`)];
}

export function mmsFiles(dtype: string): ModelFile[] {
  return [required('config.json'), optional('tokenizer_config.json'), optional('vocab.json'), required(`onnx/model${dtypeSuffix(dtype)}.onnx`)];
}
