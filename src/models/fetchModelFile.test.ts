import { describe, expect, it } from 'vitest';
import { fetchModelFile } from './fetchModelFile';
import type { LoadProgress } from './loadProgress';
import { localServer } from '../localServer.testSupport';

const body = new Uint8Array(300_000).map((_, i) => i % 251);

const server = localServer((request, response) => {
  if (request.url === '/model.onnx') {
    response.writeHead(200, { 'content-length': String(body.length) });
    // In pieces, as a real download arrives.
    for (let offset = 0; offset < body.length; offset += 65_536) response.write(body.subarray(offset, offset + 65_536));
    response.end();
  } else {
    response.writeHead(404).end('not found');
  }
});

describe('fetchModelFile', () => {
  it('downloads the bytes with progress up to the total', async () => {
    const progress: LoadProgress[] = [];
    const bytes = await fetchModelFile(`${server.origin}/model.onnx`, 'test model', (event) => progress.push(event));
    expect(bytes).toEqual(body);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ file: 'test model', loaded: body.length, total: body.length, done: true });
    expect(progress.map((event) => event.loaded)).toEqual([...progress.map((event) => event.loaded)].sort((a, b) => a - b));
  });

  it('says which file is missing and what to check', async () => {
    await expect(fetchModelFile(`${server.origin}/missing.onnx`, 'Smart Turn model')).rejects.toThrow(
      `The Smart Turn model could not be downloaded from ${server.origin}/missing.onnx (HTTP 404: the file is not there: check the model setting and models_base_url).`,
    );
  });

  it('says when the network fails', async () => {
    await expect(fetchModelFile('http://127.0.0.1:1/model.onnx', 'voice activity model')).rejects.toThrow('Check your connection');
  });
});
