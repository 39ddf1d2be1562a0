import type { Page } from '@playwright/test';
import { afterSilence, longTurn, shared, silence } from './clips';
import { expect, gotoAllowing, test, useLlmServer } from './fixtures';
import { TEST_LLM, TEST_TTS } from './paths';

/**
 * Never stuck, never silent: the built page through the faults that used to leave it looking
 * alive and doing nothing. Each test ends with the page doing its job again.
 */
const server = useLlmServer();

const FALLBACK = "Wow I'm a bit slow today, could you repeat that?";
const WHISPER = 'models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&no_echo_cancellation&no_noise_suppression&no_auto_gain_control';

function api(extra = ''): string {
  return `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_TTS}${extra}`;
}

/** transformers.js in the page with the SmolLM2-shaped stand-in, spoken by the Kokoro-shaped one. */
const LOCAL = `/?${TEST_TTS}&llm_backend=transformers&models_base_url=/models/&model_name=test/tiny-random-smollm2&llm_torch_dtype=fp32&llm_gen_max_new_tokens=12&stream_batch_sentences=1`;

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

const samplesPlayed = async (page: Page) => Number(await page.locator('.talk').getAttribute('data-samples-played'));

test.describe('Start, Stop, Start while the models load', () => {
  // One question, once the models had time to load.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(shared('moon'), 6).path });

  test('leaves one live microphone track, and the question is answered once', async ({ listeningPage: page }) => {
    test.setTimeout(120_000);
    await page.addInitScript(() => {
      // Every microphone track the page ever opened, to count the live ones.
      const tracks: MediaStreamTrack[] = [];
      (window as unknown as { microphoneTracks: MediaStreamTrack[] }).microphoneTracks = tracks;
      const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (constraints) => {
        const stream = await original(constraints);
        tracks.push(...stream.getTracks());
        return stream;
      };
    });
    await gotoAllowing(page, api(`&${WHISPER}&no_smart_turn`));
    const talk = page.locator('.talk-button');
    await talk.click();
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'loading');
    await talk.click();
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle');
    await talk.click();
    await talk.click();
    await talk.click();
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 60_000 });
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    // Time for a second listener, were there one, to have answered too.
    await page.waitForTimeout(4000);
    await expect(page.locator('.exchange')).toHaveCount(1);
    expect(server.requests).toHaveLength(1);
    const live = await page.evaluate(() => (window as unknown as { microphoneTracks: MediaStreamTrack[] }).microphoneTracks.filter((track) => track.readyState === 'live').length);
    expect(live).toBe(1);
    await talk.click();
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle');
    expect(await page.evaluate(() => (window as unknown as { microphoneTracks: MediaStreamTrack[] }).microphoneTracks.filter((track) => track.readyState === 'live').length)).toBe(0);
  });
});

test.describe('a reply that stalls', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('after its first words ends by itself, says it timed out, and the next message is answered', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api('&stream_batch_sentences=1'));
    await send(page, 'hello [stall after]');
    const stalled = page.locator('.exchange').first();
    await expect(stalled).toHaveAttribute('data-status', 'streaming', { timeout: 20_000 });
    // The reference's 20 s without a new word.
    await expect(stalled).toHaveAttribute('data-status', 'failed', { timeout: 40_000 });
    await expect(stalled.getByRole('alert')).toContainText('stopped sending words for 20 s');
    await expect(stalled.getByRole('alert')).toContainText('timed out');
    expect((await stalled.locator('.speech-batch').allTextContents()).at(-1)).toBe(FALLBACK);
    await send(page, 'hello again');
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
  });
});

test.describe('a worker that fails after it loaded', () => {
  test('is started again by itself, says so, and the next message is answered and spoken', async ({ listeningPage: page }) => {
    test.setTimeout(150_000);
    await page.goto(LOCAL);
    await send(page, 'Hello?');
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    await expect.poll(() => samplesPlayed(page), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    // An uncaught error in the language model's worker and in the voice's, as a crash would raise.
    for (const name of ['llm.worker', 'tts.worker']) {
      const worker = page.workers().find((candidate) => candidate.url().includes(name));
      expect(worker, `the ${name} is running`).toBeTruthy();
      await worker?.evaluate(() => {
        setTimeout(() => {
          throw new Error('simulated crash');
        });
      });
    }
    const notices = page.getByRole('region', { name: 'Notices' });
    await expect(notices).toContainText('The language model stopped and is starting again', { timeout: 20_000 });
    await expect(notices).toContainText('The voice stopped and is starting again');
    await expect(notices).toContainText('simulated crash');
    const played = await samplesPlayed(page);
    await send(page, 'And now?');
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    await expect.poll(() => samplesPlayed(page), { timeout: 30_000 }).toBeGreaterThan(played);
    // Once only by itself: the workers are new ones.
    expect(page.workers().filter((candidate) => candidate.url().includes('llm.worker'))).toHaveLength(1);
  });
});

test.describe('two tabs', () => {
  test.use({ microphoneClip: silence(20).path });

  test('only one listens; the other says so and takes over when asked, and the first says where listening went', async ({ listeningPage: first }) => {
    test.setTimeout(120_000);
    const APP = `/?${TEST_LLM}&${WHISPER}`;
    await first.goto(APP);
    await first.getByRole('button', { name: 'Start listening' }).click();
    await expect(first.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 60_000 });
    const second = await first.context().newPage();
    await second.goto(APP);
    await second.getByRole('button', { name: 'Start listening' }).click();
    const busy = second.getByRole('region', { name: 'Notices' });
    await expect(busy).toContainText('Another tab is listening');
    await expect(busy).toContainText(/has been listening since \d/);
    // The same link in a second tab changes nothing, and says nothing of it.
    await expect(busy).not.toContainText('from the link');
    await expect(second.locator('.talk-state')).toHaveText('Not listening');
    await expect(first.locator('.talk-state')).toHaveText(/Listening|Hearing you/);
    await busy.getByRole('button', { name: 'Listen in this tab instead' }).click();
    await expect(second.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 60_000 });
    await expect(first.locator('.talk-state')).toHaveText('Not listening');
    const moved = first.getByRole('region', { name: 'Notices' });
    await expect(moved).toContainText('Listening moved to another tab');
    await moved.getByRole('button', { name: 'Listen here again' }).click();
    await expect(first.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 60_000 });
    await expect(second.locator('.talk-state')).toHaveText('Not listening');
  });
});

test.describe('a corrupt file in the model cache', () => {
  test('is fetched again, and the model loads', async ({ listeningPage: page }) => {
    test.setTimeout(120_000);
    await page.goto(LOCAL);
    await send(page, 'Hello?');
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    // A server that answered a model file with its index page, kept in the cache as if it were the file.
    const corrupted = await page.evaluate(async () => {
      const cache = await caches.open('transformers-cache');
      const key = (await cache.keys()).map((request) => request.url).find((url) => url.includes('tiny-random-smollm2') && url.endsWith('/config.json'));
      if (!key) return null;
      await cache.put(key, new Response('<!doctype html><html><body>Welcome</body></html>', { headers: { 'content-type': 'text/html' } }));
      return key;
    });
    expect(corrupted).toBeTruthy();
    await page.reload();
    // The conversation comes back with the reload: the new question is the second exchange.
    await expect(page.locator('.exchange')).toHaveCount(1);
    await send(page, 'Hello again?');
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    const cached = await page.evaluate(async (key) => (await (await caches.open('transformers-cache')).match(key))?.text(), corrupted ?? '');
    expect(() => JSON.parse(cached ?? '') as unknown).not.toThrow();
  });
});

test.describe('a 45 s turn', () => {
  const clip = longTurn();
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(clip, 2).path });

  test('is transcribed whole, its last sentence too', async ({ listeningPage: page }) => {
    test.setTimeout(180_000);
    // Pauses between sentences do not end the turn here: it is one 45 s turn.
    await gotoAllowing(page, api(`&${WHISPER}&no_smart_turn&min_silence_ms=2000`));
    await page.getByRole('button', { name: 'Start listening' }).click();
    // The conversation shows what was heard as the user's side of the exchange.
    const transcript = page.locator('.exchange-user').first();
    await expect(transcript).toBeVisible({ timeout: 150_000 });
    const heard = ((await transcript.textContent()) ?? '').toLowerCase();
    const words = (text: string) => text.toLowerCase().match(/[a-z]+/g) ?? [];
    const found = words(clip.text).filter((word) => heard.includes(word)).length / words(clip.text).length;
    expect(found, heard).toBeGreaterThan(0.85);
    expect(heard).toContain('weekend');
    expect(heard).toMatch(/what they cost/);
    await expect(page.locator('.exchange')).toHaveCount(1);
  });
});

test.describe('markup in a reply', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('markdown is rendered; HTML is shown as text and javascript: links are plain words that do nothing', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api());
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // The test server says the message back in its reply.
    await send(page, '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">Open</a> [Open this](javascript:alert(3)) <script>alert(4)</script> [code]');
    const exchange = page.locator('.exchange').first();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(exchange.locator('.reply-text')).toContainText('<img src=x onerror="alert(1)">');
    await expect(exchange.locator('.reply-link-refused')).toHaveText('Open this');
    await expect(exchange.locator('img, script, a, iframe')).toHaveCount(0);
    // The server's reply is markdown: "**two**", and a list of two reasons.
    await expect(exchange.locator('.reply-text strong')).toHaveText('two');
    await expect(exchange.locator('.reply-text li')).toHaveCount(2);
    await expect(exchange.locator('.reply-text pre code')).toHaveText('const moons = 2;\n');
    await exchange.locator('.reply-text').click();
    expect(dialogs).toEqual([]);
  });
});
