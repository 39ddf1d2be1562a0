import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { test, type Page } from '@playwright/test';
import { format, median, quantile } from './stats';
import type { BusyBenchResult, SttBenchResult } from './sttBench';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

type BenchWindow = { loadDirect: (threads: number) => Promise<number>; runSttBench: (repeats: number) => Promise<SttBenchResult>; runBusyBench: () => Promise<BusyBenchResult> };

async function open(page: Page): Promise<void> {
  await page.goto('/bench/stt.html');
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
}

test('speech to text: Whisper tiny.en on WASM, direct pipeline vs our worker path', async ({ browser }) => {
  const lines = ['Speech-to-text benchmark: Whisper tiny.en (q8, real weights) on WASM in headless Chromium'];
  const report: Record<string, unknown> = {};
  for (const threads of [1, 2]) {
    // A fresh context each time: the first load is cold, a second page in the same context loads from Cache Storage.
    const context = await browser.newContext();
    const cold = await context.newPage();
    await open(cold);
    const coldMs = await cold.evaluate((n) => (window as unknown as BenchWindow).loadDirect(n), threads);
    const warm = await context.newPage();
    await open(warm);
    const cachedMs = await warm.evaluate((n) => (window as unknown as BenchWindow).loadDirect(n), threads);
    await cold.close();
    const result = await warm.evaluate((repeats) => (window as unknown as BenchWindow).runSttBench(repeats), REPEATS);
    await context.close();

    const audioMs = result.rows.reduce((sum, row) => sum + row.audioMs, 0);
    const directMs = result.rows.reduce((sum, row) => sum + median(row.directMs), 0);
    const workerMs = result.rows.reduce((sum, row) => sum + median(row.workerMs), 0);
    const ratios = result.rows.map((row) => median(row.workerMs) / median(row.directMs));
    if (threads === 1) {
      lines.push(...Object.entries({ ...result.environment, chromium: browser.version(), cpu: cpus()[0]?.model ?? 'unknown', cpuCores: cpus().length }).map(([key, value]) => `  ${key}: ${String(value)}`));
    }
    lines.push(
      '',
      `direct pipeline with ${threads} WASM thread${threads === 1 ? '' : 's'} (our worker uses ${String(result.environment.workerThreads)}):`,
      `  model load: cold ${format(coldMs, 0)} ms, from cache ${format(cachedMs, 0)} ms; our worker (from cache) ${format(result.workerLoadMs, 0)} ms`,
      `  real-time factor over ${result.rows.length} utterances (${format(audioMs / 1000, 1)} s of audio, median of ${REPEATS} repeats each): direct ${format(directMs / audioMs)}, our worker path ${format(workerMs / audioMs)}`,
      `  our path / direct, per utterance: median ${format(median(ratios), 2)}, min ${format(Math.min(...ratios), 2)}, max ${format(Math.max(...ratios), 2)}`,
    );
    report[`threads${threads}`] = { coldMs, cachedMs, ...result };
  }
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/stt.json', JSON.stringify(report, null, 2));
});

test('speech to text with audio running: Whisper at 1 and 2 threads while the VAD takes a frame every 32 ms', async ({ browser }) => {
  // One page per thread count (onnxruntime-web fixes its threads at its first session), both
  // loaded, taking turns repeat by repeat.
  const context = await browser.newContext();
  const pages = new Map<number, Page>();
  for (const threads of [1, 2]) {
    const page = await context.newPage();
    await open(page);
    await page.evaluate((n) => (window as unknown as BenchWindow).loadDirect(n), threads);
    pages.set(threads, page);
  }
  const runs = new Map<number, BusyBenchResult[]>([[1, []], [2, []]]);
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const threads of repeat % 2 === 0 ? [1, 2] : [2, 1]) {
      const page = pages.get(threads);
      if (page) runs.get(threads)?.push(await page.evaluate(() => (window as unknown as BenchWindow).runBusyBench()));
    }
  }
  await context.close();
  const lines = [`Speech to text with audio running (Whisper tiny.en q8 on the page, Silero v5 in a worker on one thread, a frame due every 32 ms; ${cpus().length} cores, median of ${REPEATS}):`];
  for (const [threads, results] of runs) {
    const rtf = median(results.map((result) => result.whisperMs.reduce((sum, ms) => sum + ms, 0) / result.audioMs));
    const idle = results.flatMap((result) => result.idleLatenessMs);
    const busy = results.flatMap((result) => result.busyLatenessMs);
    lines.push(
      `  Whisper on ${threads} thread${threads === 1 ? '' : 's'}: real-time factor ${format(rtf)}; a VAD frame's lateness with Whisper idle: median ${format(median(idle), 1)} ms, p95 ${format(quantile(idle, 0.95), 1)} ms; while it transcribes: median ${format(median(busy), 1)} ms, p95 ${format(quantile(busy, 0.95), 1)} ms, max ${format(Math.max(...busy), 1)} ms`,
    );
  }
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/stt-busy.json', JSON.stringify(Object.fromEntries(runs), null, 2));
});
