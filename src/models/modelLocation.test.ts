import { describe, expect, it } from 'vitest';
import { modelFileUrl, modelPathUrl, modelsBase } from './modelLocation';

const page = 'https://app.example/s2s/index.html';

describe('model location', () => {
  it('uses the hub’s resolve/main layout on the hub', () => {
    const base = modelsBase('https://huggingface.co/', page);
    expect(modelFileUrl(base, 'pipecat-ai/smart-turn-v3', 'smart-turn-v3.2-cpu.onnx')).toBe('https://huggingface.co/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.2-cpu.onnx');
    expect(modelFileUrl(modelsBase('https://hf-mirror.com', page), 'a/b', 'c.json')).toBe('https://hf-mirror.com/a/b/resolve/main/c.json');
  });

  it('uses plain folders elsewhere, resolving same-site paths against the page', () => {
    expect(modelFileUrl(modelsBase('/models/', page), 'onnx-community/whisper-tiny.en', 'onnx/encoder_model_quantized.onnx')).toBe(
      'https://app.example/models/onnx-community/whisper-tiny.en/onnx/encoder_model_quantized.onnx',
    );
    expect(modelFileUrl(modelsBase('https://intranet.example/ml', page), 'a/b', 'c')).toBe('https://intranet.example/ml/a/b/c');
  });

  it('reads a path setting as <org>/<model>/<file> under the models location, or as a URL', () => {
    const base = modelsBase('/models/', page);
    expect(modelPathUrl(base, 'test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx')).toBe('https://app.example/models/test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx');
    expect(modelPathUrl(modelsBase('https://huggingface.co/', page), 'pipecat-ai/smart-turn-v3/smart-turn-v3.2-gpu.onnx')).toBe(
      'https://huggingface.co/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.2-gpu.onnx',
    );
    expect(modelPathUrl(base, 'https://cdn.example/st.onnx')).toBe('https://cdn.example/st.onnx');
    expect(() => modelPathUrl(base, 'st.onnx')).toThrow('<org>/<model>/<file>');
  });
});
