import { describe, expect, it } from 'vitest';
import { downloadSize, whisperFiles } from './downloadSize';
import { modelsBase } from './modelLocation';
import { localServer } from '../localServer.testSupport';

const server = localServer((request, response) => {
  const sizes: Record<string, number> = { '/m/org/model/onnx/encoder_model_quantized.onnx': 1_000_000, '/m/org/model/onnx/decoder_model_merged_quantized.onnx': 2_500_000 };
  const size = sizes[request.url ?? ''];
  if (request.method !== 'HEAD' || size === undefined) response.writeHead(404).end();
  else response.writeHead(200, { 'content-length': String(size) }).end();
});

describe('download size', () => {
  it('names the files transformers.js loads for each dtype', () => {
    expect(whisperFiles('q8')).toEqual(['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx']);
    expect(whisperFiles({ encoder_model: 'fp32', decoder_model_merged: 'q4' })).toEqual(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged_q4.onnx']);
    expect(whisperFiles('fp16')).toEqual(['onnx/encoder_model_fp16.onnx', 'onnx/decoder_model_merged_fp16.onnx']);
  });

  it('adds up the sizes the server reports, and says which file is missing', async () => {
    const base = modelsBase(`${server.origin}/m/`, 'http://page/');
    expect(await downloadSize(base, 'org/model', whisperFiles('q8'))).toBe(3_500_000);
    await expect(downloadSize(base, 'org/model', whisperFiles('fp32'))).rejects.toThrow('org/model has no onnx/encoder_model.onnx');
  });
});
