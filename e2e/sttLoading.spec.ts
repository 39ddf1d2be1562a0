import { TEST_LLM } from './paths';
import { shared } from './clips';
import { expect, test } from './fixtures';

const MODEL_FILES = '/models/onnx-community/whisper-tiny.en/';
const APP = `/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn`;

test.describe('loading speech to text', () => {
  test.use({ microphoneClip: shared('moon').path });

  test('shows its progress per file, and a second load comes from the browser cache', async ({ listeningPage: page }) => {
    // Two loads, each with Whisper's warm-up, beside the voice and the language model.
    test.setTimeout(120_000);
    const requested: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith(MODEL_FILES)) requested.push(path);
    });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-stt-status="loading"]')?.textContent;
        if (text && !seen.includes(text)) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(APP);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.stt-runtime')).toContainText('WASM', { timeout: 45_000 });
    expect(requested.some((path) => path.endsWith('decoder_model_merged_quantized.onnx'))).toBe(true);
    const progress = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(progress.some((text) => /decoder_model_merged_quantized\.onnx: \d+\.\d of 57\.3 MB/.test(text))).toBe(true);

    await page.getByRole('button', { name: 'Stop listening' }).click();
    requested.length = 0;
    await page.reload();
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.stt-runtime')).toContainText('WASM', { timeout: 45_000 });
    expect(requested).toEqual([]);
  });

  test('a model that cannot be loaded says which and what to check, and listening goes on', async ({ listeningPage: page }) => {
    await page.goto(`/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/no-such-whisper&no_smart_turn`);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.getByRole('alert')).toContainText('The speech-to-text model onnx-community/no-such-whisper could not be loaded', { timeout: 30_000 });
    await expect(page.getByRole('alert')).toContainText('Check stt_model_name, models_base_url and your connection');
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
  });
});

test('the settings measure the chosen Whisper model’s download on request', async ({ watched: page }) => {
  await page.goto(`/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/whisper-tiny.en#settings`);
  await page.getByRole('button', { name: 'Check download size' }).click();
  // The q8 files WASM loads (16.9 MB encoder, 57.3 MB decoder) with the tokenizer and configurations.
  await expect(page.locator('.download-size [role="status"]')).toHaveText(/^76\.4 MB to download \(WASM: this browser has no WebGPU, q8 weights\)/);
});

test.describe('stt none', () => {
  test.use({ microphoneClip: shared('moon').path });

  test('with a backend that cannot take audio, says what to choose', async ({ listeningPage: page }) => {
    await page.goto(`/?models_base_url=/models/&${TEST_LLM}&stt=none&llm_backend=transformers&no_smart_turn`);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.getByRole('alert')).toContainText('stt none sends your audio straight to the language model, which needs llm_backend chat-completions');
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
  });
});
