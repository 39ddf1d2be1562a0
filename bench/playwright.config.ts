import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { SHARED_MODELS } from '../e2e/paths';

/**
 * Benchmarks (`npm run bench`): pages under bench/ served by the Vite dev server, driven in
 * Chromium by Playwright as a harness. They print measurements; they are not tests.
 */
const port = Number(process.env.BENCH_PORT ?? 4174);

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  timeout: 30 * 60_000,
  reporter: [['list']],
  use: { baseURL: `http://localhost:${port}/`, launchOptions: chromiumLaunchOptions() },
  webServer: {
    command: `npx vite --port ${port} --strictPort`,
    url: `http://localhost:${port}/bench/vad.html`,
    cwd: resolve(import.meta.dirname, '..'),
    reuseExistingServer: false,
    env: { S2S_MODELS_DIR: SHARED_MODELS },
    timeout: 120_000,
  },
});
