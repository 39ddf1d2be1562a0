import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mcpServerHandler, type McpCall } from '../src/mcpServer.testSupport';
import { afterSilence, fixtureSentences, overReply, shared, spokenInTurns } from './clips';
import { expect, gotoAllowing, hostOffers, test, useLlmServer } from './fixtures';
import { TEST_TTS } from './paths';

/** Tools: the page's own, offered with `builtin_tools`, each call shown in its exchange with what went back to the model. */
const server = useLlmServer();
const api = (extra = '') => `/?llm_backend=chat-completions&model_name=test-model&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&models_base_url=/models/&${TEST_TTS}${extra}`;

test.describe('built-in tools', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('the current time: offered, run without asking (it only reads), shown, and the answer uses it', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&builtin_tools'));
    await page.getByRole('textbox', { name: 'Message' }).fill('What time is it? [tool get_current_time]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const exchange = page.locator('.exchange').first();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(exchange.getByRole('list', { name: 'Tools used' }).getByRole('listitem')).toContainText('Used get_current_time');
    await expect(exchange.locator('.reply-text p')).toHaveText(['Let me check.', /^The tool said: \{"local":".+","time_zone":".+","iso":"\d{4}-.+"\}\.$/]);
    await expect(page.locator('.tool-request')).toHaveCount(0);
    const offered = server.requests.filter((request) => request.path.endsWith('/chat/completions')).map((request) => (request.body.tools as { function: { name: string } }[] | undefined)?.map((tool) => tool.function.name));
    const builtIn = ['get_current_time', 'set_timer', 'list_timers', 'cancel_timer'];
    expect(offered).toEqual([builtIn, builtIn]);
  });

  test('over the Responses API: a built-in that acts is asked, allowed, and its output goes back as a function_call_output', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&builtin_tools').replace('llm_backend=chat-completions', 'llm_backend=responses-api'));
    await page.getByRole('textbox', { name: 'Message' }).fill('Set a timer. [tool set_timer {"duration_seconds": 120, "label": "tea"}]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('region', { name: 'The assistant asks to use set_timer' }).getByRole('button', { name: 'Allow once' }).click({ timeout: 20_000 });
    const exchange = page.locator('.exchange').first();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(exchange.locator('.reply-text p').nth(1)).toContainText('The tool said: {"set":true,"id":1,"label":"tea","duration_seconds":120');
    const requests = server.requests.filter((request) => request.path.endsWith('/responses'));
    expect((requests[0]?.body.tools as { type: string; name: string }[]).map((tool) => [tool.type, tool.name])).toContainEqual(['function', 'set_timer']);
    const input = requests[1]?.body.input as { type?: string; call_id?: string; output?: string }[];
    expect(input.filter((item) => item.type === 'function_call' || item.type === 'function_call_output').map((item) => item.type)).toEqual(['function_call', 'function_call_output']);
  });

  test('a server that takes no tools: the reply comes without them, the page says why once, and the next request offers none', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&builtin_tools'));
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello there. [no tools]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    const notice = page.locator('.notice').filter({ hasText: 'This model’s server takes no tools' });
    await expect(notice).toContainText('"auto" tool choice requires --enable-auto-tool-choice');
    await page.getByRole('textbox', { name: 'Message' }).fill('And again.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    const offered = server.requests.filter((request) => request.path.endsWith('/chat/completions')).map((request) => Array.isArray(request.body.tools));
    expect(offered).toEqual([true, false, false]);
    await expect(notice).toHaveCount(1);
  });

  test('off (the default): the model is offered no tools', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api());
    await page.getByRole('textbox', { name: 'Message' }).fill('What time is it? [tool get_current_time]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    expect(server.requests.filter((request) => request.path.endsWith('/chat/completions')).every((request) => request.body.tools === undefined)).toBe(true);
    await expect(page.locator('.tool-calls')).toHaveCount(0);
  });
});

/** Whisper tiny and a microphone that is heard as it is (the test clips are clean). */
const SPOKEN = '&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control';

/** A tool that acts: a timer is set only once the user allows it, then listed, and rings when due. */
const timerCall = (seconds: number, label: string) => `Set a timer. [tool set_timer {"duration_seconds": ${seconds}, "label": "${label}"}]`;

test.describe('a tool that acts: timers', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });

  test('asked first (which tool, where, with what); nothing runs before Allow; then listed, it rings when due', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&builtin_tools'));
    // At a phone's width: the card comes into view there too.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('textbox', { name: 'Message' }).fill(timerCall(3, 'tea'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const card = page.getByRole('region', { name: 'The assistant asks to use set_timer' });
    await expect(card).toBeVisible({ timeout: 20_000 });
    await expect(card).toContainText('set_timer on this page');
    await expect(card.locator('.tool-request-arguments')).toContainText('"duration_seconds": 3');
    await expect(card).toContainText('within 60 seconds');
    // Waiting for the user: the call shows as running, no timer is set, the model has not been told anything.
    await expect(page.locator('.timer-list')).toHaveCount(0);
    expect(server.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
    // Looked at: the card at phone and desktop width.
    await expect(card.getByRole('button', { name: 'Allow once' })).toBeInViewport();
    // Above the talk control, which stays at the bottom of a phone's screen.
    const buttons = await card.locator('.tool-request-actions').boundingBox();
    const dock = await page.locator('.dock').boundingBox();
    expect((buttons?.y ?? 0) + (buttons?.height ?? 0)).toBeLessThanOrEqual(dock?.y ?? 0);
    await page.screenshot({ path: 'test-results/tool-approval-390.png' });
    await page.setViewportSize({ width: 1280, height: 720 });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/tool-approval-1280.png' });
    await card.getByRole('button', { name: 'Allow once' }).click();
    await expect(card).toHaveCount(0);
    const exchange = page.locator('.exchange').first();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(exchange.locator('.reply-text p').nth(1)).toContainText('The tool said: {"set":true,"id":1,"label":"tea","duration_seconds":3');
    // It rings: a notice says so and it leaves the list.
    await expect(page.locator('.notice').filter({ hasText: 'Timer: tea' })).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('.timer-list')).toHaveCount(0);
  });

  test('Deny: the denial is the tool’s answer and nothing is set; a timer set is listed and Cancel removes it', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api('&builtin_tools'));
    await page.getByRole('textbox', { name: 'Message' }).fill(timerCall(600, 'eggs'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const card = page.getByRole('region', { name: 'The assistant asks to use set_timer' });
    await card.getByRole('button', { name: 'Deny' }).click({ timeout: 20_000 });
    const first = page.locator('.exchange').first();
    await expect(first).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(first.locator('.reply-text p').nth(1)).toHaveText('The tool said: The user denied this call of set_timer; it did not run..');
    await expect(page.locator('.timer-list')).toHaveCount(0);
    // Always allow: the next call is not asked.
    await page.getByRole('textbox', { name: 'Message' }).fill(timerCall(600, 'eggs'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await card.getByRole('button', { name: 'Always allow set_timer' }).click({ timeout: 20_000 });
    await expect(page.locator('.timer-list li')).toContainText(/eggs\s*(9:5\d|10:00)/);
    await page.getByRole('textbox', { name: 'Message' }).fill(timerCall(900, 'pasta'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.timer-list li')).toHaveCount(2, { timeout: 20_000 });
    await expect(card).toHaveCount(0);
    await page.screenshot({ path: 'test-results/timers-1280.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'test-results/timers-390.png' });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('button', { name: 'Cancel the timer eggs' }).click();
    await expect(page.locator('.timer-list li')).toHaveText([/pasta/]);
    // Kept over a reload.
    await page.reload();
    await expect(page.locator('.timer-list li')).toHaveText([/pasta/]);
  });
});

test.describe('a spoken answer to a tool call', () => {
  // "Okay, sure." once the models have loaded (on a busy machine up to 20 s), while the card waits.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(spokenInTurns('okay-alone', [overReply('okay')], 0), 24).path });

  test('"Okay, sure." allows the call once: no message to the model, the timer is set and the reply goes on', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api(`&builtin_tools${SPOKEN}`));
    await page.getByRole('button', { name: 'Start listening' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill(timerCall(600, 'tea'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const card = page.getByRole('region', { name: 'The assistant asks to use set_timer' });
    await expect(card).toBeVisible({ timeout: 20_000 });
    // Once speech to text has loaded (until then the control says it still loads).
    await expect(page.locator('.talk')).toHaveAttribute('data-state', 'asking', { timeout: 20_000 });
    await expect(card).toHaveCount(0, { timeout: 50_000 });
    await expect(page.locator('[data-live="tool-answer"]')).toContainText(/okay/i);
    await expect(page.locator('.backchannel-note')).toHaveText('Heard as your answer: the tool was allowed once.');
    await expect(page.locator('.timer-list li')).toContainText('tea');
    const first = page.locator('.exchange:not(.live)');
    await expect(first).toHaveCount(1);
    await expect(first).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    // The answer went to the tool, not to the model as a message.
    const sent = server.requests.filter((request) => request.path.endsWith('/chat/completions')).map((request) => (request.body.messages as { role: string }[]).map((message) => message.role));
    expect(sent).toEqual([['system', 'user'], ['system', 'user', 'assistant', 'tool']]);
  });
});

/** MCP: a real server (the official SDK) on loopback; its tools are offered, and each call waits for Allow. */
test.describe('MCP servers', () => {
  test.use({ allowedHosts: ['127.0.0.1'] });
  const calls: McpCall[] = [];
  /** Every request the MCP server got (not only tool calls). */
  const reached: string[] = [];
  let open: Server;
  let closed: Server;
  const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  test.beforeAll(async () => {
    const handler = mcpServerHandler(calls);
    open = createServer((request, response) => {
      reached.push(`${request.method ?? ''} ${request.headers.host ?? ''}`);
      handler(request, response);
    });
    // A server that does not allow pages (no CORS headers).
    closed = createServer(mcpServerHandler(calls, { cors: false }));
    await Promise.all([open, closed].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  });
  test.afterAll(async () => {
    await Promise.all([open, closed].map((server) => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })));
  });
  test.beforeEach(() => {
    calls.length = 0;
    reached.length = 0;
  });

  test('a server’s tool is offered; nothing runs before Allow; its answer goes back and is used; Deny runs nothing', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api(`&mcp_servers=${encodeURIComponent(url(open))}`));
    await page.getByRole('textbox', { name: 'Message' }).fill('Weather in Lyon? [tool get_weather {"city": "Lyon"}]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const card = page.getByRole('region', { name: 'The assistant asks to use get_weather' });
    await expect(card).toBeVisible({ timeout: 20_000 });
    const host = new URL(url(open)).host;
    await expect(card).toContainText(`get_weather on ${host}`);
    await expect(card.locator('.tool-request-arguments')).toContainText('"city": "Lyon"');
    expect(calls).toEqual([]);
    const offered = server.requests[0]?.body.tools as { function: { name: string } }[];
    expect(offered.map((tool) => tool.function.name)).toEqual(['get_weather', 'add_note', 'broken']);
    await card.getByRole('button', { name: 'Allow once' }).click();
    const first = page.locator('.exchange').first();
    await expect(first).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(first.locator('.reply-text p').nth(1)).toHaveText('The tool said: Sunny and 21 °C in Lyon..');
    expect(calls.map((call) => call.name)).toEqual(['get_weather']);

    await page.getByRole('textbox', { name: 'Message' }).fill('Note it. [tool add_note {"text": "umbrella"}]');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('region', { name: 'The assistant asks to use add_note' }).getByRole('button', { name: 'Deny' }).click({ timeout: 20_000 });
    await expect(page.locator('.exchange').nth(1)).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(page.locator('.exchange').nth(1).locator('.reply-text p').nth(1)).toHaveText('The tool said: The user denied this call of add_note; it did not run..');
    expect(calls.map((call) => call.name)).toEqual(['get_weather']);
  });

  test('a server down and one that does not allow pages (CORS) are each said, with what to do; the conversation goes on', async ({ listeningPage: page }) => {
    await gotoAllowing(page, api(`&mcp_servers=${encodeURIComponent(`http://127.0.0.1:9/mcp ${url(closed)}`)}`));
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello there.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    const notice = page.locator('.notice').filter({ hasText: 'Some MCP tools are not offered' });
    await expect(notice).toContainText('Could not reach 127.0.0.1:9: the server is down, or it does not allow this page.');
    await expect(notice).toContainText(`Could not reach ${new URL(url(closed)).host}`);
    await expect(notice).toContainText('CORS');
    await expect(notice).toContainText('The conversation goes on without them.');
    expect(server.requests[0]?.body.tools).toBeUndefined();
    expect(calls).toEqual([]);
  });

  test.describe('by voice', () => {
    // "How is the weather tomorrow?" once the models have loaded.
    test.use({ microphoneClip: afterSilence(spokenInTurns('weather-question', fixtureSentences('en-us').filter((sentence) => sentence.text.includes('weather')), 0), 22).path });

    test('a spoken question calls the server’s tool once allowed, and the answer that uses it is spoken', async ({ listeningPage: page }) => {
      test.setTimeout(90_000);
      await gotoAllowing(page, api(`&mcp_servers=${encodeURIComponent(url(open))}${SPOKEN}`));
      await page.getByRole('button', { name: 'Start listening' }).click();
      const card = page.getByRole('region', { name: 'The assistant asks to use get_weather' });
      await expect(card).toBeVisible({ timeout: 60_000 });
      expect(calls).toEqual([]);
      const before = Number(await page.locator('.talk').getAttribute('data-samples-played'));
      await card.getByRole('button', { name: 'Allow once' }).click();
      const exchange = page.locator('.exchange:not(.live)').first();
      await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
      await expect(exchange.locator('.exchange-user')).toContainText(/weather/i);
      await expect(exchange.locator('.reply-text p').nth(1)).toHaveText('The tool said: Sunny and 21 °C in Paris..');
      expect(calls).toEqual([{ name: 'get_weather', args: { city: 'Paris' }, authorization: null }]);
      // The answer after the call was heard, not only the words before it.
      await expect.poll(() => page.locator('.talk').getAttribute('data-samples-played').then(Number), { timeout: 20_000 }).toBeGreaterThan(before);
    });
  });

  test.describe('named by a link', () => {
    // The MCP server is also reached as localhost: a host the link names and the user has not allowed.
    test.use({ allowedHosts: ['127.0.0.1', 'localhost'] });

    test('a server a link names is reached only once the user allows its host', async ({ listeningPage: page }) => {
      const linked = url(open).replace('127.0.0.1', 'localhost');
      await page.goto(api(`&mcp_servers=${encodeURIComponent(linked)}`));
      // The language model's host is allowed; the MCP server's is not yet.
      await hostOffers(page).getByRole('button', { name: `Use ${new URL(server.baseUrl).host}` }).click();
      await expect(hostOffers(page).getByRole('button', { name: `Use ${new URL(linked).host}` })).toBeVisible();
      await page.getByRole('textbox', { name: 'Message' }).fill('Weather? [tool get_weather {"city": "Oslo"}]');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(page.locator('.exchange').first()).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
      expect(server.requests[0]?.body.tools).toBeUndefined();
      expect(reached).toEqual([]);
      await hostOffers(page).getByRole('button', { name: `Use ${new URL(linked).host}` }).click();
      await page.getByRole('textbox', { name: 'Message' }).fill('Weather? [tool get_weather {"city": "Oslo"}]');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByRole('region', { name: 'The assistant asks to use get_weather' }).getByRole('button', { name: 'Allow once' }).click({ timeout: 20_000 });
      await expect(page.locator('.exchange').nth(1).locator('.reply-text p').nth(1)).toHaveText('The tool said: Sunny and 21 °C in Oslo..', { timeout: 20_000 });
    });
  });
});

test.describe('a timer set by voice', () => {
  // "Set a timer for ten minutes." once the models have loaded.
  test.use({ allowedHosts: ['127.0.0.1'], microphoneClip: afterSilence(shared('timer'), 22).path });

  test('the spoken request calls set_timer, which waits for Allow; then the timer is listed and the answer is spoken', async ({ listeningPage: page }) => {
    test.setTimeout(90_000);
    await gotoAllowing(page, api(`&builtin_tools${SPOKEN}`));
    await page.getByRole('button', { name: 'Start listening' }).click();
    const card = page.getByRole('region', { name: 'The assistant asks to use set_timer' });
    await expect(card).toBeVisible({ timeout: 60_000 });
    await expect(card.locator('.tool-request-arguments')).toContainText('"duration_seconds": 600');
    const before = Number(await page.locator('.talk').getAttribute('data-samples-played'));
    await card.getByRole('button', { name: 'Allow once' }).click();
    const exchange = page.locator('.exchange:not(.live)').first();
    await expect(exchange).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
    await expect(exchange.locator('.exchange-user')).toContainText(/timer/i);
    await expect(page.locator('.timer-list li')).toContainText(/timer\s*(9:5\d|10:00)/);
    await expect.poll(() => page.locator('.talk').getAttribute('data-samples-played').then(Number), { timeout: 20_000 }).toBeGreaterThan(before);
  });
});
