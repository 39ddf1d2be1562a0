import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { test } from '@playwright/test';
import { startLlmServer } from '../e2e/llmServer';
import type { LlmBenchResult } from './llmBench';
import type { PrefillBenchResult } from './prefillBench';
import { format, median, quantile } from './stats';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

test('language model stage: our reply path vs reading the stream directly', async ({ page, browserName, browser }) => {
  const server = await startLlmServer();
  try {
    await page.goto('/bench/llm.html');
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    const result = await page.evaluate(([baseUrl, repeats]) => (window as unknown as { runLlmBench: (url: string, n: number) => Promise<LlmBenchResult> }).runLlmBench(baseUrl, repeats), [server.baseUrl, REPEATS] as const);
    const lines = ['Language model stage benchmark: local Chat Completions server on 127.0.0.1, streamed in 3-character deltas'];
    lines.push(...Object.entries({ ...result.environment, browser: `${browserName} ${browser.version()}`, cpu: cpus()[0]?.model ?? 'unknown', cpuCores: cpus().length }).map(([key, value]) => `  ${key}: ${String(value)}`));
    lines.push('', `first streamed token -> first sentence batch handed on (10 ms between deltas, as a model streams; median of ${REPEATS}):`);
    for (const [name, { oursMs, directFirstTextMs, directCompleteMs }] of Object.entries(result.firstBatch)) {
      // Both from the request; the first token's arrival is the direct reader's.
      const firstToken = median(directFirstTextMs);
      lines.push(
        `  ${name === 'batch1' ? 'stream_batch_sentences 1' : 'stream_batch_sentences 3'}: ours ${format(median(oursMs) - firstToken, 1)} ms (p90 ${format(quantile(oursMs, 0.9) - firstToken, 1)}); ` +
          `the stream itself reaches the next sentence after ${format(median(directCompleteMs) - firstToken, 1)} ms; our added delay ${format(median(oursMs) - median(directCompleteMs), 1)} ms`,
      );
    }
    const { deltas, oursMs, directMs } = result.throughput;
    lines.push(
      '',
      `whole unpaced stream of ${deltas} deltas (median of ${REPEATS}): ours ${format(median(oursMs), 1)} ms, direct ${format(median(directMs), 1)} ms, ratio ${format(median(oursMs) / median(directMs), 2)}`,
      `  per-delta overhead of our path: ${format(((median(oursMs) - median(directMs)) * 1000) / deltas, 1)} µs`,
      `  our text processing alone (reasoning filter, sentence split, batching): ${format(median(result.processingUsPerDelta), 1)} µs per delta`,
    );
    console.log(lines.join('\n'));
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/llm.json', JSON.stringify(result, null, 2));
  } finally {
    await server.close();
  }
});

test('language model prefill: turn 1 to 10 with the cache kept across turns vs the whole conversation each turn', async ({ page, browserName, browser }) => {
  const repeats = Math.max(3, Math.round(REPEATS / 3));
  await page.goto('/bench/prefill.html');
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
  const result = await page.evaluate((n) => (window as unknown as { runPrefillBench: (n: number) => Promise<PrefillBenchResult> }).runPrefillBench(n), repeats);
  const lines = ['Language model prefill benchmark: transformers.js on WASM, a ten-turn conversation, time from the request to the reply’s first token'];
  lines.push(...Object.entries({ ...result.environment, browser: `${browserName} ${browser.version()}`, cpu: cpus()[0]?.model ?? 'unknown', cpuCores: cpus().length }).map(([key, value]) => `  ${key}: ${String(value)}`));
  lines.push(`  ours: the LLM worker, cache kept across turns; direct: generate() on the page with the whole conversation (median of ${repeats})`);
  result.oursMs.forEach((ours, turn) => {
    const direct = result.directMs[turn] ?? [];
    lines.push(`  turn ${String(turn + 1).padStart(2)}: prompt ${String(result.promptTokens[turn]).padStart(4)} tokens, ours ${format(median(ours), 1)} ms, direct ${format(median(direct), 1)} ms, ratio ${format(median(ours) / median(direct), 2)}`);
  });
  const last = result.oursMs.length - 1;
  lines.push(`  turn 10 / turn 1: ours ${format(median(result.oursMs[last] ?? []) / median(result.oursMs[0] ?? []), 2)}, direct ${format(median(result.directMs[last] ?? []) / median(result.directMs[0] ?? []), 2)}`);
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/prefill.json', JSON.stringify(result, null, 2));
});
