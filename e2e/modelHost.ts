/**
 * A model host on an origin of its own (127.0.0.1 on a free port): the shared test models in the
 * hub's folder layout, with the CORS and resource-policy headers a cross-origin isolated page
 * needs, and a record of every request, so a test can tell whether the page asked it anything.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { SHARED_MODELS } from './paths';

export interface ModelHost {
  /** Where the models are, as models_base_url: `http://127.0.0.1:<port>/models/`. */
  readonly baseUrl: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startModelHost(): Promise<ModelHost> {
  const root = resolve(SHARED_MODELS);
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    const headers = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-length', 'cross-origin-resource-policy': 'cross-origin' };
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    const file = resolve(root, `.${path.replace(/^\/models/, '')}`);
    let size = -1;
    try {
      if (path.startsWith('/models/') && file.startsWith(root + sep) && statSync(file).isFile()) size = statSync(file).size;
    } catch {
      size = -1;
    }
    if (size < 0) {
      response.writeHead(404, headers).end('Not found');
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(size) });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
