import { createReadStream, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, runnerImport, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY_HEADER, CROSS_ORIGIN_ISOLATION, contentSecurityPolicy, headersFile } from './sitePolicy.ts';

/**
 * The built site carries its Content-Security-Policy: as a meta tag in index.html (any host) and
 * in _headers (hosts that read it, with frame-ancestors, which a meta tag cannot carry). Only the
 * build: the dev server's hot reload injects inline script.
 */
function sitePolicy(): Plugin {
  return {
    name: 'site-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy() }, injectTo: 'head-prepend' }],
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
    },
  };
}

/**
 * The preview server sends the site's policy as a host would, with a report address: violations
 * anywhere (workers included) are posted to /__csp-reports, and a GET there hands them over and
 * forgets them, so the end-to-end tests fail on any.
 */
function previewPolicy(): Plugin {
  let reports: unknown[] = [];
  return {
    name: 'preview-policy',
    configurePreviewServer: (server) =>
      void server.middlewares.use((request, response, next) => {
        if (request.url === '/__csp-reports') {
          if (request.method === 'POST') {
            let body = '';
            request.on('data', (chunk: Buffer) => (body += chunk.toString()));
            request.on('end', () => {
              reports.push(JSON.parse(body || 'null'));
              response.writeHead(204).end();
            });
          } else {
            response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reports));
            reports = [];
          }
          return;
        }
        response.setHeader('Content-Security-Policy', `${CONTENT_SECURITY_POLICY_HEADER}; report-uri /__csp-reports`);
        next();
      }),
  };
}

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
      response.writeHead(404, CROSS_ORIGIN_ISOLATION).end('Not found');
      return;
    }
    response.writeHead(200, { ...CROSS_ORIGIN_ISOLATION, 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(response);
  };
  return {
    name: 'serve-models',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

/**
 * A deployment's own defaults (siteSettings.ts), checked with the app's own settings code, which
 * Vite's module runner loads only when a site asks for them.
 */
async function siteSettings(path: string | undefined): Promise<Record<string, unknown> | null> {
  if (!path) return null;
  const { module } = await runnerImport<typeof import('./siteSettings.ts')>(resolve(import.meta.dirname, 'siteSettings.ts'), { configFile: false });
  return module.siteDefaults(path);
}

export default defineConfig({
  plugins: [
    react(),
    serveModels(process.env.S2S_MODELS_DIR),
    sitePolicy(),
    previewPolicy(),
    // The service worker: the page, its code and onnxruntime's WebAssembly kept for offline visits
    // (the models have their own caches). A new version waits for the user (UpdateNotice).
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Speech to speech',
        short_name: 'Speech to speech',
        description: 'A voice assistant that runs entirely in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f4f5f8',
        theme_color: '#3451c9',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,mjs,css,wasm,onnx,png,svg}'],
        // web-llm's code (12 MB) is kept the first time it is used, not on every first visit.
        globIgnores: ['**/lib-*.js', '**/webLlm.worker-*.js'],
        runtimeCaching: [{ urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/assets\/[^/]+\.js$/.test(url.pathname), handler: 'CacheFirst', options: { cacheName: 'app-code' } }],
        // onnxruntime's WebAssembly is 27 MB.
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
        // The page opens offline at any address of the site, its settings in the query included.
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/\/models\//],
        ignoreURLParametersMatching: [/.*/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // A deployment's own defaults, checked at build time (siteSettings.ts, the README's hosting section).
  define: { __SITE_SETTINGS__: JSON.stringify(await siteSettings(process.env.S2S_SITE_SETTINGS)) },
  // Relative asset URLs, so the built site works from any folder of a static host.
  base: './',
  // 'mpa' makes a missing file a 404 instead of index.html, which model loaders would take for a file.
  appType: 'mpa',
  server: { headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  worker: { format: 'es' },
});
