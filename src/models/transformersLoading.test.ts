import { describe, expect, it } from 'vitest';
import { loadFailureReason, type FileRequest } from './transformersLoading';

const ok = (url: string, contentType = 'application/json'): FileRequest => ({ url, status: 200, contentType });

describe('loadFailureReason', () => {
  it('names the first file the model needs that did not come, and what the server said', () => {
    const made = [ok('/m/a/config.json'), { url: '/m/a/generation_config.json', status: 404, contentType: '' }, { url: '/m/a/tokenizer.json', status: 404, contentType: '' }];
    expect(loadFailureReason(new TypeError("Cannot read properties of undefined (reading 'tokenizer_class')"), made)).toBe('/m/a/tokenizer.json is not there (HTTP 404)');
    expect(loadFailureReason(new Error('x'), [{ url: 'https://hub/a/onnx/model.onnx', status: 403, contentType: '' }])).toBe('https://hub/a/onnx/model.onnx was refused (HTTP 403): the model may be gated or private');
    expect(loadFailureReason(new Error('x'), [{ url: 'https://hub/a/config.json', status: 0, contentType: '' }])).toBe('https://hub/a/config.json could not be reached');
    expect(loadFailureReason(new Error('x'), [{ url: 'https://hub/a/config.json', status: 503, contentType: '' }])).toBe('https://hub/a/config.json answered HTTP 503');
  });

  it('tells a web page served for a model file', () => {
    expect(loadFailureReason(new SyntaxError('Unexpected token <'), [ok('/m/a/config.json', 'text/html; charset=utf-8')])).toBe('/m/a/config.json is a web page, not a model file');
  });

  it('without a failed file, says the library’s words, and that its internal errors mean unexpected files', () => {
    expect(loadFailureReason(new Error('Unsupported model type: foo'), [ok('/m/a/config.json')])).toBe('Unsupported model type: foo');
    expect(loadFailureReason(new TypeError("Cannot read properties of undefined (reading 'tokenizer_class')"), [])).toBe("its files are not what transformers.js expects (Cannot read properties of undefined (reading 'tokenizer_class'))");
  });
});
