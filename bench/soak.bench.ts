import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { chromium, test, type CDPSession, type Page } from '@playwright/test';
import { afterSilence, twoSentences } from '../e2e/clips';
import { withMicrophoneClip } from '../e2e/chromium';
import { gotoAllowing } from '../e2e/fixtures';
import { startLlmServer } from '../e2e/llmServer';
import { TEST_TTS } from '../e2e/paths';
import { replyTo } from '../src/stages/llm/llmServer.testSupport';
import { APP_PORT } from './ports';

/** Spoken turns in the soak (`BENCH_SOAK_TURNS`). */
const TURNS = Number(process.env.BENCH_SOAK_TURNS ?? 100);
/** An exchange waiting or streaming for longer than this is stuck. */
const STUCK_MS = 30_000;
/** No new turn for this long while the microphone loops a turn every few seconds: the page is stuck. */
const SILENT_MS = 90_000;
/** The typed message whose reply is streamed to time the rendering: 150 ms between deltas of 3 characters. */
const PROBE = 'render probe [slow]';
const PROBE_DELTAS = Math.ceil(replyTo(PROBE).length / 3);

interface Footprint {
  readonly turn: number;
  /** `performance.measureUserAgentSpecificMemory()`: the page and its workers, and the page alone. */
  readonly heapBytes: number;
  readonly pageHeapBytes: number;
  readonly domNodes: number;
  readonly exchangesShown: number;
}

interface RenderCost {
  readonly turn: number;
  readonly deltas: number;
  /** Main-thread time while the reply streamed (Chrome's Performance metrics), per delta. */
  readonly scriptMsPerDelta: number;
  readonly styleLayoutMsPerDelta: number;
}

/**
 * A long session through the built app: a looping microphone asks a question, then talks over the
 * reply with a second one, over and over (every reply after the first is barged in on), answered by
 * the local Chat Completions server and spoken by the Kokoro stand-in. Measured: the JS heap and
 * the DOM after turn 10 and after the last turn, the main-thread time per streamed delta of a typed
 * reply at turn 1 and at the last turn, and any exchange that stayed waiting or streaming.
 */
test('soak: 100 spoken turns with barge-ins', async ({ browserName }) => {
  test.setTimeout(60 * 60_000);
  const server = await startLlmServer();
  // Looped: 3 s of silence, a question, 4 s (the reply starts), a second question over the reply.
  const clip = afterSilence(twoSentences('moon', 'kitchen_lights', 4), 3);
  const browser = await chromium.launch(withMicrophoneClip(clip.path, ['--enable-blink-features=ForceEagerMeasureMemory', '--js-flags=--expose-gc'], true));
  const footprints: Footprint[] = [];
  const renders: RenderCost[] = [];
  const stuck: string[] = [];
  let probes = 0;
  const started = Date.now();
  let shown: Page | null = null;
  try {
    const context = await browser.newContext({ baseURL: `http://localhost:${APP_PORT}/` });
    const page = await context.newPage();
    shown = page;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const settings = `models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control&llm_backend=chat-completions&model_name=bench&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&stream_batch_sentences=1&kokoro_speed=0.5&${TEST_TTS}`;
    await gotoAllowing(page, `/?${settings}`);
    if (!(await page.evaluate(() => window.crossOriginIsolated))) throw new Error('The page is not cross-origin isolated, so its memory cannot be measured.');

    const spokenTurns = async () => (await page.locator('.exchange').count()) - probes;
    const pending = new Map<number, number>();
    let lastTurnAt = Date.now();
    let lastTurns = 0;
    /** Waits for `turns` spoken turns, watching for exchanges that never finish. */
    const untilTurns = async (turns: number) => {
      for (;;) {
        const statuses = await page.locator('.exchange').evaluateAll((items) => items.map((item) => ({ id: Number((item as HTMLElement).dataset.exchange), status: (item as HTMLElement).dataset.status ?? '' })));
        const now = Date.now();
        for (const { id, status } of statuses) {
          if (status !== 'waiting' && status !== 'streaming') pending.delete(id);
          else if (!pending.has(id)) pending.set(id, now);
          else if (now - (pending.get(id) ?? now) > STUCK_MS && !stuck.includes(`exchange ${id}`)) stuck.push(`exchange ${id}`);
        }
        const count = statuses.length - probes;
        if (count !== lastTurns) [lastTurns, lastTurnAt] = [count, now];
        if (now - lastTurnAt > SILENT_MS) throw new Error(`No new turn for ${SILENT_MS / 1000} s after turn ${count}: the page is stuck (${await page.locator('.talk-state').textContent()}).`);
        if (count >= turns) return;
        await page.waitForTimeout(1000);
      }
    };
    const talk = page.locator('.talk-button');
    const stopListening = async () => {
      await talk.click();
      await page.locator('.talk[data-state="idle"]').waitFor({ timeout: 60_000 });
      // A turn heard just before the stop may still be answered: the page settles first.
      await page.locator('.exchange[data-status="waiting"], .exchange[data-status="streaming"]').first().waitFor({ state: 'detached', timeout: 60_000 });
      await page.waitForTimeout(1000);
    };
    const startListening = async () => {
      await talk.click();
      await page.locator('.talk-state').filter({ hasText: /Listening|Hearing you|Speaking|Thinking/ }).waitFor({ timeout: 120_000 });
    };

    await startListening();
    await untilTurns(1);
    await stopListening();
    renders.push(await renderCost(page, cdp, await spokenTurns(), () => probes++));
    await startListening();
    await untilTurns(10);
    await stopListening();
    footprints.push(await footprint(page, await spokenTurns()));
    await startListening();
    await untilTurns(TURNS);
    await stopListening();
    footprints.push(await footprint(page, await spokenTurns()));
    renders.push(await renderCost(page, cdp, await spokenTurns(), () => probes++));
    const unfinished = await page.locator('.exchange[data-status="waiting"], .exchange[data-status="streaming"]').count();
    if (unfinished > 0) stuck.push(`${unfinished} exchanges still waiting or streaming at the end`);
    const interrupted = await page.locator('.exchange[data-status="interrupted"]').count();
    const failed = await page.locator('.exchange[data-status="failed"]').count();
    await context.close();
    shown = null;

    const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
    const [early, late] = footprints;
    const [first, last] = renders;
    const lines = [
      `Soak: ${browserName}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${mb(totalmem())} MB, the built app (vite preview), ${late?.turn ?? 0} spoken turns in ${((Date.now() - started) / 60_000).toFixed(1)} min`,
      `  barge-ins (replies interrupted): ${interrupted}; failed exchanges: ${failed}; stuck: ${stuck.length === 0 ? 'none' : stuck.join(', ')}`,
      ...footprints.map((entry) => `  after turn ${entry.turn}: JS heap ${mb(entry.heapBytes)} MB (page ${mb(entry.pageHeapBytes)} MB, workers ${mb(entry.heapBytes - entry.pageHeapBytes)} MB), ${entry.domNodes} DOM nodes, ${entry.exchangesShown} exchanges shown`),
      early && late ? `  growth turn ${early.turn} -> ${late.turn}: JS heap ${mb(late.heapBytes - early.heapBytes)} MB (page ${mb(late.pageHeapBytes - early.pageHeapBytes)} MB), ${late.domNodes - early.domNodes} DOM nodes (goal: heap <= 10 MB)` : '',
      ...renders.map((entry) => `  main thread per streamed delta at turn ${entry.turn}: script ${entry.scriptMsPerDelta.toFixed(2)} ms, style and layout ${entry.styleLayoutMsPerDelta.toFixed(2)} ms (${entry.deltas} deltas)`),
      first && last ? `  per-delta ratio turn ${last.turn} / turn ${first.turn}: ${((last.scriptMsPerDelta + last.styleLayoutMsPerDelta) / (first.scriptMsPerDelta + first.styleLayoutMsPerDelta)).toFixed(2)} (goal: flat, about 1)` : '',
    ];
    console.log(lines.filter(Boolean).join('\n'));
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/soak.json', JSON.stringify({ footprints, renders, stuck, interrupted, failed }, null, 2));
  } catch (error) {
    // What the page showed when the soak stopped.
    mkdirSync('bench-results', { recursive: true });
    await shown?.screenshot({ path: 'bench-results/soak-failure.png', fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
    await server.close();
  }
});

/** The page's memory (after a garbage collection) and DOM, listening stopped. */
async function footprint(page: Page, turn: number): Promise<Footprint> {
  const measured = await page.evaluate(async () => {
    (window as unknown as { gc?: () => void }).gc?.();
    const memory = await (performance as unknown as { measureUserAgentSpecificMemory: () => Promise<{ bytes: number; breakdown: { bytes: number; attribution: { scope: string }[] }[] }> }).measureUserAgentSpecificMemory();
    const pageHeapBytes = memory.breakdown.filter((entry) => entry.attribution.some((where) => where.scope === 'Window')).reduce((sum, entry) => sum + entry.bytes, 0);
    return { heapBytes: memory.bytes, pageHeapBytes, domNodes: document.getElementsByTagName('*').length, exchangesShown: document.querySelectorAll('.exchange').length };
  });
  return { turn, ...measured };
}

/** Streams a typed reply and reads the main-thread time it took, per delta. */
async function renderCost(page: Page, cdp: CDPSession, turn: number, sent: () => void): Promise<RenderCost> {
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((metric) => [metric.name, metric.value]));
  const probes = page.locator('.exchange').filter({ hasText: PROBE });
  const sentBefore = await probes.count();
  const before = await metrics();
  await page.getByRole('textbox', { name: 'Message' }).fill(PROBE);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  sent();
  const probe = probes.nth(sentBefore);
  await probe.and(page.locator('[data-status="completed"], [data-status="interrupted"], [data-status="failed"]')).waitFor({ timeout: 60_000 });
  const after = await metrics();
  const status = await probe.getAttribute('data-status');
  if (status !== 'completed') throw new Error(`The typed reply at turn ${turn} ended ${status}: ${await probe.textContent()}`);
  const spent = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
  return {
    turn,
    deltas: PROBE_DELTAS,
    scriptMsPerDelta: spent('ScriptDuration') / PROBE_DELTAS,
    styleLayoutMsPerDelta: (spent('RecalcStyleDuration') + spent('LayoutDuration')) / PROBE_DELTAS,
  };
}
