import { describe, expect, it } from 'vitest';
import { localServer } from '../localServer.testSupport';
import { measureDownloads, type MeasureTools } from './measureDownloads';

const heads: string[] = [];
const server = localServer((request, response) => {
  heads.push(`${request.method ?? ''} ${request.url ?? ''}`);
  const sizes: Record<string, number> = { '/m/a.onnx': 1_000_000, '/m/b.json': 2_000, '/m/linked.onnx': 0 };
  const size = sizes[request.url ?? ''];
  if (size === undefined) response.writeHead(404).end();
  else if (request.url === '/m/linked.onnx') response.writeHead(200, { 'x-linked-size': '5000000', 'content-length': '0' }).end();
  else response.writeHead(200, { 'content-length': String(size) }).end();
});

const tools = (cached: Record<string, number> = {}): MeasureTools => ({ cachedSize: (url) => Promise.resolve(cached[url] ?? null), timeoutMs: 2000 });

describe('measureDownloads', () => {
  it('adds up the sizes, with HEAD requests only, the hub’s x-linked-size first, optional missing files left out', async () => {
    heads.length = 0;
    const url = (path: string) => `${server.origin}/m/${path}`;
    const measured = await measureDownloads([{ url: url('a.onnx'), optional: false }, { url: url('b.json'), optional: false }, { url: url('linked.onnx'), optional: false }, { url: url('none.json'), optional: true }], tools());
    expect(measured).toEqual({ bytes: 6_002_000, toDownload: 6_002_000, problem: null });
    expect(heads.every((line) => line.startsWith('HEAD '))).toBe(true);
  });

  it('counts what a cache already holds as there, without asking the server', async () => {
    heads.length = 0;
    const a = `${server.origin}/m/a.onnx`;
    const measured = await measureDownloads([{ url: a, optional: false }, { url: `${server.origin}/m/b.json`, optional: false }], tools({ [a]: 1_000_000 }));
    expect(measured).toEqual({ bytes: 1_002_000, toDownload: 2_000, problem: null });
    expect(heads).toEqual(['HEAD /m/b.json']);
  });

  it('says which required file is missing, and when the host does not answer', async () => {
    expect((await measureDownloads([{ url: `${server.origin}/m/missing.onnx`, optional: false }], tools())).problem).toBe(`${server.origin}/m/missing.onnx answered HTTP 404: check the model setting and models_base_url.`);
    expect(await measureDownloads([{ url: 'http://127.0.0.1:1/m/a.onnx', optional: false }], tools())).toEqual({ bytes: null, toDownload: null, problem: '127.0.0.1:1 did not answer, so the download size is not known.' });
  });
});
