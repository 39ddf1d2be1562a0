import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterSilence, shared, twoSentences } from './clips';
import { closeSettings, expect, openSettings, settingControl, gotoAllowing, test, useLlmServer } from './fixtures';
import { TEST_LLM, TEST_TTS } from './paths';

/**
 * The page a person opens, as they meet it: the talk control through a whole spoken turn (its
 * states, each scanned for accessibility at phone and desktop width, in light and dark), a first
 * visit that measures before it downloads, a second visit that downloads nothing, the models
 * drawer, push to talk, the thinking cue, and the keyboard alone. Screenshots go to the report,
 * and those of the built app the README shows are made here.
 */
const server = useLlmServer();

const SMART_TURN = 'smart_turn_model_path=test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx';
const LOCAL_MODELS = `models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&${SMART_TURN}`;
const api = (extra = '') => `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&${LOCAL_MODELS}&${TEST_TTS}${extra}`;

const LAYOUTS = [
  { name: 'desktop, light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' as const, file: 'desktop' },
  { name: 'phone, dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const, file: 'phone' },
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeInPage {
  run(context: Document, options: { runOnly: { type: 'tag'; values: string[] } }): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }>;
}

/**
 * The talk control's states, in the order the page showed them, each scanned for accessibility
 * the moment it first appears (axe runs in the page: some states last only a second or two).
 */
async function recordStates(page: Page): Promise<void> {
  await page.addInitScript({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
  await page.addInitScript((tags: string[]) => {
    const seen: string[] = [];
    const scans: Record<string, string[]> = {};
    Object.assign(window, { talkStates: seen, talkScans: scans });
    let scanning: Promise<unknown> = Promise.resolve();
    new MutationObserver(() => {
      const state = document.querySelector<HTMLElement>('.talk')?.dataset.state;
      if (!state || seen.at(-1) === state) return;
      seen.push(state);
      if (state in scans) return;
      scans[state] = ['(scanning)'];
      // One scan at a time: axe cannot run twice at once.
      scanning = scanning.then(async () => {
        const axe = (window as unknown as { axe: AxeInPage }).axe;
        const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
        scans[state] = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
      });
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true });
  }, AXE_TAGS);
}

const statesSeen = (page: Page) => page.evaluate(() => (window as unknown as { talkStates: string[] }).talkStates);

/** Each state the page showed, with the serious and critical problems its scan found. */
async function stateScans(page: Page): Promise<Record<string, string[]>> {
  await expect.poll(() => page.evaluate(() => Object.values((window as unknown as { talkScans: Record<string, string[]> }).talkScans).some((found) => found[0] === '(scanning)'))).toBe(false);
  return page.evaluate(() => (window as unknown as { talkScans: Record<string, string[]> }).talkScans);
}

/** Serious and critical accessibility problems on the page now, by rule and element. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

/** Waits for a state of the talk control, and keeps a screenshot of it for the report (its scan runs in the page). */
async function inState(page: Page, state: string, testInfo: TestInfo, layout: string, timeout = 60_000): Promise<void> {
  await expect(page.locator('.talk')).toHaveAttribute('data-state', state, { timeout });
  await testInfo.attach(`${layout}: ${state}`, { body: await page.screenshot(), contentType: 'image/png' });
}

/** Every state in `states` was shown and scanned, and no scan found a serious problem. */
async function expectAccessibleStates(page: Page, states: readonly string[], layout: string): Promise<void> {
  const scans = await stateScans(page);
  const seen = await statesSeen(page);
  for (const state of states) {
    expect(scans[state], `state "${state}" was shown (${layout}); shown: ${seen.join(' → ')}`).toBeDefined();
    expect(scans[state], `accessibility in state "${state}" (${layout})`).toEqual([]);
  }
}

async function setLayout(page: Page, layout: (typeof LAYOUTS)[number]): Promise<void> {
  await page.setViewportSize(layout.viewport);
  await page.emulateMedia({ colorScheme: layout.colorScheme });
}

for (const layout of LAYOUTS) {
  test.describe(`the talk control through a spoken turn (${layout.name})`, () => {
    // The question after the models have loaded (up to 20 s on a busy machine), then, 8 s later, a second one spoken over the (slowed, 15 s long) reply.
    test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(twoSentences('moon', 'kitchen_lights', 8), 22).path });

    test('idle, loading, listening, hearing you, thinking, speaking, interrupted: each accessible', async ({ listeningPage: page }, testInfo) => {
      test.setTimeout(150_000);
      await recordStates(page);
      await setLayout(page, layout);
      await gotoAllowing(page, api('&no_smart_turn&kokoro_speed=0.5&stream_batch_sentences=1&no_echo_cancellation&no_noise_suppression&no_auto_gain_control'));
      // The test's own link is not what a visitor sees: its notice goes.
      await page.getByRole('button', { name: /^Dismiss: Applied \d+ settings from the link$/ }).click();
      await inState(page, 'idle', testInfo, layout.name);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await inState(page, 'loading', testInfo, layout.name);
      await inState(page, 'listening', testInfo, layout.name);
      await inState(page, 'hearing', testInfo, layout.name);
      await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
      await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'interrupted');
      await expect(page.locator('.exchange').first().locator('.reply-unheard').first()).not.toBeEmpty();
      // The README's pictures: the built page after an interrupted reply and the answer to what followed.
      const docs = join(import.meta.dirname, '..', 'docs');
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: join(docs, `page-${layout.file}.png`) });
      await expectAccessibleStates(page, ['idle', 'loading', 'listening', 'hearing', 'thinking', 'speaking', 'interrupted'], layout.name);
      // Once all is ready the status folds to a line.
      await expect(page.locator('.status-summary')).toHaveText('Ready: everything runs in this page.');
    });
  });

  test.describe(`thinking and errors (${layout.name})`, () => {
    test.use({ allowedHosts: ['127.0.0.1'] });

    test('thinking sounds the thinking cue; a long reply is spoken; no microphone is an error with its way back', async ({ listeningPage: page }, testInfo) => {
      await recordStates(page);
      await setLayout(page, layout);
      await gotoAllowing(page, api('&thinking_cue_after_ms=300&kokoro_speed=0.5'));
      const send = async (text: string) => {
        await page.getByRole('textbox', { name: 'Message' }).fill(text);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
      };
      await send('hello [stall]');
      await inState(page, 'thinking', testInfo, layout.name);
      // The cue sounds while the assistant has the turn and says nothing.
      await expect.poll(async () => Number(await page.locator('.talk').getAttribute('data-cue-samples')), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await page.locator('.talk').getAttribute('data-samples-played')).toBe('0');
      await send('hello [long]');
      await inState(page, 'speaking', testInfo, layout.name);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await inState(page, 'error', testInfo, layout.name, 20_000);
      await expect(page.locator('.talk').getByRole('alert')).toContainText('No microphone was found');
      await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
      await expectAccessibleStates(page, ['idle', 'thinking', 'speaking', 'error'], layout.name);
    });
  });
}

test.describe('the thinking cue, switched off', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('is silent', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&thinking_cue_after_ms=100&no_thinking_cue'));
    await page.getByRole('textbox', { name: 'Message' }).fill('hello [stall]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'thinking');
    await page.waitForTimeout(1000);
    expect(await page.locator('.talk').getAttribute('data-cue-samples')).toBe('0');
  });
});

test.describe('a first visit, then a second', () => {
  test.use({ microphoneClip: shared('moon').path });

  test('measures before downloading anything, downloads on start, and the next visit downloads nothing; the models drawer deletes one', async ({ listeningPage: page }) => {
    test.setTimeout(120_000);
    const requests: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/models/')) requests.push(`${request.method()} ${pathname}`);
    });
    await page.goto(`/?${LOCAL_MODELS}&${TEST_LLM}`);
    const total = page.locator('.download-total');
    await expect(total).toHaveText(/^Starting downloads \d+\.\d MB once; later visits load it from this browser\.$/);
    expect(Number(await total.getAttribute('data-download-bytes'))).toBeGreaterThan(90_000_000);
    // Only measured: HEAD requests, nothing downloaded.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((line) => !line.startsWith('HEAD '))).toEqual([]);

    requests.length = 0;
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('[data-stt-status="ready"]')).toHaveCount(1, { timeout: 45_000 });
    await expect(page.locator('[data-llm-status="ready"]')).toHaveCount(1, { timeout: 45_000 });
    await expect(page.locator('[data-tts-status="ready"]')).toHaveCount(1, { timeout: 45_000 });
    expect(requests.some((line) => line.startsWith('GET ') && line.endsWith('decoder_model_merged_quantized.onnx'))).toBe(true);
    await page.getByRole('button', { name: 'Stop listening' }).click();

    requests.length = 0;
    await page.goto('/');
    await expect(total).toHaveText('Everything is downloaded already: starting needs no download.');
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('[data-stt-status="ready"]')).toHaveCount(1, { timeout: 45_000 });
    await expect(page.locator('[data-tts-status="ready"]')).toHaveCount(1, { timeout: 45_000 });
    expect(requests.filter((line) => line.startsWith('GET '))).toEqual([]);
    await page.getByRole('button', { name: 'Stop listening' }).click();

    // The models drawer: what is kept, with sizes; one deleted, the storage and the download follow.
    await page.getByRole('button', { name: 'Models', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Models in this browser' });
    const whisper = drawer.locator('[data-model="onnx-community/whisper-tiny.en"]');
    await expect(whisper).toContainText(/\d+\.\d MB/);
    await expect(drawer.locator('.storage-estimate')).toContainText(/This site uses \d+\.\d+ (MB|GB) of the/);
    const kept = Number(await drawer.locator('.models-total').getAttribute('data-bytes'));
    await whisper.getByRole('button', { name: 'Delete onnx-community/whisper-tiny.en' }).click();
    await expect(drawer.getByRole('status')).toHaveText('Deleted onnx-community/whisper-tiny.en.');
    await expect(whisper).toHaveCount(0);
    expect(Number(await drawer.locator('.models-total').getAttribute('data-bytes'))).toBeLessThan(kept - 70_000_000);
    await drawer.getByRole('button', { name: 'Close' }).click();
    await page.reload();
    await expect(total).toHaveText(/^Starting downloads 7\d\.\d MB once/);
  });
});

test.describe('push to talk', () => {
  // Two questions 4 s apart: the first spoken while the talk control is held, the second while it is not;
  // the first once the models have loaded (on a busy machine that takes up to 20 s).
  test.use({ microphoneClip: afterSilence(twoSentences('moon', 'kitchen_lights', 4), 22).path });

  test('holding the talk control is the turn, even through a pause; letting go ends it at once; nothing is heard while it is not held', async ({ listeningPage: page }) => {
    test.setTimeout(120_000);
    await page.goto(`/?${LOCAL_MODELS}&${TEST_LLM}&push_to_talk`);
    const talk = page.getByRole('button', { name: 'Hold to talk' });
    // Press: listening starts, held from the first moment.
    const box = await talk.boundingBox();
    if (!box) throw new Error('the talk control is not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'hearing', { timeout: 50_000 });
    // The sentence ends, and the turn stays open while the button is held.
    await expect(page.locator('.talk')).not.toHaveAttribute('data-state', 'hearing', { timeout: 10_000 });
    await page.waitForTimeout(1500);
    // Held: the turn is not released, so nothing of a reply (prepared already, as while Smart Turn waits) is heard.
    await expect(page.locator('.segment[data-released="true"]')).toHaveCount(0);
    expect(await page.locator('.talk').getAttribute('data-samples-played')).toBe('0');
    await page.mouse.up();
    await expect(page.locator('.segment[data-released="true"]')).toHaveCount(1, { timeout: 5_000 });
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', /completed|failed/, { timeout: 30_000 });
    await expect(page.locator('.exchange-user').first()).toContainText(/moon/i);
    await expect.poll(async () => Number(await page.locator('.talk').getAttribute('data-samples-played')), { timeout: 20_000 }).toBeGreaterThan(0);
    // The second question comes while nothing is held: the microphone is silent.
    await page.waitForTimeout(6000);
    await expect(page.locator('.segment')).toHaveCount(1);
  });
});

test.describe('the keyboard alone', () => {
  test.use({ microphoneClip: shared('moon').path });

  test('reaches the talk control and the settings, starts and stops with the space bar, and leaves the drawer with Escape', async ({ listeningPage: page }) => {
    await page.goto(`/?${LOCAL_MODELS}&${TEST_LLM}`);
    // The space bar talks from anywhere but a field.
    await page.keyboard.press('Space');
    await expect(page.locator('.talk')).not.toHaveAttribute('data-state', 'idle');
    await expect(page.getByRole('button', { name: 'Stop listening' })).toBeVisible();
    await page.keyboard.press('Space');
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle');
    // Tab reaches the talk control, and Enter works it.
    for (let step = 0; step < 20 && !(await page.getByRole('button', { name: 'Start listening' }).evaluate((element) => element === document.activeElement)); step++) await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Start listening' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Stop listening' })).toBeFocused();
    await page.keyboard.press('Enter');
    // The settings: found by keyboard, a setting found by the filter, closed with Escape, focus back on the button.
    const settingsButton = page.getByRole('button', { name: 'Settings', exact: true });
    await settingsButton.focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Settings' });
    await expect(drawer).toBeVisible();
    await page.getByRole('searchbox', { name: 'Find a setting' }).fill('api key');
    await expect(page.locator('[data-setting="responses_api_api_key"]')).toBeVisible();
    await expect(drawer).toContainText('Used when llm_backend is responses-api or chat-completions.');
    // The first Escape clears the filter (as search fields do), the second closes the drawer.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(settingsButton).toBeFocused();
  });

  test('the settings drawer passes the accessibility scan, filtered and not', async ({ watched: page }) => {
    for (const layout of LAYOUTS) {
      await setLayout(page, layout);
      await page.goto('/');
      await openSettings(page);
      expect(await accessibilityProblems(page), `settings (${layout.name})`).toEqual([]);
      await page.getByRole('searchbox', { name: 'Find a setting' }).fill('silence');
      await expect(settingControl(page, 'min_silence_ms')).toBeVisible();
      expect(await accessibilityProblems(page), `settings filtered (${layout.name})`).toEqual([]);
      await closeSettings(page);
    }
  });
});
