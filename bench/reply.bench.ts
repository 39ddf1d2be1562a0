import { cpus } from 'node:os';
import { chromium, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { gotoAllowing } from '../e2e/fixtures';
import { startLlmServer } from '../e2e/llmServer';
import { TEST_TTS } from '../e2e/paths';
import { replyTo } from '../src/stages/llm/llmServer.testSupport';
import { APP_PORT } from './ports';
import { format, median } from './stats';

/** Typed messages whose reply is long markdown: the test server's `[long]` streams its reply 200 times over, 3 characters per delta. */
const MESSAGE = 'long markdown [long]';
const REPEATS = Number(process.env.BENCH_REPLY_REPEATS ?? 3);

/**
 * How much of the page's time a long reply in markdown costs while it streams, through the built
 * app (`BENCH_DIST` picks another build to compare): from Send to the whole reply shown, and the
 * main thread's script and style/layout time per delta (Chrome's Performance metrics).
 */
test('reply: a long markdown reply streamed into the page', async () => {
  test.setTimeout(20 * 60_000);
  const server = await startLlmServer();
  const reply = Array.from({ length: 200 }, () => replyTo(MESSAGE)).join(' ');
  const deltas = Math.ceil(reply.length / 3);
  const browser = await chromium.launch(chromiumLaunchOptions());
  const shownMs: number[] = [];
  const scriptMs: number[] = [];
  const layoutMs: number[] = [];
  try {
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const context = await browser.newContext({ baseURL: `http://localhost:${APP_PORT}/` });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((metric) => [metric.name, metric.value]));
      await gotoAllowing(page, `/?llm_backend=chat-completions&model_name=bench&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&no_thinking_cue&${TEST_TTS}`);
      // The renderer's chunk is loaded by a first reply, so the timed one measures rendering only.
      await page.getByRole('textbox', { name: 'Message' }).fill('warm up');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.waitForFunction(() => document.querySelector('.exchange .reply-text')?.textContent?.includes('That is all!'), null, { polling: 250, timeout: 60_000 });
      const before = await metrics();
      const sent = Date.now();
      await page.getByRole('textbox', { name: 'Message' }).fill(MESSAGE);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      // The whole reply is shown when its last sentence is, the 200th time.
      await page.waitForFunction(() => (document.querySelectorAll('.exchange .reply-text')[1]?.textContent?.match(/That is all!/g) ?? []).length >= 200, null, { polling: 250, timeout: 10 * 60_000 });
      shownMs.push(Date.now() - sent);
      const after = await metrics();
      const spent = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
      scriptMs.push(spent('ScriptDuration') / deltas);
      layoutMs.push((spent('RecalcStyleDuration') + spent('LayoutDuration')) / deltas);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(
    [
      `Environment: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Chromium ${browser.version()}, build ${process.env.BENCH_DIST ?? 'dist'}`,
      `A long markdown reply (${reply.length} characters, ${deltas} deltas of 3 characters, 10 ms apart as the test server sends them), median of ${REPEATS}:`,
      `  Send to the whole reply shown: ${format(median(shownMs) / 1000, 1)} s (runs: ${shownMs.map((ms) => format(ms / 1000, 1)).join(', ')})`,
      `  Main thread per delta: script ${format(median(scriptMs), 2)} ms, style and layout ${format(median(layoutMs), 2)} ms`,
    ].join('\n'),
  );
});
