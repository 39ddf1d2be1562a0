import { TEST_LLM } from './paths';
import { twoSentences } from './clips';
import { expect, setSetting, gotoAllowing, test } from './fixtures';
import { startTranscriptionServer, type TranscriptionServer } from './transcriptionServer';

let server: TranscriptionServer;
test.beforeAll(async () => {
  server = await startTranscriptionServer();
});
test.afterAll(async () => {
  await server.close();
});

test.describe('stt openai against a local transcription server', () => {
  const clip = twoSentences('capital_of_france', 'moon', 2);
  test.use({ microphoneClip: clip.path, allowedHosts: ['127.0.0.1'] });

  test('sends each turn as a WAV with the key, and shows the transcripts', async ({ listeningPage: page }) => {
    server.status = 200;
    server.requests.length = 0;
    await gotoAllowing(page, `/?no_smart_turn&stt=openai&openai_stt_model=test-model&openai_stt_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_LLM}`);
    await setSetting(page, 'openai_stt_api_key', 'sk-e2e-key');
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.stt-runtime')).toContainText(`test-model at ${server.baseUrl}`);
    await expect(page.locator('.transcript[data-final="true"]')).toHaveCount(2, { timeout: 20_000 });
    const texts = await page.locator('.transcript-final').allTextContents();
    expect(texts.every((text) => /^Heard \d\.\d seconds\.$/.test(text))).toBe(true);
    const finals = server.requests.filter((request) => request.seconds > 1.2);
    expect(finals.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.every((request) => request.authorization === 'Bearer sk-e2e-key' && request.model === 'test-model')).toBe(true);
  });

  test('a turn in French: Kokoro has no French voice in the browser, says so, and speaks the reply with the English one', async ({ listeningPage: page }) => {
    server.status = 200;
    await gotoAllowing(page, `/?no_smart_turn&stt=openai&openai_stt_language=fr&openai_stt_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_LLM}`);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.voice-notice')).toContainText('Kokoro in the browser has English voices only, so a reply in French is spoken with af_heart', { timeout: 30_000 });
    await expect.poll(async () => Number(await page.locator('.talk').getAttribute('data-samples-played')), { timeout: 30_000 }).toBeGreaterThan(0);
  });

  test('a refused key says so, the turn is dropped, and listening goes on', async ({ listeningPage: page }) => {
    server.status = 401;
    await gotoAllowing(page, `/?no_smart_turn&stt=openai&openai_stt_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_LLM}`);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.getByRole('alert')).toContainText('check openai_stt_api_key', { timeout: 10_000 });
    await expect(page.getByRole('alert')).toContainText('This turn was not transcribed', { timeout: 20_000 });
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
    await expect(page.locator('.transcript[data-final="true"]')).toHaveCount(0);
  });
});
