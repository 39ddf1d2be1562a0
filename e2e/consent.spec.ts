import type { Page } from '@playwright/test';
import { afterSilence, shared } from './clips';
import { closeSettings, expect, hostOffers, openSettings, test } from './fixtures';
import { startLlmServer, type LlmServer } from './llmServer';
import { startModelHost, type ModelHost } from './modelHost';

/**
 * Consent for every destination: a link, a pasted command line, a JSON file and a YAML file each
 * point the language model at one host and the model downloads at another. Nothing reaches
 * either host (counted there) until the user chooses `Use <host>`, the stages say what they wait
 * for, and then a spoken turn works: Whisper tiny.en and the Kokoro stand-in downloaded from the
 * model host, the question answered by the language model host.
 */
let llm: LlmServer;
let models: ModelHost;
test.beforeAll(async () => {
  [llm, models] = await Promise.all([startLlmServer(), startModelHost()]);
});
test.afterAll(async () => {
  await Promise.all([llm.close(), models.close()]);
});
test.beforeEach(() => {
  llm.requests.length = 0;
  models.requests.length = 0;
});

const host = (url: string) => new URL(url).host;

/** The settings each import brings, by name. */
const SETTINGS = () => ({
  llm_backend: 'chat-completions',
  model_name: 'test-model',
  responses_api_base_url: llm.baseUrl,
  models_base_url: models.baseUrl,
  stt_model_name: 'onnx-community/whisper-tiny.en',
  kokoro_model_name: 'test/tiny-random-kokoro',
  kokoro_voice: 'af_heart',
});
const OFF = ['no_smart_turn', 'no_echo_cancellation', 'no_noise_suppression', 'no_auto_gain_control'];

/** The ways settings come into the page from elsewhere. */
const IMPORTS: Record<string, (page: Page) => Promise<void>> = {
  'a link': async (page) => {
    const query = new URLSearchParams(SETTINGS());
    await page.goto(`/?${query.toString()}&${OFF.join('&')}`);
  },
  'a pasted command line': async (page) => {
    await page.goto('/');
    await openSettings(page);
    const flags = Object.entries(SETTINGS()).map(([name, value]) => `--${name} ${value}`);
    await page.getByLabel('Paste a speech-to-speech command line').fill(`speech-to-speech ${flags.join(' ')} ${OFF.map((flag) => `--${flag}`).join(' ')}`);
    await page.getByRole('button', { name: 'Apply command line' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The command line applied' })).toBeVisible();
    await closeSettings(page);
  },
  'a JSON file': async (page) => {
    await page.goto('/');
    await openSettings(page);
    const json = { ...SETTINGS(), smart_turn: false, echo_cancellation: false, noise_suppression: false, auto_gain_control: false };
    await page.locator('input[type="file"]').setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    await expect(page.getByRole('status').filter({ hasText: 'settings.json' })).toBeVisible();
    await closeSettings(page);
  },
  'a YAML file': async (page) => {
    await page.goto('/');
    await openSettings(page);
    const { responses_api_base_url: endpoint, models_base_url: location } = SETTINGS();
    const yaml = `schema_version: 1
blocks:
  vad: {kind: vad, backend: silero, settings: {smart_turn: false, echo_cancellation: false, noise_suppression: false, auto_gain_control: false}}
  stt: {kind: stt, backend: whisper, settings: {stt_model_name: onnx-community/whisper-tiny.en}}
  llm: {kind: llm, backend: chat-completions, settings: {model_name: test-model, responses_api_base_url: "${endpoint}", responses_api_api_key: {env: LLM_KEY}}}
  tts: {kind: tts, backend: kokoro, settings: {kokoro_model_name: test/tiny-random-kokoro, kokoro_voice: af_heart}}
pipelines:
  main:
    stages: {vad: vad, stt: stt, llm: llm, tts: tts}
    options: {models_base_url: "${location}"}
`;
    await page.locator('input[type="file"]').setInputFiles({ name: 'pipeline.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
    const chooser = page.getByRole('form', { name: 'Import pipeline.yaml' });
    // The environment value says which setting it sets and where it goes.
    await expect(chooser).toContainText(`LLM_KEY sets responses_api_api_key; only to ${host(llm.baseUrl)} (responses_api_base_url)`);
    await chooser.getByLabel(/^LLM_KEY/).fill('sk-from-the-environment');
    await chooser.getByRole('button', { name: 'Apply pipeline main' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pipeline main of pipeline.yaml' })).toBeVisible();
    await closeSettings(page);
  },
};

test.describe('a host that a link or an import names', () => {
  // The question comes round every ~12 s, so the second start hears it too.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(shared('moon'), 9).path });

  for (const [source, bring] of Object.entries(IMPORTS)) {
    test(`from ${source}: nothing reaches it until the user allows it; then a spoken turn works`, async ({ listeningPage: page }) => {
      test.setTimeout(150_000);
      await bring(page);
      const offers = hostOffers(page);
      await expect(offers.locator('[data-host-consent]')).toHaveCount(2);
      const modelOffer = offers.locator(`[data-host-consent="${host(models.baseUrl)}"]`);
      await expect(modelOffer).toContainText(`models_base_url: huggingface.co → ${models.baseUrl}`);
      await expect(modelOffer.getByRole('button', { name: 'Keep huggingface.co' })).toBeVisible();
      await expect(offers.locator(`[data-host-consent="${host(llm.baseUrl)}"]`)).toContainText('What goes there: your words and the conversation so far.');

      // Started anyway: each stage says what it waits for, and asks nothing of either host.
      await page.getByRole('button', { name: 'Start listening' }).click();
      const status = page.getByRole('complementary', { name: 'Status' });
      await expect(status).toContainText(`Waiting for you to allow ${host(models.baseUrl)}: models_base_url points there`);
      await page.getByRole('textbox', { name: 'Message' }).fill('hello');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(page.locator('.exchange').first().getByRole('alert')).toContainText(`Waiting for you to allow ${host(llm.baseUrl)}`);
      await page.waitForTimeout(3000);
      expect(models.requests).toEqual([]);
      expect(llm.requests).toEqual([]);

      await page.getByRole('button', { name: 'Stop listening' }).click();
      await offers.getByRole('button', { name: `Use ${host(models.baseUrl)}` }).click();
      await offers.getByRole('button', { name: `Use ${host(llm.baseUrl)}` }).click();
      await expect(offers).toHaveCount(0);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
      await expect(page.locator('.exchange-user').nth(1)).toContainText(/moon/i);
      expect(models.requests.some((line) => line.startsWith('GET /models/onnx-community/whisper-tiny.en/'))).toBe(true);
      expect(models.requests.some((line) => line.startsWith('GET /models/test/tiny-random-kokoro/'))).toBe(true);
      expect(llm.requests.length).toBeGreaterThan(0);

      // The allowed hosts are listed in the settings, where one can be taken back.
      await openSettings(page);
      const allowed = page.getByRole('list', { name: 'Hosts you allowed' });
      await expect(allowed).toContainText(new URL(models.baseUrl).origin);
      await allowed.getByRole('button', { name: `Remove ${host(models.baseUrl)}` }).click();
      await expect(allowed).not.toContainText(new URL(models.baseUrl).origin);
      await closeSettings(page);
      await expect(offers.locator(`[data-host-consent="${host(models.baseUrl)}"]`)).toBeVisible();
    });
  }
});

test.describe('paths that a URL parser would read as another host', () => {
  test('are refused with the setting named, and nothing is fetched', async ({ watched: page }) => {
    await page.goto('/?stt_model_name=%2F%2Fevil.example%2Fx&smart_turn_model_path=%5C%5Cevil.example%2Fa%2Fb');
    const refused = page.getByRole('alert').filter({ hasText: 'The settings in this link were not applied' });
    await expect(refused).toContainText('"stt_model_name" in the link: "//evil.example/x" starts with /');
    await expect(refused).toContainText(/"smart_turn_model_path" in the link: "[\\]+evil\.example\/a\/b" has a backslash/);
  });
});
