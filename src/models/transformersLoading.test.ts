import { describe, expect, it } from 'vitest';
import { loadFailureReason, loadWithCacheRetry, noteCacheHit, type FileRequest } from './transformersLoading';

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

describe('loadWithCacheRetry', () => {
  it('a load that fails on files from the cache is tried once more with them fetched again', async () => {
    const forgotten: string[] = [];
    let attempts = 0;
    const loaded = await loadWithCacheRetry(
      () => {
        attempts += 1;
        if (attempts === 1) {
          noteCacheHit('https://hub/a/config.json');
          noteCacheHit('https://hub/a/onnx/model.onnx');
          return Promise.reject(new SyntaxError('Unexpected token <'));
        }
        return Promise.resolve('model');
      },
      (url) => Promise.resolve(forgotten.push(url)),
    );
    expect(loaded).toBe('model');
    expect(attempts).toBe(2);
    expect(forgotten).toEqual(['https://hub/a/config.json', 'https://hub/a/onnx/model.onnx']);
  });

  it('a load that fails with nothing from the cache fails at once; a second failure is the one reported', async () => {
    let attempts = 0;
    const forget = () => Promise.resolve(true);
    await expect(loadWithCacheRetry(() => Promise.reject(new Error(`not there ${++attempts}`)), forget)).rejects.toThrow('not there 1');
    expect(attempts).toBe(1);
    await expect(
      loadWithCacheRetry(() => {
        noteCacheHit('https://hub/a/config.json');
        return Promise.reject(new Error(`still broken ${++attempts}`));
      }, forget),
    ).rejects.toThrow('still broken 3');
  });
});
