/** The hub lookup against a local server speaking the hub's model API (model info with siblings, model search). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnnxBuilds } from './onnxBuilds';

let server: Server;
let hub = '';
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://hub');
    asked.push(`${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/models/onnx-community/Qwen3-0.6B-ONNX') return json(200, { id: 'onnx-community/Qwen3-0.6B-ONNX', siblings: [{ rfilename: 'config.json' }, { rfilename: 'onnx/model_q4f16.onnx' }] });
    if (url.pathname === '/api/models/Qwen/Qwen3-4B-Instruct-2507') return json(200, { id: 'Qwen/Qwen3-4B-Instruct-2507', siblings: [{ rfilename: 'model-00001-of-00003.safetensors' }] });
    if (url.pathname === '/api/models/broken/repo') return json(500, { error: 'down' });
    if (url.pathname === '/api/models') {
      const base = url.searchParams.get('filter');
      if (url.searchParams.get('library') !== 'transformers.js') return json(200, []);
      if (base === 'base_model:Qwen/Qwen3-4B-Instruct-2507') {
        return json(200, [
          { id: 'onnx-community/Qwen3-4B-Instruct-2507-ONNX', usedStorage: 21_000_000_000, downloads: 1200 },
          { id: 'someone/qwen3-4b-web', usedStorage: 2_900_000_000, downloads: 30 },
        ]);
      }
      return json(200, []);
    }
    return json(404, { error: 'Repository not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('findOnnxBuilds', () => {
  it('says a repository with ONNX weights loads as it is', async () => {
    expect(await findOnnxBuilds('onnx-community/Qwen3-0.6B-ONNX', hub)).toEqual({ kind: 'loads' });
  });

  it('lists the ONNX builds of a PyTorch repository by base model and library, with their sizes', async () => {
    asked.length = 0;
    expect(await findOnnxBuilds('Qwen/Qwen3-4B-Instruct-2507', hub)).toEqual({
      kind: 'builds',
      builds: [
        { id: 'onnx-community/Qwen3-4B-Instruct-2507-ONNX', bytes: 21_000_000_000, downloads: 1200 },
        { id: 'someone/qwen3-4b-web', bytes: 2_900_000_000, downloads: 30 },
      ],
    });
    expect(asked[1]).toContain('filter=base_model%3AQwen%2FQwen3-4B-Instruct-2507&library=transformers.js&sort=downloads');
  });

  it('still searches for a repository the hub does not know, and finds none', async () => {
    expect(await findOnnxBuilds('acme/unknown', hub)).toEqual({ kind: 'builds', builds: [] });
  });

  it('says when the hub cannot be asked', async () => {
    const answer = await findOnnxBuilds('broken/repo', hub);
    expect(answer.kind === 'failed' && answer.message).toContain('the hub answered 500');
    expect(await findOnnxBuilds('a/b', 'http://127.0.0.1:1')).toMatchObject({ kind: 'failed' });
  });
});
