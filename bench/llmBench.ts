/**
 * The language model stage's own cost, run in the page against the local OpenAI-compatible test
 * server: our path (ReplyGenerator over the chat-completions backend: openai SDK stream,
 * reasoning filter, sentence splitting, batching, conversation) against reading the same stream
 * directly with the openai SDK, interleaved. Exposes `window.runLlmBench`.
 */
import OpenAI from 'openai';
import { defaultSettings, type Settings } from '../src/settings/schema';
import { Conversation } from '../src/stages/llm/conversation';
import { replyTo } from '../src/stages/llm/llmServer.testSupport';
import { apiBackend } from '../src/stages/llm/apiBackend';
import { ReplyGenerator } from '../src/stages/llm/replyGenerator';
import { SentenceBatcher } from '../src/stages/llm/sentenceBatcher';
import { ThinkingFilter } from '../src/stages/llm/thinkingFilter';

export interface LlmBenchResult {
  readonly environment: Record<string, string | number | boolean>;
  /**
   * Paced stream (10 ms per delta, as a model would send), times from sending the request: our
   * first batch handed on; the direct reader's first text, and its reaching the sentence after
   * the first batch (the earliest any splitter can know that batch is complete).
   */
  readonly firstBatch: Record<string, { oursMs: number[]; directFirstTextMs: number[]; directCompleteMs: number[] }>;
  /** Unpaced long stream: whole-stream time and deltas. */
  readonly throughput: { deltas: number; oursMs: number[]; directMs: number[] };
  /** Our text processing alone (filter, split, batch) per delta, in microseconds, over the recorded deltas. */
  readonly processingUsPerDelta: number[];
}

const MESSAGE = 'hello';
/** Where, in the server's reply to MESSAGE, the sentence after the first batch starts (batch of 1, and of 3). */
const NEXT_SENTENCE = { 1: replyTo(MESSAGE).indexOf('Dr. Smith'), 3: replyTo(MESSAGE).indexOf('- It rained') } as const;

function settingsFor(baseUrl: string, batch: number): Settings {
  return { ...defaultSettings(), llm_backend: 'chat-completions', responses_api_base_url: baseUrl, model_name: 'bench', stream_batch_sentences: batch };
}

/** Our path: ms from the request to the first batch handed on, and to the end. */
async function ours(baseUrl: string, batch: number, message: string): Promise<{ firstBatchMs: number; totalMs: number }> {
  const settings = settingsFor(baseUrl, batch);
  const generator = new ReplyGenerator(apiBackend(settings), new Conversation(settings, false), settings);
  const began = performance.now();
  let firstBatch: number | null = null;
  await generator.respond(message, null, new AbortController().signal, { onBatch: () => (firstBatch ??= performance.now()) });
  return { firstBatchMs: (firstBatch ?? Number.NaN) - began, totalMs: performance.now() - began };
}

/**
 * Reading the stream directly: the same request through the SDK, noting when the first text came
 * and when the text first reached the sentence after the first batch.
 */
async function direct(baseUrl: string, batch: 1 | 3, message: string): Promise<{ firstTextMs: number; completeMs: number; totalMs: number; deltas: string[] }> {
  const client = new OpenAI({ baseURL: baseUrl, apiKey: 'none', dangerouslyAllowBrowser: true, maxRetries: 0 });
  const began = performance.now();
  const stream = await client.chat.completions.create({ model: 'bench', messages: [{ role: 'user', content: message }], stream: true });
  let text = '';
  let firstText: number | null = null;
  let complete: number | null = null;
  const deltas: string[] = [];
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (!content) continue;
    firstText ??= performance.now();
    text += content;
    deltas.push(content);
    if (complete === null && text.length > NEXT_SENTENCE[batch]) complete = performance.now();
  }
  return { firstTextMs: (firstText ?? Number.NaN) - began, completeMs: (complete ?? Number.NaN) - began, totalMs: performance.now() - began, deltas };
}

function processing(deltas: readonly string[], rounds: number): number {
  const began = performance.now();
  for (let round = 0; round < rounds; round++) {
    const thinking = new ThinkingFilter();
    const batcher = new SentenceBatcher(3);
    for (const delta of deltas) batcher.push(thinking.push(delta));
    batcher.end();
  }
  return ((performance.now() - began) * 1000) / (rounds * deltas.length);
}

async function runLlmBench(baseUrl: string, repeats: number): Promise<LlmBenchResult> {
  const firstBatch: LlmBenchResult['firstBatch'] = { batch1: { oursMs: [], directFirstTextMs: [], directCompleteMs: [] }, batch3: { oursMs: [], directFirstTextMs: [], directCompleteMs: [] } };
  const throughput = { deltas: 0, oursMs: [] as number[], directMs: [] as number[] };
  const processingUsPerDelta: number[] = [];
  // Warm-up: connections, JIT.
  await ours(baseUrl, 1, `${MESSAGE} [nopause]`);
  await direct(baseUrl, 1, `${MESSAGE} [nopause]`);
  for (let repeat = 0; repeat < repeats; repeat++) {
    // Alternate which goes first, so neither always meets a warmer server.
    const order = repeat % 2 === 0 ? (['ours', 'direct'] as const) : (['direct', 'ours'] as const);
    for (const batch of [1, 3] as const) {
      const times = firstBatch[`batch${batch}`];
      for (const path of order) {
        if (path === 'ours') times?.oursMs.push((await ours(baseUrl, batch, MESSAGE)).firstBatchMs);
        else {
          const result = await direct(baseUrl, batch, MESSAGE);
          times?.directFirstTextMs.push(result.firstTextMs);
          times?.directCompleteMs.push(result.completeMs);
        }
      }
    }
    for (const path of order) {
      if (path === 'ours') throughput.oursMs.push((await ours(baseUrl, 3, `${MESSAGE} [nopause] [long]`)).totalMs);
      else {
        const result = await direct(baseUrl, 3, `${MESSAGE} [nopause] [long]`);
        throughput.directMs.push(result.totalMs);
        throughput.deltas = result.deltas.length;
        processingUsPerDelta.push(processing(result.deltas, 20));
      }
    }
  }
  return {
    environment: { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated },
    firstBatch,
    throughput,
    processingUsPerDelta,
  };
}

(window as unknown as { runLlmBench: typeof runLlmBench }).runLlmBench = runLlmBench;
const state = document.getElementById('state');
if (state) state.textContent = 'ready';
