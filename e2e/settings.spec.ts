import { expect, openSettings, settingControl, test } from './fixtures';

test.describe('settings', () => {
  test('the page loads with the system prompt first and only the selected backends’ settings', async ({ watched: page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Speech to speech' })).toBeVisible();
    await openSettings(page);
    const first = page.locator('[data-setting]').first();
    await expect(first).toHaveAttribute('data-setting', 'init_chat_prompt');
    await expect(settingControl(page, 'init_chat_prompt')).toHaveValue(/helpful and friendly AI assistant/);
    await expect(page.locator('[data-setting="responses_api_base_url"]')).toHaveCount(0);
    await settingControl(page, 'llm_backend').selectOption('chat-completions');
    await expect(page.locator('[data-setting="responses_api_base_url"]')).toBeVisible();
    await expect(page.locator('[data-setting="llm_torch_dtype"]')).toHaveCount(0);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  test('a pasted command line changes the panel and survives a reload', async ({ watched: page }) => {
    await page.goto('/#settings');
    await page.getByLabel('Paste a speech-to-speech command line').fill(
      'speech-to-speech serve \\\n  --llm_backend chat-completions --model_name Qwen/Qwen3-4B-Instruct-2507 \\\n  --responses_api_base_url http://localhost:8000/v1 --stream_batch_sentences 1 --no_compact_history --host 0.0.0.0',
    );
    await page.getByRole('button', { name: 'Apply command line' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The command line applied' })).toContainText('--host was ignored');
    const check = async () => {
      await expect(settingControl(page, 'llm_backend')).toHaveValue('chat-completions');
      await expect(settingControl(page, 'model_name')).toHaveValue('Qwen/Qwen3-4B-Instruct-2507');
      await expect(settingControl(page, 'responses_api_base_url')).toHaveValue('http://localhost:8000/v1');
      await expect(settingControl(page, 'stream_batch_sentences')).toHaveValue('1');
      await expect(settingControl(page, 'compact_history')).not.toBeChecked();
    };
    await check();
    await page.reload();
    await check();
    await expect(page.locator('#export-command-line')).toHaveValue(
      'speech-to-speech serve --llm_backend chat-completions --model_name Qwen/Qwen3-4B-Instruct-2507 --stream_batch_sentences 1 --no_compact_history --responses_api_base_url http://localhost:8000/v1',
    );
  });

  test('an import can be undone', async ({ watched: page }) => {
    await page.goto('/#settings');
    await settingControl(page, 'thresh').fill('0.7');
    await page.getByLabel('Paste a speech-to-speech command line').fill('--stt openai');
    await page.getByRole('button', { name: 'Apply command line' }).click();
    await expect(settingControl(page, 'stt')).toHaveValue('openai');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(settingControl(page, 'stt')).toHaveValue('whisper');
    await expect(settingControl(page, 'thresh')).toHaveValue('0.7');
  });

  test('a bad command line shows its errors and changes nothing', async ({ watched: page }) => {
    await page.goto('/#settings');
    await settingControl(page, 'thresh').fill('0.7');
    const line = '--thresh 1.5 --threshold 0.5 --tts espeak';
    await page.getByLabel('Paste a speech-to-speech command line').fill(line);
    await page.getByRole('button', { name: 'Apply command line' }).click();
    const report = page.getByRole('alert').filter({ hasText: 'was not applied' });
    await expect(report).toContainText('--thresh: 1.5 is out of range (expected a number from 0 to 1)');
    await expect(report).toContainText('--threshold is not a known setting: did you mean --thresh?');
    await expect(report).toContainText('"espeak" is not allowed (expected one of: kokoro, facebookMMS, openai, web-speech)');
    await expect(page.getByLabel('Paste a speech-to-speech command line')).toHaveValue(line);
    await expect(settingControl(page, 'thresh')).toHaveValue('0.7');
    await expect(settingControl(page, 'tts')).toHaveValue('kokoro');
    await page.reload();
    await expect(settingControl(page, 'thresh')).toHaveValue('0.7');
  });

  test('a link preset applies, leaves the address, and survives a reload', async ({ watched: page }) => {
    await page.goto('/?llm_backend=chat-completions&model_name=gpt-test&no_smart_turn&responses_api_api_key=sk-leak');
    await expect(page.getByRole('status').filter({ hasText: 'from the link' })).toContainText('API keys are never read from links');
    await openSettings(page);
    await expect(settingControl(page, 'llm_backend')).toHaveValue('chat-completions');
    await expect(settingControl(page, 'model_name')).toHaveValue('gpt-test');
    await expect(settingControl(page, 'smart_turn')).not.toBeChecked();
    await expect(settingControl(page, 'responses_api_api_key')).toHaveValue('');
    expect(new URL(page.url()).search).toBe('');
    await page.reload();
    await openSettings(page);
    await expect(settingControl(page, 'model_name')).toHaveValue('gpt-test');
  });

  test('a link with a bad value applies nothing and says why', async ({ watched: page }) => {
    await page.goto('/?thresh=high&stt=openai');
    await expect(page.getByRole('alert').filter({ hasText: 'were not applied' })).toContainText('"thresh" in the link: "high" is not a number');
    await openSettings(page);
    await expect(settingControl(page, 'stt')).toHaveValue('whisper');
  });

  test('an invalid field shows why and keeps the saved value', async ({ watched: page }) => {
    await page.goto('/#settings');
    const thresh = settingControl(page, 'thresh');
    await thresh.fill('abc');
    await expect(page.locator('[data-setting="thresh"] .setting-error')).toHaveText('"abc" is not a number (expected a number from 0 to 1)');
    await expect(thresh).toHaveAttribute('aria-invalid', 'true');
    await page.reload();
    await expect(settingControl(page, 'thresh')).toHaveValue('0.6');
    await settingControl(page, 'thresh').fill('0.3');
    await page.getByRole('button', { name: 'Reset thresh to its default' }).click();
    await expect(settingControl(page, 'thresh')).toHaveValue('0.6');
  });

  test('corrupt saved settings fall back to the defaults with a notice, keeping the corrupt copy', async ({ watched: page }) => {
    await page.goto('/');
    await page.evaluate(() => localStorage.setItem('speech-to-speech.settings', '{"state": {"settings": {"thresh": 0.1'));
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'Saved settings were unreadable' })).toBeVisible();
    await openSettings(page);
    await expect(settingControl(page, 'thresh')).toHaveValue('0.6');
    expect(await page.evaluate(() => localStorage.getItem('speech-to-speech.settings.unreadable'))).toBe('{"state": {"settings": {"thresh": 0.1');

    await page.evaluate(() => localStorage.setItem('speech-to-speech.settings', JSON.stringify({ state: { settings: { thresh: 'x', chat_size: 7 } }, version: 1 })));
    await page.goto('/');
    await expect(page.getByRole('status').filter({ hasText: 'Some saved settings were invalid' })).toContainText('thresh was reset to "0.6"');
    await openSettings(page);
    await expect(settingControl(page, 'chat_size')).toHaveValue('7');
  });

  test('exports never hold an API key', async ({ watched: page }) => {
    await page.goto('/#settings');
    await settingControl(page, 'llm_backend').selectOption('chat-completions');
    await settingControl(page, 'responses_api_api_key').fill('sk-very-secret');
    await expect(page.locator('#export-command-line')).toHaveValue('speech-to-speech serve --llm_backend chat-completions');
    await expect(page.locator('#export-link')).toHaveValue(/\?llm_backend=chat-completions$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(json.llm_backend).toBe('chat-completions');
    expect(JSON.stringify(json)).not.toContain('sk-very-secret');
    expect(await page.evaluate(() => localStorage.getItem('speech-to-speech.settings'))).toContain('sk-very-secret');
  });

  test('a JSON config file imports with the same validation', async ({ watched: page }) => {
    await page.goto('/#settings');
    const fileInput = page.locator('input[type="file"]');
    await fileInput.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"thresh": "loud"}') });
    await expect(page.getByRole('alert').filter({ hasText: 'The file bad.json was not applied' })).toContainText('"thresh": "loud" is not a number (expected a number from 0 to 1)');
    await fileInput.setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from('{"tts": "web-speech", "web_speech_rate": 1.5}') });
    await expect(page.getByRole('status').filter({ hasText: 'The file good.json applied' })).toBeVisible();
    await expect(settingControl(page, 'web_speech_rate')).toHaveValue('1.5');
  });

  test('a YAML configuration file: a bad one says where, a good one asks which pipeline and its environment values', async ({ watched: page }) => {
    await page.goto('/#settings');
    const fileInput = page.locator('input[type="file"]');
    await fileInput.setInputFiles({ name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from('schema_version: 1\nblocks: &b {}\npipelines: *b\n') });
    await expect(page.getByRole('alert').filter({ hasText: 'The file bad.yaml was not applied' })).toContainText('line 2, column 12: anchors (&b) are not allowed');
    const config = [
      'schema_version: 1',
      'blocks:',
      '  vad_main: {kind: vad, backend: silero, settings: {thresh: 0.7}}',
      '  stt_local: {kind: stt, backend: faster-whisper}',
      '  stt_api: {kind: stt, backend: openai, settings: {openai_stt_base_url: "http://localhost:8000/v1", openai_stt_api_key: {env: STT_KEY}}}',
      '  llm_main: {kind: llm, backend: chat-completions, settings: {model_name: served-chat-model}}',
      '  tts_main: {kind: tts, backend: kokoro}',
      'pipelines:',
      '  home: {stages: {vad: vad_main, stt: stt_local, llm: llm_main, tts: tts_main}}',
      '  office: {num_pipelines: 2, stages: {vad: vad_main, stt: stt_api, llm: llm_main, tts: tts_main}}',
      '',
    ].join('\n');
    await fileInput.setInputFiles({ name: 'voice.yaml', mimeType: 'application/yaml', buffer: Buffer.from(config) });
    const chooser = page.getByRole('form', { name: 'Import voice.yaml' });
    await chooser.getByRole('radio', { name: 'office' }).check();
    await chooser.getByRole('button', { name: 'Apply pipeline office' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Pipeline office of voice.yaml was not applied' })).toContainText('openai_stt_api_key needs the value of STT_KEY');
    await chooser.getByLabel('STT_KEY').fill('sk-office');
    await chooser.getByRole('button', { name: 'Apply pipeline office' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pipeline office of voice.yaml applied' })).toContainText('num_pipelines was ignored');
    await expect(settingControl(page, 'stt')).toHaveValue('openai');
    await expect(settingControl(page, 'openai_stt_base_url')).toHaveValue('http://localhost:8000/v1');
    await expect(settingControl(page, 'thresh')).toHaveValue('0.7');
    await expect(settingControl(page, 'model_name')).toHaveValue('served-chat-model');
    await expect(chooser).toBeHidden();
  });

  test.describe('the reference’s model ids', () => {
    test.use({ allowedHosts: ['huggingface.co'] });

    test('an MLX id becomes web-llm’s build of the same model; a PyTorch id finds its ONNX builds on the hub', async ({ listeningPage: page }) => {
      // The hub's model API, answered here as the hub does (it cannot be reached from the tests).
      await page.route('https://huggingface.co/api/models**', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/api/models/Qwen/Qwen3-4B-Instruct-2507') return route.fulfill({ json: { id: 'Qwen/Qwen3-4B-Instruct-2507', siblings: [{ rfilename: 'model.safetensors' }] } });
        if (url.pathname === '/api/models' && url.searchParams.get('filter') === 'base_model:Qwen/Qwen3-4B-Instruct-2507' && url.searchParams.get('library') === 'transformers.js') {
          return route.fulfill({ json: [{ id: 'onnx-community/Qwen3-4B-Instruct-2507-ONNX', usedStorage: 5_200_000_000, downloads: 900 }] });
        }
        return route.fulfill({ status: 404, json: { error: 'not found' } });
      });
      await page.goto('/#settings');
      const line = page.getByLabel('Paste a speech-to-speech command line');
      await line.fill('speech-to-speech serve --llm_backend mlx-lm --model_name mlx-community/Qwen3-4B-Instruct-2507-bf16');
      await page.getByRole('button', { name: 'Apply command line' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'The command line applied' })).toContainText('the browser runs Qwen3-4B-q4f16_1-MLC, web-llm’s build of the same model');
      await expect(settingControl(page, 'model_name')).toHaveValue('Qwen3-4B-q4f16_1-MLC');

      await line.fill('speech-to-speech serve --llm_backend transformers --model_name Qwen/Qwen3-4B-Instruct-2507');
      await page.getByRole('button', { name: 'Apply command line' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'The command line applied' })).toContainText('transformers.js loads ONNX weights only');
      await page.getByRole('button', { name: 'Find ONNX builds of Qwen/Qwen3-4B-Instruct-2507' }).click();
      const builds = page.getByRole('list', { name: 'ONNX builds' });
      await expect(builds).toContainText('onnx-community/Qwen3-4B-Instruct-2507-ONNX (5.20 GB in all)');
      await builds.getByRole('button', { name: 'Use it' }).click();
      await expect(settingControl(page, 'model_name')).toHaveValue('onnx-community/Qwen3-4B-Instruct-2507-ONNX');
    });
  });
});
