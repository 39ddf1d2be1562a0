import type { Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { afterSilence, shared, twoSentences } from './clips';
import { allowNamedHosts, closeSettings, expect, microphoneStreams, openSettings, settingControl, test, unplugMicrophone, watchMicrophones } from './fixtures';
import { startRealtimeServer, type RealtimeServer } from '../src/realtime/realtimeServer.testSupport';
import { defaultSettings } from '../src/settings/schema';

/**
 * The page as the client of a Realtime server (the reference's `speech-to-speech talk`): a pasted
 * talk line, then the built page talking to a local server that speaks the reference's protocol,
 * with the WAV microphone. The server cannot understand speech: its transcript says how long the
 * speech it heard was, and its reply is a tone with words.
 */
let server: RealtimeServer;
test.beforeAll(async () => {
  server = await startRealtimeServer();
});
test.afterAll(async () => {
  await server.close();
});
test.beforeEach(() => {
  server.sessions.length = 0;
  server.options = { maxSessions: 1, replySeconds: 2, dropAfterAudioMs: null, accepting: true };
});

test.use({ allowedHosts: ['127.0.0.1'] });

/** A question spoken once, after time for the page to connect. */
const question = () => afterSilence(shared('moon'), 2);

/** Pastes a talk line for the test server; returns every URL the page requests from then on. */
async function pasteTalkLine(page: Page, flags = ''): Promise<string[]> {
  await page.goto('/');
  await openSettings(page);
  await page.getByLabel('Paste a speech-to-speech command line').fill(`speech-to-speech talk --url ${server.url} --voice af_heart ${flags}`);
  await page.getByRole('button', { name: 'Apply command line' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The command line applied' })).toBeVisible();
  await expect(page.locator('#export-command-line')).toHaveValue(`speech-to-speech talk --url ${server.url} --voice af_heart${flags ? ` ${flags}` : ''}`);
  // From here on, with a Realtime server running the pipeline, the page measures and downloads no model.
  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
  await closeSettings(page);
  // The line named the server: the user allows it.
  await allowNamedHosts(page);
  await expect(page.getByRole('complementary', { name: 'Status' })).toContainText('Realtime server at 127.0.0.1');
  return requests;
}

const samplesPlayed = async (page: Page) => Number(await page.locator('.talk').getAttribute('data-samples-played'));

test.describe('a Realtime server runs the pipeline', () => {
  test.describe('a spoken question', () => {
    test.use({ microphoneClip: question().path });

    test('reaches the server and is answered: both transcripts shown, the reply heard, the prompt sent as instructions, nothing downloaded', async ({ listeningPage: page }) => {
      const requests = await pasteTalkLine(page);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await expect(page.getByRole('complementary', { name: 'Status' })).toContainText('Connected to the Realtime server at 127.0.0.1');
      await expect(page.locator('.talk')).toHaveAttribute('data-state', /listening|hearing/, { timeout: 15_000 });
      const exchange = page.locator('.exchange').first();
      await expect(exchange.locator('.exchange-user')).toContainText(/I spoke for \d\.\d seconds\./, { timeout: 20_000 });
      await expect(exchange.locator('.exchange-reply')).toContainText(/You spoke for \d\.\d seconds\./);
      await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
      // The reply's two seconds of audio were played (at the speakers' rate, whatever it is).
      expect(await samplesPlayed(page)).toBeGreaterThan(1.5 * 16_000);
      const [session] = server.sessions;
      expect(session?.instructions).toBe(defaultSettings().init_chat_prompt);
      expect(session?.voice).toBe('af_heart');
      expect([session?.inputRate, session?.outputRate]).toEqual([16_000, 16_000]);
      expect(session?.apiKey).toBeNull();
      // The page's own latency, and the server's beside it.
      await exchange.getByText('Details').click();
      await expect(exchange.locator('.exchange-latency').first()).toContainText('After your turn ended: words understood in');
      await expect(exchange.locator('.server-latency')).toContainText('The server measured 610 ms end to end: voice detection 500 ms, Smart Turn wait 0 ms, speech to text 120 ms, language model 340 ms');
      // A typed message goes to the server as a conversation item, and is answered the same way.
      await page.getByRole('textbox', { name: 'Message' }).fill('Hello there');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const typed = page.locator('.exchange').nth(1);
      await expect(typed.locator('.exchange-user')).toHaveText('Hello there');
      await expect(typed).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
      expect(server.sessions[0]?.events).toContain('conversation.item.create');
      expect(requests.filter((url) => /\.onnx|\/models\/|huggingface|mlc/.test(url))).toEqual([]);
    });
  });

  test.describe('barge-in', () => {
    test.use({ microphoneClip: afterSilence(twoSentences('moon', 'kitchen_lights', 5), 2).path });

    test('speaking over a long reply silences it at once and keeps it as heard (audio at 24 kHz both ways)', async ({ listeningPage: page }) => {
      server.options = { ...server.options, replySeconds: 30 };
      await pasteTalkLine(page, '--send-rate 24000 --recv-rate 24000');
      await page.getByRole('button', { name: 'Start listening' }).click();
      const first = page.locator('.exchange').first();
      await expect(first).toHaveAttribute('data-status', 'streaming', { timeout: 20_000 });
      await expect(first).toHaveAttribute('data-status', 'interrupted', { timeout: 20_000 });
      await expect(first.locator('.reply-heard')).toContainText('Heard before you spoke: “You spoke for');
      const heard = (await first.locator('.reply-heard').textContent()) ?? '';
      // Only the words of the seconds played before the second sentence, not the 30 s reply.
      expect(heard.split(' ').length).toBeLessThan(60);
      const [session] = server.sessions;
      expect([session?.inputRate, session?.outputRate]).toEqual([24_000, 24_000]);
      expect(session?.responses[0]?.status).toBe('cancelled');
      expect(session?.truncations.length).toBeGreaterThan(0);
      await expect(page.locator('.talk')).not.toHaveAttribute('data-state', 'speaking');
      await expect(page.locator('.exchange')).toHaveCount(2, { timeout: 15_000 });
    });
  });

  test.describe('push to talk', () => {
    // A question 2 s after the microphone opens, another 12 s later.
    test.use({ microphoneClip: afterSilence(twoSentences('moon', 'kitchen_lights', 10), 2).path });

    test('nothing of the microphone reaches the server while the talk control is not held; held, the question is answered', async ({ listeningPage: page }) => {
      test.setTimeout(90_000);
      await pasteTalkLine(page);
      await openSettings(page);
      await settingControl(page, 'push_to_talk').check();
      await closeSettings(page);
      const talk = page.getByRole('button', { name: 'Hold to talk' });
      // Pressed once, not held: connected, and the question that comes meanwhile is not heard.
      await talk.click();
      await expect(page.getByRole('complementary', { name: 'Status' })).toContainText('Connected to the Realtime server at 127.0.0.1', { timeout: 15_000 });
      await page.waitForTimeout(8000);
      expect(server.sessions[0]?.responses).toEqual([]);
      await expect(page.locator('.exchange')).toHaveCount(0);
      // Held through the second question: it is answered.
      const box = await talk.boundingBox();
      if (!box) throw new Error('the talk control is not on screen');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await expect(page.locator('.exchange').first().locator('.exchange-user')).toContainText(/I spoke for \d\.\d seconds\./, { timeout: 15_000 });
      await page.mouse.up();
      await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
    });
  });

  test.describe('a server that goes quiet', () => {
    // One question, then half a minute with nothing to say.
    test.use({ microphoneClip: afterSilence(twoSentences('moon', 'kitchen_lights', 30), 2).path });

    test('a server that goes quiet in the middle of a reply: after 20 s the reply ends saying why, and listening goes on', async ({ listeningPage: page }) => {
      test.setTimeout(90_000);
      server.options = { ...server.options, replySeconds: 10, stallAfterAudioMs: 400 };
      await pasteTalkLine(page);
      await page.getByRole('button', { name: 'Start listening' }).click();
      const exchange = page.locator('.exchange').first();
      await expect(exchange).toHaveAttribute('data-status', 'streaming', { timeout: 20_000 });
      await expect(exchange).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
      await expect(exchange.getByRole('alert')).toContainText('sent nothing for 20 s, so the reply was ended');
      await expect(page.locator('.talk')).toHaveAttribute('data-state', /listening|hearing/);
    });

  });

  test.describe('Stop during a reply', () => {
    test.use({ microphoneClip: question().path });

    test('silences it at once, keeps what was heard, and the talk control says it no longer listens', async ({ listeningPage: page }) => {
      server.options = { ...server.options, replySeconds: 8 };
      await pasteTalkLine(page);
      await page.getByRole('button', { name: 'Start listening' }).click();
      const exchange = page.locator('.exchange').first();
      await expect(page.locator('.talk')).toHaveAttribute('data-state', 'speaking', { timeout: 20_000 });
      await page.getByRole('button', { name: 'Stop listening' }).click();
      await expect(exchange).toHaveAttribute('data-status', 'interrupted');
      await expect(exchange.locator('.reply-heard')).toContainText('Heard before you spoke: “You spoke for');
      await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle');
      // The speakers' last reports after Stop do not bring "Speaking" back.
      await page.waitForTimeout(1500);
      await expect(page.locator('.talk')).toHaveAttribute('data-state', 'idle');
      await expect(page.locator('.talk-state')).toHaveText('Not listening');
    });
  });

  test.describe('an unplugged microphone', () => {
    test.use({ microphoneClip: question().path });

    test('is replaced by the default one, as when the page listens itself: the page says so and the server goes on hearing', async ({ listeningPage: page }) => {
      await watchMicrophones(page);
      await pasteTalkLine(page);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await expect(page.getByRole('complementary', { name: 'Status' })).toContainText('Connected to the Realtime server at 127.0.0.1');
      await unplugMicrophone(page);
      await expect(page.getByText('The microphone was disconnected; listening continues on the default microphone.')).toBeVisible();
      expect(await microphoneStreams(page)).toBe(2);
      await expect(page.locator('.talk')).toHaveAttribute('data-state', /listening|hearing|thinking|speaking/);
      // The default microphone's audio reaches the server: more than a second more of it, on the same connection.
      const session = server.sessions[0];
      const before = session?.secondsReceived ?? 0;
      await expect.poll(() => (session?.secondsReceived ?? 0) - before, { timeout: 10_000 }).toBeGreaterThan(1);
      expect(server.sessions).toHaveLength(1);
    });
  });

  test.describe('failures', () => {
    test.use({ microphoneClip: question().path });

    test('a full server is said to be full, and the page stays usable', async ({ listeningPage: page }) => {
      // Another client holds the server's one pipeline.
      const other = new WebSocket(server.url, ['realtime']);
      await new Promise((resolve) => other.once('open', resolve));
      try {
        await pasteTalkLine(page);
        await page.getByRole('button', { name: 'Start listening' }).click();
        await expect(page.getByRole('alert')).toContainText('is full: every pipeline it runs is in a conversation (session_limit_reached)', { timeout: 15_000 });
        await expect(page.getByRole('button', { name: 'Start listening' })).toBeVisible();
        // Once the other client leaves, Reconnect works.
        other.close();
        await page.getByRole('button', { name: 'Reconnect' }).click();
        await expect(page.locator('.exchange-reply').first()).toContainText('You spoke for', { timeout: 25_000 });
      } finally {
        other.close();
      }
    });

    test('a connection dropped mid-reply keeps what was heard and offers to reconnect', async ({ listeningPage: page }) => {
      server.options = { ...server.options, replySeconds: 10, dropAfterAudioMs: 1000 };
      await pasteTalkLine(page);
      await page.getByRole('button', { name: 'Start listening' }).click();
      const exchange = page.locator('.exchange').first();
      await expect(page.getByRole('alert')).toContainText('was lost. What you heard is kept', { timeout: 25_000 });
      await expect(exchange).toHaveAttribute('data-status', 'interrupted');
      await expect(exchange.locator('.reply-heard')).toContainText('Heard before you spoke: “You spoke for');
      server.options = { ...server.options, dropAfterAudioMs: null };
      await page.getByRole('button', { name: 'Reconnect' }).click();
      await expect(page.locator('.talk')).toHaveAttribute('data-state', /listening|hearing|thinking|speaking/, { timeout: 15_000 });
      expect(server.sessions).toHaveLength(2);
    });

    test('a server that is not up yet is waited for with a countdown, then given up on with what to check', async ({ listeningPage: page }) => {
      server.options = { ...server.options, accepting: false };
      await pasteTalkLine(page, '--connection-retry-timeout 3');
      await page.getByRole('button', { name: 'Start listening' }).click();
      await expect(page.getByRole('alert')).toContainText(/cannot be reached yet .*trying again for [123] s/, { timeout: 10_000 });
      await expect(page.getByRole('alert')).toContainText('could not be reached in 3 s', { timeout: 15_000 });
      await expect(page.getByRole('alert')).toContainText('Check that speech-to-speech serve runs there');
      server.options = { ...server.options, accepting: true };
      await page.getByRole('button', { name: 'Reconnect' }).click();
      await expect(page.locator('.talk')).toHaveAttribute('data-state', /listening|hearing|thinking|speaking/, { timeout: 15_000 });
    });
  });
  test.describe('tools', () => {
    test.use({ microphoneClip: afterSilence(shared('moon'), 30).path });

    test('the page’s tools are offered to the server; a call waits for Allow, runs in the page, and the reply after it is in the same exchange', async ({ listeningPage: page }) => {
      await pasteTalkLine(page);
      await openSettings(page);
      await settingControl(page, 'builtin_tools').check();
      await closeSettings(page);
      await page.getByRole('button', { name: 'Start listening' }).click();
      await expect(page.getByRole('complementary', { name: 'Status' })).toContainText('Connected to the Realtime server at 127.0.0.1', { timeout: 15_000 });
      expect(server.sessions[0]?.tools).toEqual(['get_current_time', 'set_timer', 'list_timers', 'cancel_timer']);
      await page.getByRole('textbox', { name: 'Message' }).fill('Set a timer. [tool set_timer {"duration_seconds": 300, "label": "tea"}]');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const card = page.getByRole('region', { name: 'The assistant asks to use set_timer' });
      await expect(card).toBeVisible({ timeout: 15_000 });
      expect(server.sessions[0]?.toolOutputs).toEqual([]);
      await card.getByRole('button', { name: 'Allow once' }).click();
      const exchange = page.locator('.exchange').first();
      await expect(exchange.locator('.exchange-reply')).toContainText('The tool said: {"set":true', { timeout: 15_000 });
      await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
      await expect(exchange.getByRole('list', { name: 'Tools used' })).toContainText('Used set_timer');
      await expect(page.locator('.exchange:not(.live)')).toHaveCount(1);
      await expect(page.locator('.timer-list li')).toContainText('tea');
      expect(server.sessions[0]?.toolOutputs.map((output) => JSON.parse(output.output) as unknown)).toEqual([expect.objectContaining({ set: true, label: 'tea' })]);
    });
  });
});
