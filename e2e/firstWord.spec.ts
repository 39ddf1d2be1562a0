import { afterSilence, shared } from './clips';
import { expect, gotoAllowing, test, useLlmServer } from './fixtures';
import { TEST_TTS } from './paths';

/**
 * Speech that comes right after Start: the microphone opens at Start, while the voice activity
 * models load, and the question follows a second later, while they and speech to text are still
 * loading on a first visit. Every word must reach the model, with the page's default audio
 * processing.
 */
const server = useLlmServer();

test.describe('a question spoken a second after Start', () => {
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(shared('capital_of_france'), 1).path });

  test('is heard while speech to text still loads, and reaches the model whole, visit after visit', async ({ listeningPage: page }) => {
    test.setTimeout(240_000);
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { statesSeen: string[] }).statesSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.talk-state')?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const app = `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&${TEST_TTS}`;
    for (let visit = 1; visit <= 3; visit++) {
      await gotoAllowing(page, app);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
      const messages = server.requests.at(-1)?.body.messages as { role: string; content: string }[];
      expect(messages.at(-1)?.content, `visit ${visit}`).toMatch(/^what is the capital of france/i);
      const states = await page.evaluate(() => (window as unknown as { statesSeen: string[] }).statesSeen);
      // The first visit downloads Whisper: the page listens meanwhile and says it still loads.
      if (visit === 1) expect(states.some((state) => state.startsWith('Listening · still loading'))).toBe(true);
      await page.getByRole('button', { name: 'Stop listening' }).click();
    }
  });
});

test.describe('a question asked right after Start', () => {
  // The question's speech 1 s after the microphone opens.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(shared('capital_of_france'), 0.7).path });

  test('is heard whole though the models still load: the microphone opens at Start, and the first word is kept', async ({ listeningPage: page }) => {
    await page.addInitScript(() => {
      const times = { micOpened: Number.NaN, listening: Number.NaN };
      (window as unknown as { times: typeof times }).times = times;
      const media = navigator.mediaDevices;
      const open = media.getUserMedia.bind(media);
      media.getUserMedia = (constraints) => {
        times.micOpened = performance.now();
        return open(constraints);
      };
      new MutationObserver(() => {
        if (Number.isNaN(times.listening) && /Listening|Hearing you/.test(document.querySelector('.talk-state')?.textContent ?? '')) times.listening = performance.now();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await gotoAllowing(page, `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&${TEST_TTS}&no_echo_cancellation&no_noise_suppression&no_auto_gain_control`);
    const clicked = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.transcript-final').first()).toHaveText(/^What is the capital/i, { timeout: 60_000 });
    const times = await page.evaluate(() => (window as unknown as { times: { micOpened: number; listening: number } }).times);
    // The microphone opened at Start, well before the voice activity models were ready (the page said it listens then).
    expect(times.micOpened - clicked).toBeLessThan(1500);
    expect(times.listening - times.micOpened, `microphone opened ${Math.round(times.micOpened - clicked)} ms after Start, listening ${Math.round(times.listening - clicked)} ms after`).toBeGreaterThan(200);
  });
});
