import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { test, type Page } from '@playwright/test';
import { format, median } from './stats';
import type { SttBenchResult } from './sttBench';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

type BenchWindow = { loadDirect: (threads: number) => Promise<number>; runSttBench: (repeats: number) => Promise<SttBenchResult> };

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
      `direct pipeline with ${threads} WASM thread${threads === 1 ? '' : 's'} (our worker uses onnxruntime-web's default, ${String(result.environment.workerThreads)}):`,
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
