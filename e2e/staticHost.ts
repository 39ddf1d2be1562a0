/**
 * A plain static host, as a shared host or GitHub Pages would be: files with their content types
 * and nothing else (no cross-origin isolation, no Content-Security-Policy header). It serves a
 * site folder under a subpath, which can be swapped for another (a new version), and a models
 * folder at /models/.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticHost {
  readonly origin: string;
  /** Serves another folder at the same subpath from now on. */
  serve(folder: string): void;
  close(): Promise<void>;
}

export async function startStaticHost(subpath: string, site: string, models: string): Promise<StaticHost> {
  let siteRoot = resolve(site);
  const modelsRoot = resolve(models);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    const [root, rest] = path.startsWith('/models/') ? [modelsRoot, path.slice('/models/'.length)] : path.startsWith(subpath) ? [siteRoot, path.slice(subpath.length) || 'index.html'] : [null, ''];
    const file = root ? resolve(root, rest.endsWith('/') ? `${rest}index.html` : rest) : '';
    let size = -1;
    try {
      if (root && file.startsWith(root + sep)) size = statSync(file).isFile() ? statSync(file).size : -1;
    } catch {
      size = -1;
    }
    if (size < 0) {
      response.writeHead(404).end('Not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(size) });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    serve: (folder) => void (siteRoot = resolve(folder)),
    close: () => new Promise((done) => server.close(() => done())),
  };
}
