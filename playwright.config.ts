import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';
import { SHARED_MODELS } from './e2e/paths';

/**
 * End-to-end tests drive the production build, served as a static site by `vite preview`, with
 * the test models of shared/models at /models/.
 */
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // Pages load several models at once; on a busy 2-core machine a step can take seconds longer.
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${port}/`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
    // The service worker would copy the whole site into every fresh context; the hosting tests allow it.
    serviceWorkers: 'block',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    env: { S2S_MODELS_DIR: SHARED_MODELS },
    timeout: 60_000,
  },
});
