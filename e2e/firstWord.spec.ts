import { afterSilence, shared } from './clips';
import { expect, test, useLlmServer } from './fixtures';
import { TEST_TTS } from './paths';

/**
 * Speech that comes right after Start: the microphone opens once the voice activity model is
 * ready, and the question follows a second later, while speech to text is still loading on a
 * first visit. Every word must reach the model, with the page's default audio processing.
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
      await page.goto(app);
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
