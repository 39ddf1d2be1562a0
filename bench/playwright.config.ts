import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { SHARED_MODELS } from '../e2e/paths';
import { APP_PORT, BENCH_PORT } from './ports';

/**
 * Benchmarks (`npm run bench`, which builds the app first): pages under bench/ served by the Vite
 * dev server, and the built app (the soak) by Vite's preview server, driven in Chromium by
 * Playwright as a harness. They print measurements; they are not tests.
 */
const port = BENCH_PORT;
const appPort = APP_PORT;

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  timeout: 30 * 60_000,
  reporter: [['list']],
  use: { baseURL: `http://localhost:${port}/`, launchOptions: chromiumLaunchOptions() },
  webServer: [
    {
      command: `npx vite --port ${port} --strictPort`,
      url: `http://localhost:${port}/bench/vad.html`,
      cwd: resolve(import.meta.dirname, '..'),
      reuseExistingServer: false,
      env: { S2S_MODELS_DIR: SHARED_MODELS },
      timeout: 120_000,
    },
    {
      command: `npx vite preview --port ${appPort} --strictPort --outDir ${process.env.BENCH_DIST ?? 'dist'}`,
      url: `http://localhost:${appPort}/`,
      cwd: resolve(import.meta.dirname, '..'),
      reuseExistingServer: false,
      env: { S2S_MODELS_DIR: SHARED_MODELS },
      timeout: 60_000,
    },
  ],
});
