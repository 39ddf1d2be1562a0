import { test as base, chromium, expect, type Page } from '@playwright/test';
import { chromiumLaunchOptions, withMicrophoneClip } from './chromium';

/** Collects console errors, uncaught exceptions and requests that leave the page's origin. */
function watch(page: Page, origin: string, allowedHosts: readonly string[] = []): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser's own note of an error status from a test server the test made fail on purpose.
    const source = message.location().url;
    if (message.text().startsWith('Failed to load resource') && source && allowedHosts.includes(new URL(source).hostname)) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin && !allowedHosts.includes(url.hostname)) problems.push(`request outside the origin: ${request.url()}`);
  });
  return problems;
}

/**
 * `watched`: the page, failing the test on any console error, uncaught exception, or request
 * outside its own origin (no setting in these tests asks for one).
 * `listeningPage`: the same, in a Chromium of its own whose microphone plays the `microphoneClip`
 * WAV (none: no microphone at all), started with `chromiumArgs` too; requests to `allowedHosts`
 * are expected.
 */
export const test = base.extend<{ watched: Page; microphoneClip: string; chromiumArgs: string[]; allowedHosts: string[]; listeningPage: Page }>({
  watched: async ({ page, baseURL }, use) => {
    const problems = watch(page, new URL(baseURL ?? 'http://localhost/').origin);
    await use(page);
    expect(problems).toEqual([]);
  },
  microphoneClip: ['', { option: true }],
  chromiumArgs: [[], { option: true }],
  /** Hosts a setting of the test points the page at, such as a local API server. */
  allowedHosts: [[], { option: true }],
  listeningPage: async ({ microphoneClip, chromiumArgs, allowedHosts, baseURL }, use) => {
    const browser = await chromium.launch(microphoneClip ? withMicrophoneClip(microphoneClip, chromiumArgs) : chromiumLaunchOptions(chromiumArgs));
    try {
      const context = await browser.newContext({ ...(baseURL ? { baseURL } : {}) });
      const page = await context.newPage();
      const problems = watch(page, new URL(baseURL ?? 'http://localhost/').origin, allowedHosts);
      await use(page);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  },
});

export { expect };

/** The form control of a setting, found through its visible label. */
export function settingControl(page: Page, key: string) {
  return page.locator(`[data-setting="${key}"]`).locator('input, select, textarea').first();
}
