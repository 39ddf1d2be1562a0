import type { Page } from '@playwright/test';
import { shared } from './clips';
import { closeSettings, expect, gotoAllowing, hostOffers, openSettings, setSetting, settingControl, test } from './fixtures';
import { startLlmServer, type LlmServer } from './llmServer';
import { TEST_TTS } from './paths';

/**
 * API keys stay on the page and go only to the endpoint they were entered for: no worker or
 * worklet is ever posted one, and a link that points an endpoint elsewhere sends nothing there
 * until the user confirms. (Every other destination: consent.spec.ts.)
 */
const KEYS = { responses_api_api_key: 'sk-e2e-llm-key', openai_stt_api_key: 'sk-e2e-stt-key', openai_tts_api_key: 'sk-e2e-tts-key' };

let first: LlmServer;
let second: LlmServer;
test.beforeAll(async () => {
  [first, second] = await Promise.all([startLlmServer(), startLlmServer()]);
});
test.afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});
test.beforeEach(() => {
  first.requests.length = 0;
  second.requests.length = 0;
});

const host = (baseUrl: string) => new URL(baseUrl).host;

test.describe('a spoken turn with API keys stored', () => {
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: shared('moon').path });

  test('posts no key to any worker or worklet', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    // Every message the page posts to a worker, a worklet or a port, searched for any string.
    await page.addInitScript(() => {
      const posted: string[] = [];
      (window as unknown as { postedStrings: string[]; postedCount: number }).postedStrings = posted;
      const strings = (value: unknown, seen: Set<unknown>): void => {
        if (typeof value === 'string') posted.push(value);
        if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
        seen.add(value);
        for (const child of Object.values(value)) strings(child, seen);
      };
      for (const prototype of [Worker.prototype, MessagePort.prototype]) {
        const original = Reflect.get(prototype, 'postMessage') as (this: unknown, ...args: unknown[]) => void;
        prototype.postMessage = function (this: unknown, ...args: unknown[]) {
          (window as unknown as { postedCount: number }).postedCount = ((window as unknown as { postedCount?: number }).postedCount ?? 0) + 1;
          strings(args[0], new Set());
          original.apply(this, args);
        } as typeof prototype.postMessage;
      }
    });
    await gotoAllowing(
      page,
      `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(first.baseUrl)}&models_base_url=/models/&${TEST_TTS}&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn`,
    );
    await openSettings(page);
    await settingControl(page, 'responses_api_api_key').fill(KEYS.responses_api_api_key);
    // The other keys are entered where their fields show, then the models that run in workers are chosen again: every key stays stored.
    await settingControl(page, 'stt').selectOption('openai');
    await settingControl(page, 'openai_stt_api_key').fill(KEYS.openai_stt_api_key);
    await settingControl(page, 'stt').selectOption('whisper');
    await settingControl(page, 'tts').selectOption('openai');
    await settingControl(page, 'openai_tts_api_key').fill(KEYS.openai_tts_api_key);
    await settingControl(page, 'tts').selectOption('kokoro');
    await closeSettings(page);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    await expect.poll(async () => Number(await page.locator('.talk').getAttribute('data-samples-played')), { timeout: 20_000 }).toBeGreaterThan(0);
    // The key did its work: it went to its own server.
    expect(first.requests[0]?.authorization).toBe(`Bearer ${KEYS.responses_api_api_key}`);
    const { strings, count } = await page.evaluate(() => ({ strings: (window as unknown as { postedStrings: string[] }).postedStrings, count: (window as unknown as { postedCount: number }).postedCount }));
    expect(count).toBeGreaterThan(100);
    // Settings did reach the workers (so the search looked where keys would be), but no key did.
    expect(strings).toContain('onnx-community/whisper-tiny.en');
    for (const value of Object.values(KEYS)) expect(strings.filter((text) => text.includes(value))).toEqual([]);
  });
});

test.describe('a link that points the language model at another host', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });
  const FIRST = () => `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(first.baseUrl)}&${TEST_TTS}&models_base_url=/models/`;

  async function send(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  test('sends nothing there, the key least of all, until the user allows that host; then it works', async ({ listeningPage: page }) => {
    await gotoAllowing(page, FIRST());
    await setSetting(page, 'responses_api_api_key', KEYS.responses_api_api_key);
    await page.goto(`/?responses_api_base_url=${encodeURIComponent(second.baseUrl)}`);
    const applied = page.getByRole('status').filter({ hasText: 'from the link' });
    await expect(applied).toContainText(`responses_api_base_url: ${first.baseUrl} → ${second.baseUrl}`);
    // One question for the host, and it says the key would go too.
    const offer = hostOffers(page).locator(`[data-host-consent="${host(second.baseUrl)}"]`);
    await expect(offer).toContainText(`Allow ${host(second.baseUrl)}?`);
    await expect(offer).toContainText(`Your responses_api_api_key, entered for ${host(first.baseUrl)}, would be sent there too.`);
    await expect(page.locator('[data-held-key]')).toHaveCount(0);

    await send(page, 'hello');
    const refused = page.locator('.exchange').first();
    await expect(refused).toHaveAttribute('data-status', 'failed');
    await expect(refused.getByRole('alert')).toContainText(`Waiting for you to allow ${host(second.baseUrl)}: responses_api_base_url points there`);
    expect(second.requests).toEqual([]);
    expect(first.requests).toEqual([]);

    await offer.getByRole('button', { name: `Use ${host(second.baseUrl)}` }).click();
    await expect(offer).toHaveCount(0);
    await send(page, 'hello');
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    expect(second.requests.map((request) => request.authorization)).toEqual([`Bearer ${KEYS.responses_api_api_key}`]);
  });

  test('keeping the host before sends it there again', async ({ listeningPage: page }) => {
    await gotoAllowing(page, FIRST());
    await setSetting(page, 'responses_api_api_key', KEYS.responses_api_api_key);
    await page.goto(`/?responses_api_base_url=${encodeURIComponent(second.baseUrl)}`);
    await hostOffers(page).getByRole('button', { name: `Keep ${host(first.baseUrl)}` }).click();
    await openSettings(page);
    await expect(settingControl(page, 'responses_api_base_url')).toHaveValue(first.baseUrl);
    await closeSettings(page);
    await send(page, 'hello');
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    expect(second.requests).toEqual([]);
    expect(first.requests.map((request) => request.authorization)).toEqual([`Bearer ${KEYS.responses_api_api_key}`]);
  });

  test('to a host the user allowed before, a key entered for another is still held until the user sends it there', async ({ listeningPage: page }) => {
    await gotoAllowing(page, `/?responses_api_base_url=${encodeURIComponent(second.baseUrl)}`);
    await gotoAllowing(page, FIRST());
    await setSetting(page, 'responses_api_api_key', KEYS.responses_api_api_key);
    await page.goto(`/?responses_api_base_url=${encodeURIComponent(second.baseUrl)}`);
    await expect(hostOffers(page)).toHaveCount(0);
    const prompt = page.locator('[data-held-key="responses_api_api_key"]');
    await expect(prompt).toContainText(`Send your responses_api_api_key to ${host(second.baseUrl)}?`);
    await send(page, 'hello');
    await expect(page.locator('.exchange').first().getByRole('alert')).toContainText(`was entered for ${host(first.baseUrl)}, but the settings now send it to ${host(second.baseUrl)}. Nothing was sent there`);
    expect(second.requests).toEqual([]);
    await prompt.getByRole('button', { name: `Go back to ${host(first.baseUrl)}` }).click();
    await send(page, 'hello');
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    expect(first.requests.map((request) => request.authorization)).toEqual([`Bearer ${KEYS.responses_api_api_key}`]);
  });
});
