/**
 * The transformers.js language model's prefill over a ten-turn conversation: our path (the LLM
 * worker through TransformersBackend, which keeps the key/value cache from turn to turn) against
 * transformers.js called directly on this page with the whole conversation each turn, as a turn
 * without the cache runs. Both on the SmolLM2 stand-in (real tokenizer and chat template, random
 * weights: the figures show how prefill grows with the conversation, not a real model's speed).
 * Exposes `window.runPrefillBench`.
 */
import { AutoModelForCausalLM, AutoTokenizer, TextStreamer, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { configureLocation } from '../src/models/transformersLoading';
import { transformersLocation } from '../src/models/transformersLocation';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { defaultSettings, type Settings } from '../src/settings/schema';
import { messageText, type Message } from '../src/stages/llm/message';
import type { LanguageModelBackend } from '../src/stages/llm/languageModelBackend';
import { TransformersBackend } from '../src/stages/llm/transformersBackend';

const MODEL = 'test/tiny-random-smollm2';
export const TURNS = 10;
const MAX_NEW_TOKENS = 24;
const QUESTIONS = [
  'What is the capital of France?',
  'And how many people live there?',
  'Tell me one thing to see on a first visit.',
  'How long does it take to get there from London by train?',
  'Is it expensive?',
  'What should I eat while I am there?',
  'What is the weather like in spring?',
  'Which museum would you pick if I only had one afternoon?',
  'Do I need to speak French?',
  'Thanks. Can you sum that up in one sentence?',
];

export interface PrefillBenchResult {
  readonly environment: Record<string, string | number | boolean>;
  /** Per turn (1 to TURNS), over the repeats: time to the first token of the reply, ms. */
  readonly oursMs: number[][];
  readonly directMs: number[][];
  /** The prompt's length in tokens at each turn (the same on both paths). */
  readonly promptTokens: number[];
}

const settings: Settings = { ...defaultSettings(), llm_backend: 'transformers', model_name: MODEL, models_base_url: '/models/', llm_device: 'wasm', llm_torch_dtype: 'fp32', llm_gen_max_new_tokens: MAX_NEW_TOKENS, llm_gen_do_sample: false };

/** Our path: the reply streamed from the worker; ms to its first piece. */
async function oursTurn(backend: LanguageModelBackend, messages: readonly Message[]): Promise<{ firstMs: number; reply: string }> {
  const began = performance.now();
  let first: number | null = null;
  let reply = '';
  for await (const piece of backend.stream(messages, new AbortController().signal)) {
    first ??= performance.now();
    if (typeof piece === 'string') reply += piece;
  }
  return { firstMs: (first ?? Number.NaN) - began, reply };
}

/** The peer: the whole conversation through generate() on this page, no cache kept. */
async function directTurn(tokenizer: PreTrainedTokenizer, model: PreTrainedModel, messages: readonly Message[]): Promise<{ firstMs: number; promptTokens: number }> {
  const began = performance.now();
  let first: number | null = null;
  const prompt = tokenizer.apply_chat_template<false, false, false>(
    messages.map((message) => ({ role: message.role, content: messageText(message) })),
    { tokenize: false, add_generation_prompt: true },
  );
  const inputs = tokenizer(prompt, { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
  const streamer = new TextStreamer(tokenizer, { skip_prompt: true, callback_function: () => undefined, token_callback_function: () => (first ??= performance.now()) });
  await model.generate({ ...inputs, max_new_tokens: MAX_NEW_TOKENS, do_sample: false, streamer });
  return { firstMs: (first ?? Number.NaN) - began, promptTokens: inputs.input_ids.dims[1] ?? 0 };
}

async function runPrefillBench(repeats: number): Promise<PrefillBenchResult> {
  useLocalOnnxRuntime();
  configureLocation(transformersLocation('/models/', location.href));
  const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
  const model = await AutoModelForCausalLM.from_pretrained(MODEL, { device: 'wasm', dtype: 'fp32' });
  const backend = await TransformersBackend.load(settings, { onFile: () => undefined, onStep: () => undefined });
  const oursMs: number[][] = Array.from({ length: TURNS }, () => []);
  const directMs: number[][] = Array.from({ length: TURNS }, () => []);
  const promptTokens: number[] = [];
  try {
    for (let repeat = 0; repeat < repeats; repeat++) {
      // A new conversation each repeat, whose system prompt differs from its first word, so no
      // repeat's first turn finds the last one's cache.
      const messages: Message[] = [{ role: 'system', content: `Conversation ${repeat + 1}. ${settings.init_chat_prompt}` }];
      for (let turn = 0; turn < TURNS; turn++) {
        messages.push({ role: 'user', content: QUESTIONS[turn] ?? '' });
        // Alternate which path goes first, so neither always meets a warmer machine.
        const runDirect = async () => {
          const result = await directTurn(tokenizer, model, messages);
          directMs[turn]?.push(result.firstMs);
          promptTokens[turn] = result.promptTokens;
        };
        let reply = '';
        if (repeat % 2 === 1) await runDirect();
        const result = await oursTurn(backend, messages);
        oursMs[turn]?.push(result.firstMs);
        reply = result.reply;
        if (repeat % 2 === 0) await runDirect();
        // Both paths go on from the reply our path gave (the same greedy reply on both).
        messages.push({ role: 'assistant', content: reply });
      }
    }
  } finally {
    backend.dispose();
    await model.dispose();
  }
  return {
    environment: { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated, model: MODEL, maxNewTokens: MAX_NEW_TOKENS },
    oursMs,
    directMs,
    promptTokens,
  };
}

(window as unknown as { runPrefillBench: typeof runPrefillBench }).runPrefillBench = runPrefillBench;
const state = document.getElementById('state');
if (state) state.textContent = 'ready';
