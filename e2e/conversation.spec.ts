import type { Page } from '@playwright/test';
import { decodeWav } from '../src/audio/wav';
import { afterSilence, overReply, pausedSentence, shared, sharedSentences, spokenInTurns, twoSentences } from './clips';
import { keepAudioContexts, suspendAudioContext } from './audioContexts';
import { closeSettings, expect, openSettings, setSetting, settingControl, gotoAllowing, test, useLlmServer } from './fixtures';
import { TEST_TTS } from './paths';
import { replyTo as replyToText } from '../src/stages/llm/llmServer.testSupport';

/**
 * The language model stage in the built page: typed messages and spoken turns answered by a local
 * OpenAI-compatible server (both protocols), and by transformers.js running the SmolLM2-shaped
 * stand-in from shared/models (random weights: only the streaming is checked, not the words).
 */
const server = useLlmServer();

const SPOKEN = ['You said: hello.', 'Dr. Smith paid $3.50 for two tickets.', 'Here is why:', 'It rained.', 'It was late.', 'That is all!'];
const FALLBACK = "Wow I'm a bit slow today, could you repeat that?";

function api(backend: 'chat-completions' | 'responses-api', extra = ''): string {
  return `/?llm_backend=${backend}&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_TTS}${extra}`;
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

const batches = (page: Page) => page.locator('.exchange').last().locator('.speech-batch').allTextContents();

test.describe('replies from a local OpenAI-compatible server', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  for (const backend of ['chat-completions', 'responses-api'] as const) {
    test(`${backend}: a typed message gets a streamed reply, handed on sentence by sentence`, async ({ listeningPage: page }) => {
      await page.addInitScript(() => {
        // Records each reply length seen while streaming, to show the reply grows before it ends.
        const lengths: number[] = [];
        (window as unknown as { replyLengths: number[] }).replyLengths = lengths;
        new MutationObserver(() => {
          const exchange = document.querySelector('.exchange[data-status="streaming"] .reply-text');
          if (exchange?.textContent) lengths.push(exchange.textContent.length);
        }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      await gotoAllowing(page, api(backend, '&stream_batch_sentences=1'));
      await setSetting(page, 'responses_api_api_key', 'sk-e2e-secret');
      await send(page, 'hello [slow] [think]');
      await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
      expect(await batches(page)).toEqual(SPOKEN);
      const reply = await page.locator('.reply-text').last().textContent();
      expect(reply).toContain('Dr. Smith paid $3.50');
      expect(reply).not.toMatch(/think/i);
      const lengths = await page.evaluate(() => (window as unknown as { replyLengths: number[] }).replyLengths);
      expect(new Set(lengths).size).toBeGreaterThan(5);
      expect(server.requests.every((request) => request.authorization === 'Bearer sk-e2e-secret')).toBe(true);
      expect(server.requests[0]?.path).toBe(backend === 'chat-completions' ? '/v1/chat/completions' : '/v1/responses');
      await expect(page.locator('.llm-status')).toContainText(server.baseUrl);
      // The reply was spoken by the Kokoro stand-in and played to the end.
      await expect(page.locator('[data-tts-status="ready"]')).toContainText('Kokoro');
      await expect.poll(async () => Number(await page.locator('.talk').getAttribute('data-samples-played')), { timeout: 20_000 }).toBeGreaterThan(24_000);
      await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    });
  }

  test('batches of three, the window sent again with the next message, and a new conversation', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('chat-completions', '&init_chat_prompt=Be%20brief.'));
    await send(page, 'hello');
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    expect(await batches(page)).toEqual([SPOKEN.slice(0, 3).join(' '), SPOKEN.slice(3).join(' ')]);
    await send(page, 'again');
    await expect(page.locator('.exchange[data-status="completed"]')).toHaveCount(2, { timeout: 20_000 });
    const messages = server.requests[1]?.body.messages as { role: string; content: string }[];
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0]?.content).toBe('Be brief.');
    expect(messages[2]?.content).toBe(SPOKEN.join(' '));
    await page.getByRole('button', { name: 'New conversation' }).click();
    await send(page, 'fresh');
    await expect(page.locator('.exchange[data-status="completed"]')).toHaveCount(1, { timeout: 20_000 });
    expect((server.requests[2]?.body.messages as unknown[]).length).toBe(2);
  });

  test('each failure is explained, the fallback sentence is handed on, and the next message works', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('chat-completions', '&stream_batch_sentences=1'));
    await setSetting(page, 'responses_api_api_key', 'sk-e2e-secret');
    const cases: [string, RegExp][] = [
      ['hello [status 401]', /refused the request \(HTTP 401\): check responses_api_api_key/],
      ['hello [status 404]', /HTTP 404\): check model_name and responses_api_base_url/],
      ['hello [status 429]', /rate-limiting/],
      ['hello [status 503]', /failed \(HTTP 503\)/],
      ['hello [cut]', /The reply failed/],
    ];
    for (const [index, [message, explanation]] of cases.entries()) {
      await send(page, message);
      const exchange = page.locator('.exchange').nth(index);
      await expect(exchange).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
      await expect(exchange.getByRole('alert')).toHaveText(explanation);
      await expect(exchange.getByRole('alert')).not.toContainText('sk-e2e-secret');
      expect((await exchange.locator('.speech-batch').allTextContents()).at(-1)).toBe(FALLBACK);
    }
    await send(page, 'hello');
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    // Unanswered turns were taken back; the cut reply keeps what was said before the cut.
    const messages = server.requests.at(-1)?.body.messages as { role: string; content: string }[];
    expect(messages.filter((entry) => entry.role !== 'system').map((entry) => entry.content)).toEqual(['hello [cut]', 'You said: hello.', 'hello']);
  });
});

test.describe('a spoken question', () => {
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: shared('moon').path });

  test('is transcribed, and the transcript is what the model is asked', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api('chat-completions', '&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control'));
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    const transcript = (await page.locator('.transcript-final').first().textContent()) ?? '';
    expect(transcript).toMatch(/moon/i);
    await expect(page.locator('.exchange-user').first()).toContainText(transcript);
    const messages = server.requests[0]?.body.messages as { role: string; content: string }[];
    expect(messages.at(-1)).toEqual({ role: 'user', content: transcript });
    expect(await batches(page)).toContain(`You said: ${transcript.replace(/[.?!]$/, '')}. Dr. Smith paid $3.50 for two tickets. Here is why:`);
    // Spoken back, with the latency from the end of the turn to the transcript and to the first audio.
    const latency = page.locator('.exchange-latency').first();
    await expect(latency).toHaveAttribute('data-latency-first-audio', /^\d+$/, { timeout: 20_000 });
    const transcriptMs = Number(await latency.getAttribute('data-latency-transcript'));
    const firstAudioMs = Number(await latency.getAttribute('data-latency-first-audio'));
    expect(firstAudioMs).toBeGreaterThan(transcriptMs);
  });
});

test.describe('a pause inside a sentence', () => {
  // "What is the capital … of France?": 450 ms of silence after "capital" (the clip's own gap between the words at 1.17 s) ends a segment, and the rest of the sentence reopens the turn.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(pausedSentence('capital_of_france', 1.17, 0.45), 22).path });

  test('is one turn: the model is sent one user message, and the page shows one exchange', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    // Smart Turn and live partials off: the shorter revision's final is transcribed while the user goes on, as on a fast machine.
    await gotoAllowing(page, api('chat-completions', '&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_enable_live_transcription&no_echo_cancellation&no_noise_suppression&no_auto_gain_control'));
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    // The turn was reopened: its segments are revisions of turn 1 (Silero may also end a segment at the clip's own short gaps, so there may be more than two).
    await expect(page.locator('.segment[data-turn="1"][data-revision="1"]')).toHaveCount(1);
    await expect(page.locator('.segment[data-turn="2"]')).toHaveCount(0);
    await expect(page.locator('.exchange')).toHaveCount(1);
    // The words are the whole turn's, its last revision's (Whisper tiny hears the pause as it likes: the words are not checked).
    const shown = page.locator('.transcript[data-turn="1"]');
    const lastRevision = Math.max(...(await page.locator('.segment[data-turn="1"]').evaluateAll((segments) => segments.map((segment) => Number(segment.getAttribute('data-revision'))))));
    await expect(shown).toHaveAttribute('data-revision', String(lastRevision));
    const transcript = (await shown.locator('.transcript-final').textContent()) ?? '';
    await expect(page.locator('.exchange-user').first()).toContainText(transcript);
    // Every request carried one user message, and the last one the whole sentence.
    await page.waitForTimeout(2000);
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) {
      const messages = request.body.messages as { role: string; content: string }[];
      expect(messages.filter((message) => message.role === 'user')).toHaveLength(1);
      expect(messages.filter((message) => message.role === 'assistant')).toHaveLength(0);
    }
    const last = server.requests.at(-1)?.body.messages as { role: string; content: string }[];
    expect(last.at(-1)?.content).toBe(transcript);
  });
});

test.describe('talking over the reply', () => {
  // The question once the models have loaded (on a busy machine that takes up to 20 s); the second
  // sentence 5 s after the first, while the reply to the first (at half speed, about 10 s) plays.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(twoSentences('moon', 'kitchen_lights', 5), 22).path });

  test('stops the voice, keeps only the words heard, and answers the new turn', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api('chat-completions', '&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control&stream_batch_sentences=1&kokoro_speed=0.5'));
    await page.getByRole('button', { name: 'Start listening' }).click();
    const first = page.locator('.exchange').first();
    await expect(first).toHaveAttribute('data-status', 'interrupted', { timeout: 60_000 });
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    const heard = ((await first.locator('.reply-heard').textContent()) ?? '').replace(/^Heard before you spoke: “|”$/g, '');
    const spoken = (await first.locator('.speech-batch').allTextContents()).join(' ');
    expect(heard.length).toBeGreaterThan(0);
    expect(spoken.startsWith(heard)).toBe(true);
    expect(heard.length).toBeLessThan(spoken.length);
    // The next request carries the interrupted reply as heard.
    const messages = server.requests[1]?.body.messages as { role: string; content: string }[];
    expect(messages.filter((message) => message.role === 'assistant')).toEqual([{ role: 'assistant', content: heard }]);
  });
});

/** The question once the models have loaded, then `over` 5 s later, while the reply (at half speed, about 10 s) plays. */
const questionThen = (over: 'yeah' | 'mars') => afterSilence(spokenInTurns(`moon-then-${over}`, [...sharedSentences(['moon']), overReply(over)], 5), 22).path;
const OVER_REPLY_SETTINGS = '&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control&stream_batch_sentences=1&kokoro_speed=0.5';

test.describe('a backchannel over the reply', () => {
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: questionThen('yeah') });

  test('"Yeah, right." lowers the reply for a moment; it goes on to the end and is not answered', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api('chat-completions', OVER_REPLY_SETTINGS));
    await page.getByRole('button', { name: 'Start listening' }).click();
    const first = page.locator('.exchange').first();
    await expect(first).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    // The backchannel was heard over the reply (its transcript is turn 2) and let it go on.
    await expect(page.locator('.transcript[data-turn="2"] .transcript-final')).toHaveText(/yeah/i, { timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('s2s:resumed').length), { timeout: 15_000 }).toBe(1);
    expect(await page.evaluate(() => performance.getEntriesByName('s2s:barge-in').length)).toBe(0);
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'listening', { timeout: 30_000 });
    await expect(first).toHaveAttribute('data-status', 'completed');
    await expect(first.locator('.reply-heard')).toHaveCount(0);
    await expect(page.locator('.exchange:not(.live)')).toHaveCount(1);
    // Shown as what it was, with no reply of its own.
    await expect(page.locator('.exchange.backchannel')).toContainText(/yeah, right/i);
    await expect(page.locator('.backchannel-note')).toHaveText('Heard as a backchannel: the reply went on.');
    expect(server.requests).toHaveLength(1);
  });
});

test.describe('a real interruption over the reply', () => {
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: questionThen('mars') });

  test('"Stop. Tell me about Mars instead." cuts the reply where it was heard, and is answered', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api('chat-completions', OVER_REPLY_SETTINGS));
    await page.getByRole('button', { name: 'Start listening' }).click();
    const first = page.locator('.exchange').first();
    await expect(first).toHaveAttribute('data-status', 'interrupted', { timeout: 60_000 });
    const second = page.locator('.exchange').nth(1);
    await expect(second).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    // Whisper tiny hears "Mars" as it likes through the capture path.
    await expect(second.locator('.exchange-user')).toContainText(/Tell me about/i);
    const heard = ((await first.locator('.reply-heard').textContent()) ?? '').replace(/^Heard before you spoke: “|”$/g, '');
    const messages = server.requests[1]?.body.messages as { role: string; content: string }[];
    expect(messages.filter((message) => message.role === 'assistant')).toEqual([{ role: 'assistant', content: heard }]);
    // Cut by its length (over 2 s of speech) or its words, whichever came first: after the duck, before the words' end.
    const moments = await page.evaluate(() => ({
      duck: performance.getEntriesByName('s2s:duck').map((mark) => mark.startTime),
      cut: performance.getEntriesByName('s2s:barge-in').map((mark) => mark.startTime),
    }));
    expect(moments.cut).toHaveLength(1);
    expect(moments.cut[0]).toBeGreaterThan(moments.duck[0] ?? Infinity);
  });
});

test.describe('tts openai', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('each sentence batch is spoken by the speech server, with its key, and played', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('chat-completions', `&tts=openai&openai_tts_base_url=${encodeURIComponent(server.baseUrl)}&openai_tts_voice=nova&stream_batch_sentences=2`));
    await setSetting(page, 'openai_tts_api_key', 'sk-speech-key');
    await send(page, 'hello');
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle', { timeout: 20_000 });
    const speechRequests = server.requests.filter((request) => request.path === '/v1/audio/speech');
    expect(speechRequests.map((request) => request.body.input)).toEqual(await batches(page));
    expect(speechRequests.every((request) => request.authorization === 'Bearer sk-speech-key' && request.body.voice === 'nova')).toBe(true);
    // 21 words at 100 ms each, played at the speakers' rate (at least 44.1 kHz).
    expect(Number(await page.locator('.talk').getAttribute('data-samples-played'))).toBeGreaterThan(2.1 * 44_100 * 0.95);
  });
});

test.describe('tts web-speech', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('without a voice in the browser, says how to get one, and the conversation goes on', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('chat-completions', '&tts=web-speech'));
    await send(page, 'hello');
    const exchange = page.locator('.exchange').last();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    // This headless browser has no speech synthesis voice.
    await expect(exchange.locator('.exchange-warning')).toContainText('this browser has no speech synthesis voice', { timeout: 10_000 });
    await send(page, 'again');
    await expect(page.locator('.exchange[data-status="completed"]')).toHaveCount(2, { timeout: 20_000 });
  });
});

test.describe('tts facebookMMS', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('the MMS model follows tts_language; one that cannot be loaded says what to check, and the reply is still shown', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('chat-completions', '&tts=facebookMMS&tts_language=fr'));
    await send(page, 'hello');
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(page.locator('.exchange').last().locator('.reply-text')).toContainText('You said: hello.');
    // No MMS weights are served here: the French model is looked for, and its absence explained.
    const failure = page.locator('[data-tts-status="failed"]');
    await expect(failure).toContainText('The MMS voice Xenova/mms-tts-fra could not be loaded', { timeout: 20_000 });
    // Which file, and what the server said.
    await expect(failure).toContainText('/models/Xenova/mms-tts-fra/config.json is not there (HTTP 404)');
    await expect(failure).toContainText('Check facebook_mms_model_name or tts_language');
    // Replies stay as text, and the browser's own voice is offered.
    await expect(failure).toContainText('Replies are shown as text meanwhile.');
    await failure.getByRole('button', { name: 'Use the browser’s voice' }).click();
    await openSettings(page);
    await expect(settingControl(page, 'tts')).toHaveValue('web-speech');
  });
});

test.describe('stt none: the audio goes to the model', () => {
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: twoSentences('moon', 'kitchen_lights', 2).path });

  test('each turn is sent as a WAV with the audio limits; older audio becomes a placeholder', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api('chat-completions', '&stt=none&no_smart_turn'));
    await page.getByRole('button', { name: 'Start listening' }).click();
    // The second sentence may start while the first reply still plays: that reply is then cut.
    await expect(page.locator('.exchange')).toHaveCount(2, { timeout: 60_000 });
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', /completed|interrupted/);
    await expect(page.locator('.exchange-user').first()).toContainText('s of speech, sent as audio');
    type Part = { type: string; text?: string; input_audio?: { data: string; format: string } };
    const userParts = (index: number) => (server.requests[index]?.body.messages as { role: string; content: string | Part[] }[]).filter((message) => message.role === 'user').map((message) => message.content as Part[]);
    const first = userParts(0);
    expect(first).toHaveLength(1);
    const audio = first[0]?.[0]?.input_audio;
    expect(audio?.format).toBe('wav');
    const wav = decodeWav(new Uint8Array(Buffer.from(audio?.data ?? '', 'base64')));
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.samples.length / 16_000).toBeGreaterThan(1);
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 256, temperature: 0 });
    const second = userParts(1);
    expect(second[0]).toEqual([{ type: 'text', text: '[The user spoke here; the audio is no longer included.]' }]);
    expect(second[1]?.[0]?.type).toBe('input_audio');
  });
});

test.describe('transformers.js in the page', () => {
  const LOCAL = `/?${TEST_TTS}&llm_backend=transformers&models_base_url=/models/&model_name=test/tiny-random-smollm2&llm_torch_dtype=fp32&llm_gen_max_new_tokens=40&stream_batch_sentences=1`;

  test('loads the model, then streams a reply, and the next turn’s reply', async ({ listeningPage: page }) => {
    await page.goto(LOCAL);
    await send(page, 'What is the capital of France?');
    await expect(page.locator('[data-llm-status="ready"]')).toContainText('transformers.js, WASM', { timeout: 30_000 });
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    const reply = (await page.locator('.reply-text').last().textContent()) ?? '';
    expect(reply.trim().split(/\s+/).length).toBeGreaterThan(10);
    expect((await batches(page)).join(' ').length).toBeGreaterThan(20);
    await send(page, 'And of Spain?');
    await expect(page.locator('.exchange')).toHaveCount(2);
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    expect(((await page.locator('.reply-text').last().textContent()) ?? '').trim().split(/\s+/).length).toBeGreaterThan(10);
  });

  // The model's missing files answer 404, which the browser notes in the console.
  test.use({ allowedHosts: ['localhost'] });

  test('a model that cannot load says so, speaks the fallback, and the page goes on', async ({ listeningPage: page }) => {
    await page.goto(`/?${TEST_TTS}&llm_backend=transformers&models_base_url=/models/&model_name=test/no-such-model&llm_torch_dtype=fp32`);
    await send(page, 'Hello?');
    const exchange = page.locator('.exchange').last();
    await expect(exchange).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(exchange.getByRole('alert')).toContainText('The language model could not start: The language model test/no-such-model could not be loaded');
    // The file that was not there, not a library's internal message.
    await expect(exchange.getByRole('alert')).toContainText('/models/test/no-such-model/');
    await expect(exchange.getByRole('alert')).toContainText('is not there (HTTP 404)');
    expect(await exchange.locator('.speech-batch').allTextContents()).toEqual([FALLBACK]);
  });
});

test.describe('web-llm', () => {
  test('lists the models this GPU can run and sets model_name; without WebGPU a message says what to choose instead', async ({ watched: page }) => {
    await page.goto(`/?llm_backend=web-llm&models_base_url=/models/&${TEST_TTS}`);
    await openSettings(page);
    await page.getByRole('button', { name: 'Choose from web-llm’s models' }).click();
    const select = page.getByRole('combobox', { name: 'web-llm model' });
    await expect(select.locator('option')).not.toHaveCount(0);
    // This headless browser has no GPU with shader-f16, so only f32 builds are offered.
    const options = await select.locator('option').allTextContents();
    expect(options.some((option) => option.startsWith('Qwen3-0.6B-q4f32_1-MLC'))).toBe(true);
    expect(options.some((option) => option.includes('q4f16'))).toBe(false);
    await select.selectOption('Qwen3-0.6B-q4f32_1-MLC');
    await expect(settingControl(page, 'model_name')).toHaveValue('Qwen3-0.6B-q4f32_1-MLC');
    await closeSettings(page);

    await send(page, 'Hello?');
    const exchange = page.locator('.exchange').last();
    await expect(exchange).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
    await expect(exchange.getByRole('alert')).toContainText('web-llm needs WebGPU');
    expect(await exchange.locator('.speech-batch').allTextContents()).toEqual([FALLBACK]);
  });
});

test.describe('on a phone-sized screen', () => {
  test.use({ allowedHosts: ['127.0.0.1'], viewport: { width: 360, height: 740 } });

  test('the page fits the width, and a conversation can be held and saved', async ({ listeningPage: page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await gotoAllowing(page, api('chat-completions'));
    await send(page, 'hello');
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Markdown' }).click();
    const file = await download;
    const text = await (await file.createReadStream()).toArray();
    const markdown = Buffer.concat(text as Buffer[]).toString();
    expect(markdown).toContain('**You:** hello');
    expect(markdown).toContain(`**Assistant:** ${replyToText('hello')}`);
  });
});

test.describe('speakers paused by the browser', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('says so, and Resume brings the voice back', async ({ listeningPage: page }) => {
    await keepAudioContexts(page);
    await gotoAllowing(page, api('chat-completions'));
    await send(page, 'hello');
    await expect(page.locator('.exchange').last()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    // The speakers' context: the page opens it first.
    await suspendAudioContext(page, 0);
    await expect(page.getByRole('alert')).toContainText('The browser paused the assistant’s voice');
    await page.getByRole('button', { name: 'Resume the voice' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
