import { TEST_LLM } from './paths';
import { shared } from './clips';
import { keepAudioContexts, suspendAudioContext } from './audioContexts';
import { expect, microphoneStreams, test, unplugMicrophone, watchMicrophones } from './fixtures';

const APP = `/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/whisper-tiny.en&smart_turn_model_path=test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx`;

test.describe('without a microphone', () => {
  test('says none was found, and offers to try again', async ({ listeningPage: page }) => {
    await page.goto(APP);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.getByRole('alert')).toContainText('No microphone was found. Connect one, then click Start listening again.');
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect(page.locator('.talk-state')).toHaveText('Not listening');
  });
});

test.describe('with the microphone blocked', () => {
  test.use({ chromiumArgs: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] });

  test('says how to allow it', async ({ listeningPage: page }) => {
    await page.goto(APP);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.getByRole('alert')).toContainText('The microphone is blocked for this page. Allow it in the browser’s site settings');
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  });
});

test.describe('with a microphone', () => {
  test.use({ microphoneClip: shared('capital_of_france').path });

  test('a missing Smart Turn model says which file, and the question is still heard and answered, its turn ended by silence', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await page.goto(`/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/whisper-tiny.en&smart_turn_model_path=test/no-such-model/model.onnx`);
    await page.getByRole('button', { name: 'Start listening' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Smart Turn' });
    await expect(notice).toContainText('The Smart Turn model could not be downloaded from');
    await expect(notice).toContainText('HTTP 404: the file is not there: check the model setting and models_base_url');
    await expect(notice).toContainText('Turns end on silence alone meanwhile, as with --no_smart_turn.');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', /completed|failed/, { timeout: 60_000 });
    await expect(page.locator('.exchange-user').first()).toContainText(/capital/i);
    expect(await page.locator('.segment').first().textContent()).toContain('Ended by silence');
  });

  test('a file that is not a Smart Turn model says so, and listening goes on without it', async ({ listeningPage: page }) => {
    await page.goto(`/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/whisper-tiny.en&smart_turn_model_path=test/tiny-random-smart-turn/preprocessor_config.json`);
    await page.getByRole('button', { name: 'Start listening' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Smart Turn' });
    await expect(notice).toContainText('The Smart Turn model could not be loaded');
    await expect(notice).toContainText('Check smart_turn_model_path, or turn Smart Turn off.');
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you|Loading/);
  });

  test('audio suspended by the browser says so, and Resume brings it back', async ({ listeningPage: page }) => {
    await keepAudioContexts(page);
    await page.goto(APP);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
    // The microphone's context: the page opens it after the speakers'.
    await suspendAudioContext(page, -1);
    await expect(page.getByRole('alert')).toHaveText('The browser paused audio, so nothing is heard. Click Resume to listen again.');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('a microphone that goes away is replaced by the default one, and the page says so', async ({ listeningPage: page }) => {
    await watchMicrophones(page);
    await page.goto(APP);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
    await unplugMicrophone(page);
    await expect(page.getByText('The microphone was disconnected; listening continues on the default microphone.')).toBeVisible();
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
    expect(await microphoneStreams(page)).toBe(2);
  });
});
