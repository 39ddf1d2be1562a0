import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { withMicrophoneClip } from './chromium';
import { afterSilence, shared } from './clips';
import { SHARED_MODELS, TEST_LLM } from './paths';
import { startStaticHost, type StaticHost } from './staticHost';

/**
 * The built site as a user's own host would serve it: a plain static server, from a subpath,
 * without the cross-origin isolation headers or a policy header (the page's meta tag is the only
 * policy). Everything local: Whisper tiny.en, the language model and voice stand-ins.
 */
const SUBPATH = '/apps/voice/';
const APP = `${SUBPATH}?models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&${TEST_LLM}&no_echo_cancellation&no_noise_suppression&no_auto_gain_control`;

/** Page errors and policy violations; requests that fail while offline are expected and not counted. */
function watchPolicy(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.text().includes('Content-Security-Policy')) problems.push(message.text());
  });
  void page.addInitScript(() => {
    addEventListener('securitypolicyviolation', (event) => console.error(`Content-Security-Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`));
  });
  return problems;
}

async function askAndHear(page: Page, turn: number): Promise<void> {
  // A reload brings the conversation back: the question asked now is answered after what is shown.
  const shown = await page.locator('.exchange').count();
  await page.getByRole('button', { name: 'Start listening' }).click();
  const transcript = page.locator('.transcript[data-final="true"] .transcript-final').nth(turn);
  await expect(transcript).toContainText(/kitchen/i, { timeout: 90_000 });
  await expect(page.locator('.exchange').nth(shown)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
}

test.describe('hosted from a subpath of a plain static server', () => {
  // The question comes round every ~11 s: after the reload, the microphone asks it again.
  const clip = afterSilence(shared('kitchen_lights'), 8);
  test.setTimeout(360_000);
  let folder: string;
  let host: StaticHost;

  test.beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'site-'));
    cpSync(resolve(import.meta.dirname, '../dist'), join(folder, 'v1'), { recursive: true });
    cpSync(join(folder, 'v1'), join(folder, 'v2'), { recursive: true });
    // A new version of the site: its service worker differs.
    appendFileSync(join(folder, 'v2', 'sw.js'), '\n// v2\n');
    host = await startStaticHost(SUBPATH, join(folder, 'v1'), SHARED_MODELS);
  });

  test.afterAll(async () => {
    await host.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('answers a spoken question, opens and transcribes again offline, and offers a new version without swapping it in', async () => {
    const browser = await chromium.launch(withMicrophoneClip(clip.path, [], true));
    try {
      const context = await browser.newContext({ baseURL: host.origin, serviceWorkers: 'allow' });
      const page = await context.newPage();
      const problems = watchPolicy(page);
      await page.goto(APP);
      // No isolation headers: the page works on one WebAssembly thread, and says so.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      await expect(page.locator('.device-report')).toContainText('WebAssembly runs on one thread (the page is not cross-origin isolated).');
      await askAndHear(page, 0);
      // The service worker has kept the site.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });

      await context.setOffline(true);
      await page.reload();
      await expect(page.getByRole('button', { name: 'Start listening' })).toBeVisible();
      // Opened by the service worker, with the network really gone.
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      expect(await page.evaluate(() => fetch('/models/silero-vad/silero_vad_v5.onnx').then(() => 'reached', () => 'offline'))).toBe('offline');
      await askAndHear(page, 0);
      await context.setOffline(false);

      // A new version: announced, and not swapped in until the user says so.
      host.serve(join(folder, 'v2'));
      await page.reload();
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
      const notice = page.locator('[data-update-ready="true"]');
      await expect(notice).toContainText('A new version of this page is ready.', { timeout: 30_000 });
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      // Reload: the new version takes over, and the page loads again under it.
      await Promise.all([page.waitForEvent('framenavigated', { timeout: 20_000 }), notice.getByRole('button', { name: 'Reload' }).click()]);
      await page.waitForLoadState();
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere ?? false)).toBe(false);
      await expect(page.locator('[data-update-ready="true"]')).toHaveCount(0);
      const versions = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return { waiting: registration?.waiting !== null, controller: navigator.serviceWorker.controller !== null };
      });
      expect(versions).toEqual({ waiting: false, controller: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
