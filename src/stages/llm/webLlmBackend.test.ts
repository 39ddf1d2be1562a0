import { WebWorkerMLCEngineHandler, type ChatCompletionChunk, type ChatCompletionRequest, type InitProgressReport, type MLCEngine } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { GpuCapabilities } from '../../models/capabilities';
import { defaultSettings, type Settings } from '../../settings/schema';
import { toolInstructions } from './localToolFormat';
import type { ReplyPart } from './tools';
import { WebLlmBackend } from './webLlmBackend';

/**
 * No model can load here, so the test meets web-llm at its worker boundary: the page side is the
 * real WebWorkerMLCEngine, the worker side web-llm's real WebWorkerMLCEngineHandler, and only the
 * engine behind the handler is scripted. Like the real engine, it takes one request at a time.
 */
class ScriptedEngine {
  readonly requests: ChatCompletionRequest[] = [];
  readonly reloads: string[] = [];
  interrupts = 0;
  /** An engine stuck in a kernel: it never sees the interrupt and never yields again. */
  ignoresInterrupt = false;
  /** Loads that fail (a broken file in web-llm's cache) before one works. */
  failingLoads = 0;
  private interrupted = false;
  private open = false;

  constructor(
    private readonly report: (progress: InitProgressReport) => void,
    private readonly words: readonly string[],
  ) {}

  reload(modelId: string | string[]): Promise<void> {
    this.reloads.push(...[modelId].flat());
    if (this.failingLoads > 0) {
      this.failingLoads -= 1;
      return Promise.reject(new Error('ArtifactIndexedDBCache: the record is not a valid tensor shard'));
    }
    this.report({ progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]' });
    this.report({ progress: 1, timeElapsed: 2, text: 'Finish loading on WebGPU' });
    return Promise.resolve();
  }

  chatCompletion(request: ChatCompletionRequest): Promise<AsyncGenerator<ChatCompletionChunk>> {
    if (this.open) return Promise.reject(new Error('a request is still being generated'));
    this.requests.push(request);
    this.open = true;
    this.interrupted = false;
    const chunk = (content: string, finish: 'stop' | 'abort' | null = null): ChatCompletionChunk => ({
      id: 'x',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content }, finish_reason: finish, logprobs: null }],
    });
    const generate = async function* (this: ScriptedEngine): AsyncGenerator<ChatCompletionChunk> {
      try {
        for (const word of this.words) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (this.interrupted && this.ignoresInterrupt) await new Promise(() => undefined);
          if (this.interrupted) {
            yield chunk('', 'abort');
            return;
          }
          yield chunk(word);
        }
        yield chunk('', 'stop');
      } finally {
        this.open = false;
      }
    };
    return Promise.resolve(generate.call(this));
  }

  interruptGenerate(): void {
    this.interrupts++;
    this.interrupted = true;
  }
}

const GPU_F16: GpuCapabilities = { webgpu: true, fallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 30, vendor: 'test', description: 'test GPU' };
const GPU_NO_F16: GpuCapabilities = { ...GPU_F16, shaderF16: false };
const WORDS = ['Hello', ' there.', ' I', ' am', ' a', ' small', ' model', ' speaking', ' slowly', ' today.'];

function connect(words: readonly string[] = WORDS) {
  const handler = new WebWorkerMLCEngineHandler();
  // Messages travel as MessageEvents, as between a page and its worker.
  const worker = Object.assign(new EventTarget(), {
    onmessage: null as ((event: MessageEvent) => void) | null,
    postMessage: (data: unknown) => handler.onmessage(new MessageEvent('message', { data })),
    terminated: false,
    terminate: () => void (worker.terminated = true),
  });
  handler.postMessage = (data: unknown) => worker.onmessage?.(new MessageEvent('message', { data }));
  const engine = new ScriptedEngine((content) => handler.postMessage({ kind: 'initProgressCallback', uuid: '', content }), words);
  handler.engine = engine as unknown as MLCEngine;
  return { worker: worker as unknown as Worker, engine, fakeWorker: worker };
}

const NO_PROGRESS = { onFile: () => undefined, onStep: () => undefined };
const settings = (overrides: Partial<Settings> = {}): Settings => ({ ...defaultSettings(), llm_backend: 'web-llm', ...overrides });

async function collect(stream: AsyncIterable<ReplyPart>, onDelta?: (delta: string) => void): Promise<string> {
  let text = '';
  for await (const delta of stream) {
    if (typeof delta !== 'string') throw new Error('a tool call where text was expected');
    text += delta;
    onDelta?.(delta);
  }
  return text;
}

describe('WebLlmBackend through web-llm’s worker protocol', () => {
  it('loads the q4f16 build where the GPU has shader-f16, the q4f32 build elsewhere, with progress', async () => {
    const reports: number[] = [];
    const withF16 = connect();
    const backend = await WebLlmBackend.load(settings(), { onFile: () => undefined, onStep: (fraction) => reports.push(fraction) }, { worker: withF16.worker, gpu: GPU_F16 });
    expect(withF16.engine.reloads).toEqual(['Llama-3.2-1B-Instruct-q4f16_1-MLC']);
    expect(backend.modelId).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(reports).toEqual([0.5, 1]);

    const withoutF16 = connect();
    await WebLlmBackend.load(settings({ model_name: 'Qwen3-0.6B-q4f16_1-MLC' }), NO_PROGRESS, { worker: withoutF16.worker, gpu: GPU_NO_F16 });
    expect(withoutF16.engine.reloads).toEqual(['Qwen3-0.6B-q4f32_1-MLC']);
  });

  it('says what to do without WebGPU or with a model web-llm does not know', async () => {
    await expect(WebLlmBackend.load(settings(), NO_PROGRESS, { worker: connect().worker, gpu: { ...GPU_F16, webgpu: false } })).rejects.toThrow('web-llm needs WebGPU');
    await expect(WebLlmBackend.load(settings({ model_name: 'Qwen3-0.6B-q9-MLC' }), NO_PROGRESS, { worker: connect().worker, gpu: GPU_F16 })).rejects.toThrow(
      /web-llm has no model "Qwen3-0\.6B-q9-MLC".*Qwen3-0\.6B-q4f16_1-MLC/,
    );
  });

  it('streams the reply with the generation settings as request fields', async () => {
    const { worker, engine } = connect();
    const backend = await WebLlmBackend.load(settings({ llm_gen_max_new_tokens: 64, llm_gen_kwargs: { top_p: 0.9 } }), NO_PROGRESS, { worker, gpu: GPU_F16 });
    const pieces: string[] = [];
    const text = await collect(backend.stream([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], new AbortController().signal), (delta) => pieces.push(delta));
    expect(text).toBe(WORDS.join(''));
    expect(pieces.length).toBe(WORDS.length);
    expect(engine.requests[0]).toMatchObject({ stream: true, max_tokens: 64, temperature: 0, top_p: 0.9, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
  });

  it('with tools: they are told in the system prompt and a call in the model’s words comes back as a call', async () => {
    const { worker, engine } = connect(['Let me look.', '\n<tool', '_call>\n{"name": "get_current_time", ', '"arguments": {}}\n</tool_call>']);
    const backend = await WebLlmBackend.load(settings(), NO_PROGRESS, { worker, gpu: GPU_F16 });
    const time = { name: 'get_current_time', description: 'The time.', parameters: { type: 'object', properties: {} } };
    const parts: ReplyPart[] = [];
    for await (const part of backend.stream([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Time?' }], new AbortController().signal, [time])) parts.push(part);
    expect(parts).toEqual(['Let me look.', '\n', { toolCall: { id: 'call_1', name: 'get_current_time', arguments: '{}' } }]);
    expect(engine.requests[0]?.messages[0]).toEqual({ role: 'system', content: `Be brief.\n\n${toolInstructions([time])}` });
  });

  it('on abort: interruptGenerate, the stream drained, and the next request answered', async () => {
    const { worker, engine } = connect();
    const backend = await WebLlmBackend.load(settings(), NO_PROGRESS, { worker, gpu: GPU_F16 });
    const controller = new AbortController();
    const pieces: string[] = [];
    for await (const delta of backend.stream([{ role: 'user', content: 'Hi' }], controller.signal)) {
      if (typeof delta === 'string') pieces.push(delta);
      if (pieces.length === 2) {
        controller.abort();
        break;
      }
    }
    expect(engine.interrupts).toBe(1);
    // The engine takes one request at a time: this one is only answered after the first was drained.
    const text = await collect(backend.stream([{ role: 'user', content: 'Again' }], new AbortController().signal));
    expect(text).toBe(WORDS.join(''));
    expect(engine.requests).toHaveLength(2);
  });

  it('an engine that does not stop when interrupted is ended after the bound and reported stopped; so is a crashed worker', async () => {
    const { worker, engine, fakeWorker } = connect();
    const stopped: string[] = [];
    const backend = await WebLlmBackend.load(settings(), { ...NO_PROGRESS, onStopped: (error) => stopped.push(`${error.code}: ${error.message}`) }, { worker, gpu: GPU_F16, stopBoundMs: 50 });
    engine.ignoresInterrupt = true;
    const controller = new AbortController();
    for await (const delta of backend.stream([{ role: 'user', content: 'Hi' }], controller.signal)) {
      if (delta) {
        controller.abort();
        break;
      }
    }
    await expect.poll(() => stopped).toEqual(['unresponsive: web-llm did not stop generating within 0.05 s when asked, so it was stopped.']);
    expect(fakeWorker.terminated).toBe(true);

    const other = connect();
    const crashes: string[] = [];
    await WebLlmBackend.load(settings(), { ...NO_PROGRESS, onStopped: (error) => crashes.push(error.code) }, { worker: other.worker, gpu: GPU_F16 });
    other.fakeWorker.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'out of memory' }));
    expect(crashes).toEqual(['crashed']);
    expect(other.fakeWorker.terminated).toBe(true);
  });

  it('a load that fails with the model in web-llm’s cache is tried once more with its files fetched again', async () => {
    const { worker, engine } = connect();
    engine.failingLoads = 1;
    const deleted: string[] = [];
    const cache = { hasModelInCache: () => Promise.resolve(true), deleteModelAllInfoInCache: (id: string) => Promise.resolve(void deleted.push(id)) };
    await WebLlmBackend.load(settings(), NO_PROGRESS, { worker, gpu: GPU_F16, cache });
    expect(deleted).toEqual(['Llama-3.2-1B-Instruct-q4f16_1-MLC']);
    expect(engine.reloads).toHaveLength(2);

    // Nothing cached: the failure is reported at once.
    const other = connect();
    other.engine.failingLoads = 1;
    await expect(WebLlmBackend.load(settings(), NO_PROGRESS, { worker: other.worker, gpu: GPU_F16, cache: { ...cache, hasModelInCache: () => Promise.resolve(false) } })).rejects.toThrow('web-llm could not load');
    expect(other.engine.reloads).toHaveLength(1);
  });
});
