import { createReadStream, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Cross-origin isolation lets onnxruntime-web use several WebAssembly threads; without it, it
 * silently falls back to one. Static hosts must send the same two headers.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Serves a folder of models in the hub's layout at /models/ from the dev and preview servers when
 * S2S_MODELS_DIR names one: how tests and offline setups point models_base_url at local files.
 */
function serveModels(folder: string | undefined): Plugin {
  const root = folder ? resolve(folder) : undefined;
  const middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    const path = decodeURIComponent((request.url ?? '').split('?')[0] ?? '');
    if (!root || !path.startsWith('/models/')) {
      next();
      return;
    }
    const file = resolve(root, `.${path.slice('/models'.length)}`);
    let size: number;
    try {
      const stat = statSync(file);
      if (!file.startsWith(root + sep) || !stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      response.writeHead(404, crossOriginIsolation).end('Not found');
      return;
    }
    response.writeHead(200, { ...crossOriginIsolation, 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(response);
  };
  return {
    name: 'serve-models',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  plugins: [react(), serveModels(process.env.S2S_MODELS_DIR)],
  // Relative asset URLs, so the built site works from any folder of a static host.
  base: './',
  // 'mpa' makes a missing file a 404 instead of index.html, which model loaders would take for a file.
  appType: 'mpa',
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
});
