import type { Page } from '@playwright/test';

/** Keeps the page's AudioContexts reachable in creation order, so a test can suspend one as a browser would. */
export async function keepAudioContexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const contexts: AudioContext[] = [];
    (window as unknown as { audioContexts: AudioContext[] }).audioContexts = contexts;
    const Original = window.AudioContext;
    window.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        contexts.push(this);
      }
    };
  });
}

/** Suspends the page's AudioContext at `index` (negative: from the end). */
export async function suspendAudioContext(page: Page, index: number): Promise<void> {
  await page.evaluate((at) => (window as unknown as { audioContexts: AudioContext[] }).audioContexts.at(at)?.suspend(), index);
}
