import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every test watches the page: any console error, uncaught exception, or request that leaves the
 * page's own origin fails it (no setting in these tests asks for one).
 */
export const test = base.extend<{ watched: Page }>({
  watched: async ({ page, baseURL }, use) => {
    const problems: string[] = [];
    const origin = new URL(baseURL ?? 'http://localhost/').origin;
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) problems.push(`request outside the origin: ${request.url()}`);
    });
    await use(page);
    expect(problems).toEqual([]);
  },
});

export { expect };

/** The form control of a setting, found through its visible label. */
export function settingControl(page: Page, key: string) {
  return page.locator(`[data-setting="${key}"]`).locator('input, select, textarea').first();
}
