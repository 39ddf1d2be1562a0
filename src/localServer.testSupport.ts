/** A local HTTP server on 127.0.0.1 for one test file: the real wire protocol of a remote API, on this machine. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** Starts before the file's tests and closes after them (open connections too); `origin` is set once started. */
export function localServer(handler: RequestListener): { readonly origin: string } {
  const server = createServer(handler);
  const state = { origin: '' };
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}
