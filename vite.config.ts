import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Cross-origin isolation lets onnxruntime-web use several WebAssembly threads; without it, it
 * silently falls back to one. Static hosts must send the same two headers.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs, so the built site works from any folder of a static host.
  base: './',
  // 'mpa' makes a missing file a 404 instead of index.html, which model loaders would take for a file.
  appType: 'mpa',
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
});
