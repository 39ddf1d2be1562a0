import { cpus } from 'node:os';
import { chromium, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { gotoAllowing } from '../e2e/fixtures';
import { startLlmServer } from '../e2e/llmServer';
import { TEST_TTS } from '../e2e/paths';
import { APP_PORT } from './ports';
import { format, median } from './stats';

const REPEATS = Number(process.env.BENCH_TOOLS_REPEATS ?? 10);

/**
 * What a tool round trip adds to a reply, through the built app and the local Chat Completions
 * server (no pacing between deltas): with `builtin_tools`, a question whose answer calls the
 * instant `get_current_time`. Timed in the page from the moment the call is shown running to the
 * first words of the answer that uses its result (the tool box, the tool, the second request and
 * its first delta), beside the peer measured in the same run: from Send to the first words of a
 * plain reply (one request).
 */
test('tools: the added latency of a round trip with an instant tool', async () => {
  test.setTimeout(10 * 60_000);
  const server = await startLlmServer();
  const browser = await chromium.launch(chromiumLaunchOptions());
  const plainMs: number[] = [];
  const roundTripMs: number[] = [];
  try {
    const page = await browser.newPage({ baseURL: `http://localhost:${APP_PORT}/` });
    await gotoAllowing(page, `/?llm_backend=chat-completions&model_name=bench&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&builtin_tools&no_thinking_cue&${TEST_TTS}`);
    /** Sends `text` and times, in the page, when its exchange shows what `marks` wait for. */
    const timed = async (text: string, withTool: boolean) => {
      const index = await page.locator('.exchange:not(.live)').count();
      const times = page.evaluate(
        ([at, tool]) =>
          new Promise<{ sent: number; firstText: number; running: number; after: number }>((resolve) => {
            const times = { sent: performance.now(), firstText: 0, running: 0, after: 0 };
            const look = () => {
              const exchange = document.querySelectorAll('.exchange:not(.live)')[at];
              if (!exchange) return;
              const now = performance.now();
              if (!times.firstText && exchange.querySelector('.reply-text')?.textContent?.trim()) times.firstText = now;
              if (!times.running && exchange.querySelector('[data-tool-status]')) times.running = now;
              if (!times.after && exchange.querySelectorAll('.reply-text p').length >= 2) times.after = now;
              if (times.firstText && (!tool || times.after)) {
                observer.disconnect();
                resolve(times);
              }
            };
            const observer = new MutationObserver(look);
            observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          }),
        [index, withTool] as const,
      );
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const result = await times;
      await page.locator('.exchange:not(.live)').nth(index).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 60_000 });
      return result;
    };
    // The renderer's chunk and the connection are warm before anything is timed.
    await timed('warm up [nopause]', false);
    await timed('warm up the tool [tool get_current_time] [nopause]', true);
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const plain = await timed(`plain question ${repeat} [nopause]`, false);
      plainMs.push(plain.firstText - plain.sent);
      const tool = await timed(`What time is it? ${repeat} [tool get_current_time] [nopause]`, true);
      roundTripMs.push(tool.after - tool.running);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const ratio = median(roundTripMs) / median(plainMs);
  console.log(
    [
      `Environment: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Chromium ${browser.version()}, build ${process.env.BENCH_DIST ?? 'dist'}, local Chat Completions server`,
      `Median of ${REPEATS}:`,
      `  Send to the first words of a plain reply (one request): ${format(median(plainMs), 1)} ms (runs: ${plainMs.map((ms) => format(ms, 0)).join(', ')})`,
      `  Tool round trip (call shown to the first words after it; get_current_time, instant): ${format(median(roundTripMs), 1)} ms (runs: ${roundTripMs.map((ms) => format(ms, 0)).join(', ')})`,
      `  Added by the round trip, against one plain request: ${format(ratio, 2)} x`,
    ].join('\n'),
  );
});
